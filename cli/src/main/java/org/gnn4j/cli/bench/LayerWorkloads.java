package org.gnn4j.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The layer x size workloads of {@code shared/bench/README.md}: each is the PyG constructor call
 * of the reference script (class name and arguments, widths 64, edge features of 16 columns),
 * built by {@link LayerFactory}, so that one line of {@code gnn4j bench --layer} sits beside one
 * line of PyG's.
 */
final class LayerWorkloads {
  private LayerWorkloads() {}

  static final int HIDDEN = 64;
  static final int EDGE_DIM = 16;

  /** N, E, F_in of one size. */
  record Size(String name, int n, int e, int fIn) {}

  static final List<Size> SIZES = List.of(new Size("cora", 2708, 10556, 1433),
      new Size("10k", 10_000, 100_000, 64), new Size("100k", 100_000, 1_000_000, 64),
      new Size("200k", 200_000, 4_000_000, 64));

  static final List<String> LAYERS = List.of("gat", "gatv2", "transformer", "transformer_edge",
      "gcn", "gin", "gps_gin", "gps_gine", "gps_gin_performer", "gps_gine_performer");

  /** Inputs of one step. */
  record Inputs(Tensor x, Graph graph, Tensor edgeAttr) {}

  /** A built layer: its parameters, its forward, and whether it reads edge features. */
  record Built(Module module, Function<Inputs, Tensor> forward, boolean usesEdgeAttr) {}

  static Size size(String name) {
    return SIZES.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
        new IllegalArgumentException("bench: unknown --size '" + name + "' (valid: "
            + String.join(", ", SIZES.stream().map(Size::name).toList()) + ", all)"));
  }

  /** Why a layer cannot run at a size yet, or null when it can (every case runs today). */
  static String unsupported(String layer, Size size) {
    return null;
  }

  static Built build(Context ctx, String layer, int fIn, SplittableRandom rng) {
    Map<String, Object> kw = new LinkedHashMap<>();
    String cls;
    switch (layer) {
      case "gcn" -> {
        cls = "GCNConv";
        kw.put("in_channels", fIn);
        kw.put("out_channels", HIDDEN);
      }
      case "gin" -> {
        cls = "GINConv";
        kw.put("nn", mlp(fIn, HIDDEN, HIDDEN));
      }
      case "gat", "gatv2" -> {
        cls = layer.equals("gat") ? "GATConv" : "GATv2Conv";
        kw.put("in_channels", fIn);
        kw.put("out_channels", 8);
        kw.put("heads", 8);
      }
      case "transformer", "transformer_edge" -> {
        cls = "TransformerConv";
        kw.put("in_channels", fIn);
        kw.put("out_channels", 16);
        kw.put("heads", 4);
        if (layer.equals("transformer_edge")) kw.put("edge_dim", EDGE_DIM);
      }
      case "gps_gin", "gps_gine", "gps_gin_performer", "gps_gine_performer" -> {
        return gps(ctx, layer.startsWith("gps_gine"), layer.endsWith("performer"), fIn, rng);
      }
      default -> throw new IllegalArgumentException("bench: unknown --layer '" + layer
          + "' (valid: " + String.join(", ", LAYERS) + ", all)");
    }
    GraphLayer m = LayerFactory.create(ctx, cls, kw, rng);
    return new Built(m, in -> m.forward(in.x(), in.graph(), in.edgeAttr()),
        kw.containsKey("edge_dim"));
  }

  /**
   * GPSConv(64, GIN or GINE, heads=4, attn_type), behind a Linear(F_in -> 64) when F_in != 64.
   */
  private static Built gps(Context ctx, boolean gine, boolean performer, int fIn,
                           SplittableRandom rng) {
    Map<String, Object> conv = new LinkedHashMap<>();
    conv.put("class", gine ? "GINEConv" : "GINConv");
    conv.put("nn", mlp(HIDDEN, HIDDEN, HIDDEN));
    if (gine) conv.put("edge_dim", EDGE_DIM);
    GraphLayer gps = LayerFactory.create(ctx, "GPSConv", Map.of("channels", HIDDEN, "conv", conv,
        "heads", 4, "attn_type", performer ? "performer" : "multihead"), rng);
    Linear proj = fIn != HIDDEN ? new Linear(ctx, fIn, HIDDEN, true, rng) : null;
    Module all = () -> {
      Map<String, Tensor> m = new LinkedHashMap<>();
      if (proj != null) Module.addAll(m, "proj", proj);
      Module.addAll(m, "gps", gps);
      return m;
    };
    return new Built(all, in -> gps.forward(proj == null ? in.x() : proj.forward(in.x()),
        in.graph(), in.edgeAttr()), gine);
  }

  /** PyG's Sequential(Linear(a, b), ReLU, Linear(b, c)). */
  private static Map<String, Object> mlp(int a, int b, int c) {
    return Map.of("class", "Sequential", "layers", List.of(linear(a, b), Map.of("class", "ReLU"),
        linear(b, c)));
  }

  private static Map<String, Object> linear(int in, int out) {
    return Map.of("class", "Linear", "in_features", in, "out_features", out, "bias", true);
  }
}
