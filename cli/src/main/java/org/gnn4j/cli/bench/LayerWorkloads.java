package org.gnn4j.cli.bench;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.nn.conv.GineConv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The layer x size workloads of {@code shared/bench/README.md}, built the way the PyG reference
 * script builds them (same constructors, widths 64, edge features of 16 columns), so that one
 * line of {@code gnn4j bench --layer} sits beside one line of PyG's.
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
  record Inputs(Tensor x, EdgeIndex edges, Tensor edgeAttr, int[] batch) {}

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
    return switch (layer) {
      case "gcn" -> {
        GcnConv m = new GcnConv(ctx, fIn, HIDDEN, rng);
        yield new Built(m, in -> m.forward(in.x(), in.edges()), false);
      }
      case "gin" -> {
        GinConv m = new GinConv(ctx, new Mlp(ctx, rng, fIn, HIDDEN, HIDDEN), 0f, false);
        yield new Built(m, in -> m.forward(in.x(), in.edges()), false);
      }
      case "gat" -> {
        GatConv m = new GatConv(ctx, GatConv.Config.of(fIn, 8, 8), rng);
        yield new Built(m, in -> m.forward(in.x(), in.edges()), false);
      }
      case "gatv2" -> {
        GatV2Conv m = new GatV2Conv(ctx, GatConv.Config.of(fIn, 8, 8), rng);
        yield new Built(m, in -> m.forward(in.x(), in.edges()), false);
      }
      case "transformer", "transformer_edge" -> {
        boolean edge = layer.equals("transformer_edge");
        TransformerConv.Config c = TransformerConv.Config.of(fIn, 16, 4);
        TransformerConv m = new TransformerConv(ctx, edge ? c.withEdgeDim(EDGE_DIM) : c, rng);
        yield new Built(m, in -> m.forward(in.x(), in.edges(), in.edgeAttr()), edge);
      }
      case "gps_gin", "gps_gine" -> gps(ctx, layer.equals("gps_gine"), GpsLayer.AttnType.MULTIHEAD,
          fIn, rng);
      case "gps_gin_performer", "gps_gine_performer" -> gps(ctx,
          layer.equals("gps_gine_performer"), GpsLayer.AttnType.PERFORMER, fIn, rng);
      default -> throw new IllegalArgumentException("bench: unknown --layer '" + layer
          + "' (valid: " + String.join(", ", LAYERS) + ", all)");
    };
  }

  /**
   * GPSConv(64, GIN or GINE, heads=4, attn_type), behind a Linear(F_in -> 64) when F_in != 64.
   */
  private static Built gps(Context ctx, boolean gine, GpsLayer.AttnType attn, int fIn,
                           SplittableRandom rng) {
    Mlp mlp = new Mlp(ctx, rng, HIDDEN, HIDDEN, HIDDEN);
    GpsLayer gps = new GpsLayer(ctx, HIDDEN,
        gine ? new GineConv(ctx, mlp, 0f, false, EDGE_DIM, rng) : new GinConv(ctx, mlp, 0f, false),
        4, attn, rng);
    Linear proj = fIn != HIDDEN ? new Linear(ctx, fIn, HIDDEN, true, rng) : null;
    Module all = () -> {
      Map<String, Tensor> m = new java.util.LinkedHashMap<>();
      if (proj != null) Module.addAll(m, "proj", proj);
      Module.addAll(m, "gps", gps);
      return m;
    };
    return new Built(all, in -> gps.forward(proj == null ? in.x() : proj.forward(in.x()),
        in.edges(), in.edgeAttr(), in.batch()), gine);
  }
}
