package org.gnn4j.io;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
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
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Builds the gnn4j layer that matches a PyTorch Geometric layer from its class name and its
 * constructor arguments (as PyG users write them: {@code in_channels}, {@code heads},
 * {@code nn = Sequential(Linear, ReLU, Linear)}, ...), so that a PyG state_dict loads into it by
 * name ({@link StateDict}). Supported: GCNConv, GINConv, GINEConv, GATConv, GATv2Conv,
 * TransformerConv, ResGatedGraphConv, GPSConv (multihead or performer attention, batch norm,
 * GIN/GINE/ResGatedGraphConv local layer).
 */
public final class PygLayers {
  private PygLayers() {}

  /** Layer classes {@link #build} understands. */
  public static final List<String> SUPPORTED = List.of("GCNConv", "GINConv", "GINEConv",
      "GATConv", "GATv2Conv", "TransformerConv", "ResGatedGraphConv", "GPSConv");

  /** Inputs of one forward call. batch may be null (one graph). */
  public record Inputs(Tensor x, EdgeIndex edges, Tensor edgeAttr, int[] batch) {}

  /** A built layer and how to call it. */
  public interface Layer {
    Module module();

    Tensor forward(Inputs in);

    /** Batch-norm mode for layers that have one; a no-op for the others. */
    default void train(boolean on) {}
  }

  /**
   * @param kwargs the constructor arguments, PyG names; nested modules as {"class": ...}
   * @throws IllegalArgumentException naming the class or argument that is not supported
   */
  public static Layer build(Context ctx, String layerClass, Map<String, Object> kwargs) {
    SplittableRandom rng = new SplittableRandom(0);   // every parameter is loaded afterwards
    Args a = new Args(layerClass, kwargs);
    switch (layerClass) {
      case "GCNConv" -> {
        GcnConv m = new GcnConv(ctx, a.i("in_channels"), a.i("out_channels"), rng);
        return simple(m, in -> m.forward(in.x(), in.edges()));
      }
      case "GINConv", "GINEConv", "ResGatedGraphConv" -> {
        MessagePassing m = messagePassing(ctx, layerClass, kwargs, rng);
        return simple(m, in -> m.forward(in.x(), in.edges(), in.edgeAttr()));
      }
      case "GATConv", "GATv2Conv" -> {
        GatConv.Config c = new GatConv.Config(a.i("in_channels"), a.i("out_channels"),
            a.i("heads", 1), a.b("concat", true), a.f("negative_slope", 0.2f),
            a.f("dropout", 0f), a.b("add_self_loops", true), a.b("bias", true));
        if (layerClass.equals("GATConv")) {
          GatConv m = new GatConv(ctx, c, rng);
          return simple(m, in -> m.forward(in.x(), in.edges()));
        }
        GatV2Conv m = new GatV2Conv(ctx, c, rng);
        return simple(m, in -> m.forward(in.x(), in.edges()));
      }
      case "TransformerConv" -> {
        Object edgeDim = kwargs.get("edge_dim");
        TransformerConv m = new TransformerConv(ctx, new TransformerConv.Config(a.i("in_channels"),
            a.i("out_channels"), a.i("heads", 1), a.b("concat", true), a.b("beta", false),
            edgeDim == null ? 0 : a.i("edge_dim"), a.b("root_weight", true)), rng);
        return simple(m, in -> m.forward(in.x(), in.edges(), in.edgeAttr()));
      }
      case "GPSConv" -> {
        Object attnType = kwargs.getOrDefault("attn_type", "multihead");
        a.expect("norm", "batch_norm");
        @SuppressWarnings("unchecked")
        Map<String, Object> conv = (Map<String, Object>) kwargs.get("conv");
        if (conv == null) throw new IllegalArgumentException("GPSConv: kwargs need 'conv'");
        GpsLayer m = new GpsLayer(ctx, a.i("channels"),
            messagePassing(ctx, String.valueOf(conv.get("class")), withDefaultMlp(conv, a.i("channels")), rng),
            a.i("heads", 1),
            GpsLayer.AttnType.of(String.valueOf(attnType)), rng);
        return new Layer() {
          public Module module() {
            return m;
          }

          public Tensor forward(Inputs in) {
            int[] batch = in.batch() == null ? new int[in.x().dim(0)] : in.batch();
            return m.forward(in.x(), in.edges(), in.edgeAttr(), batch);
          }

          public void train(boolean on) {
            m.train(on);
          }
        };
      }
      default -> throw new IllegalArgumentException("PyG layer '" + layerClass
          + "' is not supported (supported: " + String.join(", ", SUPPORTED) + ")");
    }
  }

  /**
   * GraphGPS builds the local GIN/GINE of a GPS layer as Sequential(Linear(C, C), ReLU,
   * Linear(C, C)); a fixture that names the local layer without its 'nn' means that MLP. (A
   * different MLP would then fail loudly when its state_dict is loaded, by name and shape.)
   */
  private static Map<String, Object> withDefaultMlp(Map<String, Object> conv, int channels) {
    if (conv.containsKey("nn") || !String.valueOf(conv.get("class")).startsWith("GIN")) return conv;
    Map<String, Object> linear = Map.of("class", "Linear", "in_features", (long) channels,
        "out_features", (long) channels, "bias", true);
    Map<String, Object> copy = new java.util.LinkedHashMap<>(conv);
    copy.put("nn", Map.of("class", "Sequential", "layers", List.of(linear, Map.of("class", "ReLU"), linear)));
    return copy;
  }

