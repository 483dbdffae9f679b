package org.gnn4j.model;

import java.util.SplittableRandom;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.nn.conv.GineConv;
import org.gnn4j.nn.conv.MessagePassing;
import org.gnn4j.nn.conv.ResGatedGraphConv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.nn.transformer.GraphTransformerLayer;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.Norm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Turns a layer name of the config into one block of a {@link GraphModel}: the layer itself
 * plus how it is called (which inputs it reads, whether it takes the dropout stream). Keeping
 * that here keeps GraphModel free of per-layer cases.
 */
final class Layers {
  private Layers() {}

  /**
   * One forward pass over one input: what the layers read, plus what several of them share and
   * is computed once per pass (the shortest paths of Graphormer).
   */
  static final class Pass {
    private final ModelInput in;
    private ShortestPaths paths;

    Pass(ModelInput in) {
      this.in = in;
    }

    EdgeIndex edges() {
      return in.edges();
    }

    int[] batch() {
      return in.batch();
    }

    ShortestPaths shortestPaths() {
      if (paths == null) paths = ShortestPaths.compute(in.edges(), in.batch(), MAX_DIST);
      return paths;
    }
  }

  /** One layer as the model stacks it. */
  interface Block {
    /** h: [N, in] -> [N, out]; {@code edgeAttr} is the encoded edge stream or null. */
    Tensor apply(Tensor h, Pass in, Tensor edgeAttr, boolean training, SplittableRandom rng);

    /** The edge stream after this layer: unchanged unless the layer updates edges. */
    default Tensor edgesAfter(Tensor edgeAttr) {
      return edgeAttr;
    }

    Module module();

    default void train(boolean on) {}
  }

  /** Transformer-style layers carry their own norms and residuals; the model adds none. */
  static boolean normalisesItself(String layer) {
    return layer.startsWith("gps") || layer.equals("graph_transformer") || layer.equals("graphormer");
  }

