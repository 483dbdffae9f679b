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
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Turns a layer name of the config into one block of a {@link GraphModel}: the layer itself
 * plus how it is called (which inputs it reads, whether it takes the dropout stream). Keeping
 * that here keeps GraphModel free of per-layer cases.
 */
final class Layers {
  private Layers() {}

  /** One layer as the model stacks it. */
  interface Block {
    /** h: [N, in] -> [N, out]; {@code edgeAttr} is the encoded edge stream or null. */
    Tensor apply(Tensor h, ModelInput in, Tensor edgeAttr, boolean training, SplittableRandom rng);

    Module module();

    default void train(boolean on) {}
  }

  /** GPS layers carry their own norms and residuals; the model adds none around them. */
  static boolean normalisesItself(String layer) {
    return layer.startsWith("gps");
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
        GineConv c = new GineConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false, edgeWidth, rng);
        yield block(c, (h, x, e, t, r) -> c.forward(h, x.edges(), e));
      }
      case "transformer" -> {
        TransformerConv.Config cfg = TransformerConv.Config.of(in, perHead, heads)
            .withConcat(!outputLayer).withEdgeDim(Math.max(edgeWidth, 0));
        TransformerConv c = new TransformerConv(ctx, cfg, rng);
        yield block(c, (h, x, e, t, r) -> edgeWidth > 0 ? c.forward(h, x.edges(), e) : c.forward(h, x.edges()));
      }
      case "gps_gin", "gps_gine" -> {
        if (in != out) {
          throw new IllegalArgumentException("model: " + spec.layer() + " keeps the width; the input has "
              + in + " features and hidden is " + out + " (set encoder.node: linear)");
        }
        MessagePassing local = spec.layer().equals("gps_gin")
            ? new GinConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false)
            : new GineConv(ctx, new Mlp(ctx, rng, in, out, out), 0f, false, edgeWidth, rng);
        GpsLayer g = new GpsLayer(ctx, out, local, spec.heads(), rng);
        yield new Block() {
          @Override
          public Tensor apply(Tensor h, ModelInput x, Tensor e, boolean t, SplittableRandom r) {
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
      default -> throw new IllegalArgumentException("model: unknown layer '" + spec.layer() + "'");
    };
  }

  private interface Call {
    Tensor apply(Tensor h, ModelInput in, Tensor edgeAttr, boolean training, SplittableRandom rng);
  }

  private static Block block(Module m, Call call) {
    return new Block() {
      @Override
      public Tensor apply(Tensor h, ModelInput in, Tensor e, boolean t, SplittableRandom r) {
        return call.apply(h, in, e, t, r);
      }

      @Override
      public Module module() {
        return m;
      }
    };
  }
}
