package org.gnn4j.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
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
      "gcn", "gin", "gps_gin", "gps_gine", "gps_gin_performer", "gps_gine_performer", "sage",
      "graphconv", "lgconv", "rgcn", "hgt");

  /** Relations of the rgcn workload (edge types uniform in [0, 8)). */
  static final int NUM_RELATIONS = 8;

  /** Inputs of one step. */
  record Inputs(Tensor x, Graph graph, Tensor edgeAttr) {}

  /**
   * A built layer: its parameters, its forward, whether it reads edge features, and whether the
   * gradient is taken to x (lgconv has no parameters).
   */
  record Built(Module module, Function<Inputs, Tensor> forward, boolean usesEdgeAttr,
               boolean gradToX) {
    Built(Module module, Function<Inputs, Tensor> forward, boolean usesEdgeAttr) {
      this(module, forward, usesEdgeAttr, false);
    }
  }

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
        kw.put("nn", LayerFactory.sequential(fIn, HIDDEN, HIDDEN));
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
      case "sage", "graphconv" -> {
        cls = layer.equals("sage") ? "SAGEConv" : "GraphConv";
        kw.put("in_channels", fIn);
        kw.put("out_channels", HIDDEN);
      }
      case "lgconv" -> {
        GraphLayer m = LayerFactory.create(ctx, "LGConv", Map.of(), rng);
        return new Built(m, in -> m.forward(in.x(), in.graph()), false, true);
      }
      case "rgcn" -> {
        return rgcn(ctx, fIn, rng);
      }
      case "hgt" -> {
        return hgt(ctx, fIn, rng);
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
    conv.put("nn", LayerFactory.sequential(HIDDEN, HIDDEN, HIDDEN));
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

  /**
   * RGCNConv(F_in, 64, num_relations=8, num_bases=4); the edge types are drawn once per graph
   * from their own seeded stream (outside the timed steps: the warm-up builds them), as the PyG
   * side draws them from a generator of their own.
   */
  private static Built rgcn(Context ctx, int fIn, SplittableRandom rng) {
    GraphLayer m = LayerFactory.create(ctx, "RGCNConv", Map.of("in_channels", fIn,
        "out_channels", HIDDEN, "num_relations", NUM_RELATIONS, "num_bases", 4), rng);
    Map<Graph, Tensor> types = new java.util.IdentityHashMap<>();
    return new Built(m, in -> m.forward(in.x(), in.graph(), types.computeIfAbsent(in.graph(),
        g -> edgeTypes(ctx, g.numEdges()))), false);
  }

  private static Tensor edgeTypes(Context ctx, int e) {
    SplittableRandom r = new SplittableRandom(1);
    float[] t = new float[e];
    for (int k = 0; k < e; k++) t[k] = r.nextInt(NUM_RELATIONS);
    return ctx.tensor(t, e);
  }

  /**
   * HGTConv(F_in, 64, heads=4) on the graph split in two node types: {@code a} = nodes
   * [0, N/2), {@code b} = the rest, one relation per (source type, target type) pair with local
   * ids. The split is made once per graph (in the warm-up); the output is both types' rows, a
   * first, as PyG's side concatenates them.
   */
  private static Built hgt(Context ctx, int fIn, SplittableRandom rng) {
    List<List<String>> rels = List.of(List.of("a", "to", "a"), List.of("a", "to", "b"),
        List.of("b", "to", "a"), List.of("b", "to", "b"));
    HeteroLayer m = LayerFactory.createHetero(ctx, "HGTConv", Map.of("in_channels", fIn,
        "out_channels", HIDDEN, "heads", 4, "metadata", List.of(List.of("a", "b"), rels)), rng);
    Map<Graph, HeteroGraph> split = new java.util.IdentityHashMap<>();
    return new Built(m, in -> {
      HeteroGraph h = split.computeIfAbsent(in.graph(), LayerWorkloads::twoTypes);
      int half = h.numNodes("a");
      Tensor[] xs = Concat.split(in.x(), 0, half, in.x().dim(0) - half);
      Map<String, Tensor> out = m.forward(Map.of("a", xs[0], "b", xs[1]), h);
      return Concat.concat(0, out.get("a"), out.get("b"));
    }, false);
  }

  /** The hgt workload's two-type view of a graph. */
  static HeteroGraph twoTypes(Graph g) {
    int n = g.numNodes();
    int half = n / 2;
    int[] src = g.edges().src();
    int[] dst = g.edges().dst();
    HeteroGraph.Builder b = HeteroGraph.builder().nodes("a", half).nodes("b", n - half);
    for (int sb = 0; sb < 2; sb++) {
      for (int db = 0; db < 2; db++) {
        int count = 0;
        for (int k = 0; k < src.length; k++) {
          if ((src[k] >= half ? 1 : 0) == sb && (dst[k] >= half ? 1 : 0) == db) count++;
        }
        int[] s = new int[count];
        int[] d = new int[count];
        for (int k = 0, p = 0; k < src.length; k++) {
          if ((src[k] >= half ? 1 : 0) == sb && (dst[k] >= half ? 1 : 0) == db) {
            s[p] = src[k] - sb * half;
            d[p++] = dst[k] - db * half;
          }
        }
        b.edges(sb == 0 ? "a" : "b", "to", db == 0 ? "a" : "b", s, d);
      }
    }
    return b.build();
  }

}