  private static MessagePassing messagePassing(Context ctx, String cls, Map<String, Object> kw,
                                               SplittableRandom rng) {
    Args a = new Args(cls, kw);
    if (cls.equals("ResGatedGraphConv")) {
      Object act = kw.get("act");                       // a module: {"class": "Sigmoid"}
      if (act != null && !(act instanceof Map<?, ?> m && "Sigmoid".equals(m.get("class")))) {
        throw new IllegalArgumentException(cls + ": act = " + act + " is not supported yet"
            + " (supported: Sigmoid, PyG's default)");
      }
      Object edgeDim = kw.get("edge_dim");
      int in = kw.containsKey("in_channels") ? a.i("in_channels") : a.i("channels");
      int out = kw.containsKey("out_channels") ? a.i("out_channels") : in;
      return new ResGatedGraphConv(ctx, in, out, edgeDim == null ? 0 : a.i("edge_dim"),
          a.b("root_weight", true), a.b("bias", true), rng);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> nn = (Map<String, Object>) kw.get("nn");
    if (nn == null) throw new IllegalArgumentException(cls + ": kwargs need 'nn' (its MLP)");
    Mlp mlp = mlp(ctx, cls, nn, rng);
    return switch (cls) {
      case "GINConv" -> new GinConv(ctx, mlp, a.f("eps", 0f), a.b("train_eps", false));
      case "GINEConv" -> new GineConv(ctx, mlp, a.f("eps", 0f), a.b("train_eps", false),
          a.i("edge_dim"), rng);
      default -> throw new IllegalArgumentException("local layer '" + cls
          + "' is not supported (supported: GINConv, GINEConv, ResGatedGraphConv)");
    };
  }

  /** Sequential(Linear, ReLU, Linear, ...) with biases: the only MLP shape we map so far. */
  @SuppressWarnings("unchecked")
  private static Mlp mlp(Context ctx, String owner, Map<String, Object> nn, SplittableRandom rng) {
    List<Object> layers = (List<Object>) nn.get("layers");
    if (!"Sequential".equals(nn.get("class")) || layers == null || layers.size() % 2 == 0) {
      throw new IllegalArgumentException(owner + ": nn must be Sequential(Linear, ReLU, ...,"
          + " Linear) (got " + nn + ")");
    }
    int[] widths = new int[layers.size() / 2 + 2];
    for (int i = 0; i < layers.size(); i++) {
      Map<String, Object> l = (Map<String, Object>) layers.get(i);
      String want = i % 2 == 0 ? "Linear" : "ReLU";
      if (!want.equals(l.get("class")) || (i % 2 == 0 && Boolean.FALSE.equals(l.get("bias")))) {
        throw new IllegalArgumentException(owner + ": nn layer " + i + " must be " + want
            + (i % 2 == 0 ? " with bias" : "") + " (got " + l + ")");
      }
      if (i % 2 == 0) {
        widths[i / 2] = ((Long) l.get("in_features")).intValue();
        widths[i / 2 + 1] = ((Long) l.get("out_features")).intValue();
      }
    }
    return new Mlp(ctx, rng, widths);
  }

  private static Layer simple(Module m, java.util.function.Function<Inputs, Tensor> f) {
    return new Layer() {
      public Module module() {
        return m;
      }

      public Tensor forward(Inputs in) {
        return f.apply(in);
      }
    };
  }

  /** Typed access to kwargs with PyG's defaults and errors that name the argument. */
  private record Args(String layer, Map<String, Object> kw) {
    int i(String key) {
      Object v = kw.get(key);
      if (!(v instanceof Long l)) {
        throw new IllegalArgumentException(layer + ": argument '" + key
            + "' must be an integer (got " + v + ")");
      }
      return Math.toIntExact(l);
    }

    int i(String key, int def) {
      return kw.containsKey(key) ? i(key) : def;
    }

    float f(String key, float def) {
      Object v = kw.get(key);
      if (v == null) return def;
      if (v instanceof Number n) return n.floatValue();
      throw new IllegalArgumentException(layer + ": argument '" + key + "' must be a number (got "
          + v + ")");
    }

    boolean b(String key, boolean def) {
      Object v = kw.get(key);
      if (v == null) return def;
      if (v instanceof Boolean b) return b;
      throw new IllegalArgumentException(layer + ": argument '" + key + "' must be true or false"
          + " (got " + v + ")");
    }

    void expect(String key, String value) {
      Object v = kw.get(key);
      if (v != null && !value.equals(v)) {
        throw new IllegalArgumentException(layer + ": " + key + " = '" + v + "' is not supported"
            + " yet (supported: '" + value + "')");
      }
    }
  }
}