  static Block create(Context ctx, ModelSpec spec, int in, int out, boolean outputLayer,
                      int edgeWidth, SplittableRandom rng) {
    int heads = outputLayer ? spec.outHeads() : spec.heads();
    if (!outputLayer && out % heads != 0) {
      throw new IllegalArgumentException("model: hidden " + out + " is not divisible by heads " + heads);
    }
    int perHead = outputLayer ? out : out / heads;
    return switch (spec.layer()) {
      case "gcn" -> {
        GcnConv c = new GcnConv(ctx, in, out, rng);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges()));
      }
      case "gat", "gatv2" -> {
        GatConv.Config cfg = new GatConv.Config(in, perHead, heads, !outputLayer, 0.2f,
            spec.attnDropout(), true, true);
        if (spec.layer().equals("gat")) {
          GatConv c = new GatConv(ctx, cfg, rng);
          yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges(), t, r));
        }
        GatV2Conv c = new GatV2Conv(ctx, cfg, rng);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges(), t, r));
      }
      case "gin" -> {
        GinConv c = new GinConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges()));
      }
      case "gine" -> {
        GineConv c = new GineConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false,
            gineEdgeDim(spec, in, edgeWidth), rng);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges(), e));
      }
      case "transformer" -> {
        TransformerConv.Config cfg = TransformerConv.Config.of(in, perHead, heads)
            .withConcat(!outputLayer).withEdgeDim(Math.max(edgeWidth, 0));
        TransformerConv c = new TransformerConv(ctx, cfg, rng);
        yield block(c, (h, x, e, t, r) -> edgeWidth > 0 ? c.forward(h, x.edges(), e) : c.forward(h, x.edges()));
      }
      case "resgated" -> {
        ResGatedGraphConv c = new ResGatedGraphConv(ctx, in, out, Math.max(edgeWidth, 0), true,
            true, rng);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges(), edgeWidth > 0 ? e : null));
      }
      case "gps_gin", "gps_gine", "gps_resgated" -> {
        if (in != out) {
          throw new IllegalArgumentException("model: " + spec.layer() + " keeps the width; the input has "
              + in + " features and hidden is " + out + " (set encoder.node: linear)");
        }
        MessagePassing local = switch (spec.layer()) {
          case "gps_gin" -> new GinConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false);
          case "gps_gine" -> new GineConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false,
              gineEdgeDim(spec, in, edgeWidth), rng);
          default -> new ResGatedGraphConv(ctx, in, out, Math.max(edgeWidth, 0), true, true, rng);
        };
        GpsLayer g = new GpsLayer(ctx, out, local, spec.heads(), rng);
        yield new Block() {
          @Override
          public Tensor apply(Tensor h, Pass x, Tensor e, boolean t, SplittableRandom r) {
            return g.forward(h, x.edges(), e, x.batch());
          }

          @Override
          public Module module() {
            return g;
          }

          @Override
          public void train(boolean on) {
            g.train(on);
          }
        };
      }
      case "graph_transformer" -> graphTransformer(ctx, spec, in, out, edgeWidth, rng);
      case "graphormer" -> graphormer(ctx, spec, in, out, edgeWidth, rng);
      default -> throw new IllegalArgumentException("model: unknown layer '" + spec.layer() + "'");
    };
  }

  /** An edge encoder already gives the node width: no extra lin, as PyG's edge_dim=None (0). */
  private static int gineEdgeDim(ModelSpec spec, int in, int edgeWidth) {
    return edgeWidth == in && !spec.edgeEncoder().equals("none") ? 0 : edgeWidth;
  }

  private static void sameWidth(ModelSpec spec, int in, int out) {
    if (in != out) {
      throw new IllegalArgumentException("model: " + spec.layer() + " keeps the width; the input has "
          + in + " features and hidden is " + out + " (set encoder.node: linear or embedding)");
    }
  }

  /** Dwivedi &amp; Bresson: the edge stream (when there is one) is updated layer by layer. */
  private static Block graphTransformer(Context ctx, ModelSpec spec, int in, int out, int edgeWidth,
                                        SplittableRandom rng) {
    sameWidth(spec, in, out);
    if (edgeWidth > 0 && edgeWidth != out) {
      throw new IllegalArgumentException("model: graph_transformer updates edges at width hidden = " + out
          + "; the edges have " + edgeWidth + " features (set encoder.edge: linear or embedding)");
    }
    GraphTransformerLayer.Config cfg = GraphTransformerLayer.Config.of(out, spec.heads())
        .withEdgeFeatures(edgeWidth > 0)
        .withNorm(spec.norm().equals("layer") ? Norm.Kind.LAYER : Norm.Kind.BATCH);
    GraphTransformerLayer layer = new GraphTransformerLayer(ctx, cfg, rng);
    return new Block() {
      private Tensor lastEdges;

      @Override
      public Tensor apply(Tensor h, Pass x, Tensor e, boolean t, SplittableRandom r) {
        if (edgeWidth == 0) return layer.forward(h, x.edges());
        GraphTransformerLayer.Output o = layer.forward(h, x.edges(), e);
        lastEdges = o.e();
        return o.h();
      }

      @Override
      public Tensor edgesAfter(Tensor edgeAttr) {
        return edgeWidth == 0 ? edgeAttr : lastEdges;
      }

      @Override
      public Module module() {
        return layer;
      }

      @Override
      public void train(boolean on) {
        layer.train(on);
      }
    };
  }

  /** Ying et al.: attention within each graph biased by shortest-path distance and edge paths. */
  private static Block graphormer(Context ctx, ModelSpec spec, int in, int out, int edgeWidth,
                                  SplittableRandom rng) {
    sameWidth(spec, in, out);
    GraphormerLayer layer = new GraphormerLayer(ctx,
        new GraphormerLayer.Config(out, spec.heads(), 2 * out, MAX_DIST, Math.max(edgeWidth, 0)), rng);
    return block(layer, (h, x, e, t, r) -> layer.forward(h, x.shortestPaths(), edgeWidth > 0 ? e : null));
  }

  static final int MAX_DIST = 20;

  private interface Call {
    Tensor apply(Tensor h, Pass in, Tensor edgeAttr, boolean training, SplittableRandom rng);
  }

  private static Block block(Module m, Call call) {
    return new Block() {
      @Override
      public Tensor apply(Tensor h, Pass in, Tensor e, boolean t, SplittableRandom r) {
        return call.apply(h, in, e, t, r);
      }

      @Override
      public Module module() {
        return m;
      }
    };
  }
}
