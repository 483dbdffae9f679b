package org.gnn4j.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.ArrayList;
import org.gnn4j.graph.Relation;
import org.gnn4j.nn.conv.Aggr;
import org.gnn4j.nn.conv.GatConv;
import org.gnn4j.nn.conv.GatV2Conv;
import org.gnn4j.nn.conv.GcnConv;
import org.gnn4j.nn.conv.GinConv;
import org.gnn4j.nn.conv.GineConv;
import org.gnn4j.nn.conv.GraphConv;
import org.gnn4j.nn.conv.HeteroConv;
import org.gnn4j.nn.conv.HgtConv;
import org.gnn4j.nn.conv.LgConv;
import org.gnn4j.nn.conv.ResGatedGraphConv;
import org.gnn4j.nn.conv.RgcnConv;
import org.gnn4j.nn.conv.SageConv;
import org.gnn4j.nn.conv.TransformerConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.nn.transformer.GraphTransformerLayer;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.Norm;
import org.gnn4j.nn.transformer.TransformerEncoderLayer;
import org.gnn4j.nn.gn.GnLayer;
import org.gnn4j.nn.pool.Aggregation;
import org.gnn4j.tensor.Context;

/**
 * The one place a layer name becomes a layer: a PyTorch Geometric class name with its
 * constructor arguments as PyG users write them ({@code GATConv}, {@code in_channels},
 * {@code heads}, {@code nn = Sequential(Linear, ReLU, Linear)}, ...), or the short name a config
 * file uses for the same class ({@code gat}). Model configs, {@code pyg-check} and the benchmarks
 * all build their layers here, so a PyG state_dict loads by name into what a config trains.
 * Layers without a PyG counterpart (Dwivedi &amp; Bresson's {@code GraphTransformerLayer},
 * {@code GraphormerLayer}, the Graph Network block {@code GnLayer}) take gnn4j's class name and
 * arguments in the same snake_case style; {@code TransformerEncoderLayer} takes torch's.
 */
public final class LayerFactory {
  private LayerFactory() {}

  /** Config names and the class each stands for. */
  private static final Map<String, String> CONFIG_NAMES = Map.ofEntries(
      Map.entry("gcn", "GCNConv"), Map.entry("gin", "GINConv"), Map.entry("gine", "GINEConv"),
      Map.entry("gat", "GATConv"), Map.entry("gatv2", "GATv2Conv"),
      Map.entry("transformer", "TransformerConv"), Map.entry("resgated", "ResGatedGraphConv"),
      Map.entry("gps", "GPSConv"), Map.entry("graph_transformer", "GraphTransformerLayer"),
      Map.entry("graphormer", "GraphormerLayer"), Map.entry("sage", "SAGEConv"),
      Map.entry("graphconv", "GraphConv"), Map.entry("lgconv", "LGConv"),
      Map.entry("rgcn", "RGCNConv"), Map.entry("hgt", "HGTConv"),
      Map.entry("hetero", "HeteroConv"),
      Map.entry("transformer_encoder", "TransformerEncoderLayer"), Map.entry("gn", "GnLayer"));

  /** Class names {@link #create} understands. */
  public static final List<String> CLASSES = List.of("GCNConv", "GINConv", "GINEConv", "GATConv",
      "GATv2Conv", "TransformerConv", "ResGatedGraphConv", "SAGEConv", "GraphConv", "LGConv",
      "RGCNConv", "GPSConv", "GraphTransformerLayer", "GraphormerLayer", "TransformerEncoderLayer",
      "GnLayer");

  /** Heterogeneous layer classes {@link #createHetero} understands. */
  public static final List<String> HETERO_CLASSES = List.of("HGTConv", "HeteroConv", "RGCNConv");

  /** The class a config name or class name stands for. */
  public static String className(String name) {
    return CONFIG_NAMES.getOrDefault(name, name);
  }

  /**
   * Builds a layer; parameters are initialised from {@code rng} in PyG's order, so callers that
   * load a state_dict afterwards may pass any stream.
   *
   * @param name a class name of {@link #CLASSES} or a config name ({@code gat}, ...)
   * @param kwargs the constructor arguments, PyG names; nested modules as {"class": ...}
   * @throws IllegalArgumentException naming the class or argument that is not supported
   */
  public static GraphLayer create(Context ctx, String name, Map<String, Object> kwargs,
                                  SplittableRandom rng) {
    String cls = className(name);
    LayerArgs a = new LayerArgs(cls, kwargs);
    return switch (cls) {
      case "GCNConv" -> new GcnConv(ctx, a.i("in_channels"), a.i("out_channels"), rng);
      case "GINConv", "GINEConv", "ResGatedGraphConv" -> local(ctx, cls, kwargs, rng);
      case "GATConv", "GATv2Conv" -> {
        int[] in = a.inChannels();
        GatConv.Config c = new GatConv.Config(in[0], a.i("out_channels"),
            a.i("heads", 1), a.b("concat", true), a.f("negative_slope", 0.2f),
            a.f("dropout", 0f), a.b("add_self_loops", true), a.b("bias", true), in[1],
            a.inChannelsPair());
        yield cls.equals("GATConv") ? new GatConv(ctx, c, rng) : new GatV2Conv(ctx, c, rng);
      }
      case "TransformerConv" -> {
        int[] in = a.inChannels();
        yield new TransformerConv(ctx, new TransformerConv.Config(in[0], a.i("out_channels"),
            a.i("heads", 1), a.b("concat", true), a.b("beta", false), a.i("edge_dim", 0),
            a.b("root_weight", true), in[1]), rng);
      }
      case "SAGEConv" -> {
        int[] in = a.inChannels();
        yield new SageConv(ctx, new SageConv.Config(in[0], in[1], a.i("out_channels"),
            Aggr.of(a.s("aggr", "mean")), a.b("normalize", false), a.b("root_weight", true),
            a.b("bias", true)), rng);
      }
      case "GraphConv" -> {
        int[] in = a.inChannels();
        yield new GraphConv(ctx, new GraphConv.Config(in[0], in[1], a.i("out_channels"),
            Aggr.of(a.s("aggr", "add")), a.b("bias", true)), rng);
      }
      case "LGConv" -> new LgConv(a.b("normalize", true));
      case "RGCNConv" -> new RgcnConv(ctx, rgcnConfig(a), rng);
      case "GPSConv" -> gps(ctx, a, kwargs, rng);
      case "GraphTransformerLayer" -> new GraphTransformerLayer(ctx,
          GraphTransformerLayer.Config.of(a.i("channels"), a.i("heads", 1))
              .withEdgeFeatures(a.b("edge_features", false))
              .withNorm(a.s("norm", "batch").equals("layer") ? Norm.Kind.LAYER : Norm.Kind.BATCH)
              .withResidual(a.b("residual", true)), rng);
      case "GraphormerLayer" -> {
        int c = a.i("channels");
        yield new GraphormerLayer(ctx, new GraphormerLayer.Config(c, a.i("heads", 1),
            a.i("ffn_channels", 2 * c), a.i("max_dist", 20), a.i("edge_dim", 0)), rng);
      }
      case "TransformerEncoderLayer" -> {
        int c = a.i("d_model");
        yield new TransformerEncoderLayer(ctx, new TransformerEncoderLayer.Config(c,
            a.i("nhead", 1), a.i("dim_feedforward", 2048), a.b("norm_first", false)), rng);
      }
      case "GnLayer" -> {
        int c = a.i("channels");
        String aggr = a.s("aggr", "sum");
        if (!List.of("sum", "mean", "max").contains(aggr)) {
          throw new IllegalArgumentException("GnLayer: aggr = '" + aggr + "' is not supported"
              + " (supported: sum, mean, max)");
        }
        yield new GnLayer(ctx, c, a.i("hidden_channels", c),
            Aggregation.valueOf(aggr.toUpperCase(java.util.Locale.ROOT)), a.b("residual", true),
            rng);
      }
      default -> throw new IllegalArgumentException("layer '" + name + "' is not supported"
          + " (supported: " + String.join(", ", CLASSES) + ", or config names "
          + String.join(", ", CONFIG_NAMES.keySet().stream().sorted().toList()) + ")");
    };
  }

  /**
   * Builds a layer over heterogeneous graphs: {@code HGTConv} (PyG's {@code metadata} names the
   * node types and relations), {@code HeteroConv} ({@code convs} maps {@code src__rel__dst} to a
   * layer's kwargs with its {@code class}), or {@code RGCNConv} on the relations of
   * {@code metadata}.
   *
   * @throws IllegalArgumentException naming the class or argument that is not supported
   */
  @SuppressWarnings("unchecked")
  public static HeteroLayer createHetero(Context ctx, String name, Map<String, Object> kwargs,
                                         SplittableRandom rng) {
    String cls = className(name);
    LayerArgs a = new LayerArgs(cls, kwargs);
    return switch (cls) {
      case "HGTConv" -> {
        Object in = kwargs.get("in_channels");
        List<Relation> relations = a.relations();
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (String t : a.nodeTypes()) {
          widths.put(t, in instanceof Map<?, ?> m ? new LayerArgs(cls + " in_channels",
              (Map<String, Object>) m).i(t) : a.i("in_channels"));
        }
        yield new HgtConv(ctx, widths, relations, a.i("out_channels"), a.i("heads", 1), rng);
      }
      case "HeteroConv" -> {
        Object convs = kwargs.get("convs");
        if (!(convs instanceof Map<?, ?> cm) || cm.isEmpty()) {
          throw new IllegalArgumentException(cls + ": kwargs need 'convs' (relation ->"
              + " {\"class\": ..., ...})");
        }
        Map<Relation, GraphLayer> layers = new LinkedHashMap<>();
        for (var e : ((Map<String, Object>) cm).entrySet()) {
          if (!(e.getValue() instanceof Map<?, ?> conv)) {
            throw new IllegalArgumentException(cls + ": convs." + e.getKey() + " must be a layer"
                + " (got " + e.getValue() + ")");
          }
          Map<String, Object> ckw = (Map<String, Object>) conv;
          layers.put(Relation.parse(e.getKey()),
              create(ctx, String.valueOf(ckw.get("class")), ckw, rng));
        }
        yield new HeteroConv(layers, HeteroConv.Aggr.valueOf(
            a.s("aggr", "sum").toUpperCase(java.util.Locale.ROOT)));
      }
      case "RGCNConv" -> new RgcnConv(ctx, rgcnConfig(a), a.relations(), rng);
      default -> throw new IllegalArgumentException("heterogeneous layer '" + name
          + "' is not supported (supported: " + String.join(", ", HETERO_CLASSES) + ")");
    };
  }

  private static RgcnConv.Config rgcnConfig(LayerArgs a) {
    return new RgcnConv.Config(a.i("in_channels"), a.i("out_channels"), a.i("num_relations"),
        a.i("num_bases", 0), a.i("num_blocks", 0), a.b("root_weight", true), a.b("bias", true));
  }

  private static GpsLayer gps(Context ctx, LayerArgs a, Map<String, Object> kwargs,
                              SplittableRandom rng) {
    a.expect("norm", "batch_norm");
    Object conv = kwargs.get("conv");
    if (!(conv instanceof Map<?, ?> convMap)) {
      throw new IllegalArgumentException("GPSConv: kwargs need 'conv' (the local layer, as"
          + " {\"class\": \"GINConv\", ...})");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> c = withDefaultMlp((Map<String, Object>) convMap, a.i("channels"));
    GraphLayer local = local(ctx, String.valueOf(c.get("class")), c, rng);
    return new GpsLayer(ctx, a.i("channels"), local, a.i("heads", 1),
        GpsLayer.AttnType.of(a.s("attn_type", "multihead")), rng);
  }

  /**
   * GraphGPS builds the local GIN/GINE of a GPS layer as Sequential(Linear(C, C), ReLU,
   * Linear(C, C)); a local layer named without its 'nn' means that MLP. (A different MLP would
   * then fail loudly when its state_dict is loaded, by name and shape.)
   */
  private static Map<String, Object> withDefaultMlp(Map<String, Object> conv, int channels) {
    if (conv.containsKey("nn") || !String.valueOf(conv.get("class")).startsWith("GIN")) {
      return conv;
    }
    Map<String, Object> copy = new LinkedHashMap<>(conv);
    copy.put("nn", sequential(channels, channels, channels));
    return copy;
  }

  /** The local layers GPS can hold, also built on their own. */
  private static GraphLayer local(Context ctx, String cls, Map<String, Object> kw,
                                  SplittableRandom rng) {
    LayerArgs a = new LayerArgs(cls, kw);
    if (cls.equals("ResGatedGraphConv")) {
      Object act = kw.get("act");                       // a module: {"class": "Sigmoid"}
      if (act != null && !(act instanceof Map<?, ?> m && "Sigmoid".equals(m.get("class")))) {
        throw new IllegalArgumentException(cls + ": act = " + act + " is not supported yet"
            + " (supported: Sigmoid, PyG's default)");
      }
      int in = kw.containsKey("in_channels") ? a.i("in_channels") : a.i("channels");
      int out = kw.containsKey("out_channels") ? a.i("out_channels") : in;
      return new ResGatedGraphConv(ctx, in, out, a.i("edge_dim", 0), a.b("root_weight", true),
          a.b("bias", true), rng);
    }
    if (!cls.equals("GINConv") && !cls.equals("GINEConv")) {
      throw new IllegalArgumentException("local layer '" + cls
          + "' is not supported (supported: GINConv, GINEConv, ResGatedGraphConv)");
    }
    Object nn = kw.get("nn");
    if (!(nn instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(cls + ": kwargs need 'nn' (its MLP)");
    }
    @SuppressWarnings("unchecked")
    Mlp mlp = mlp(ctx, cls, (Map<String, Object>) nn, rng);
    return cls.equals("GINConv")
        ? new GinConv(ctx, mlp, a.f("eps", 0f), a.b("train_eps", false))
        : new GineConv(ctx, mlp, a.f("eps", 0f), a.b("train_eps", false), a.i("edge_dim", 0),
            rng);
  }

  /**
   * The kwargs of PyG's Sequential(Linear(w0, w1), ReLU, Linear(w1, w2), ...) with biases, the
   * {@code nn} argument GIN layers take, for callers that describe a layer in code.
   */
  public static Map<String, Object> sequential(int... widths) {
    List<Object> layers = new ArrayList<>();
    for (int i = 0; i + 1 < widths.length; i++) {
      if (i > 0) layers.add(Map.of("class", "ReLU"));
      layers.add(Map.of("class", "Linear", "in_features", widths[i], "out_features",
          widths[i + 1], "bias", true));
    }
    return Map.of("class", "Sequential", "layers", layers);
  }

  /** Sequential(Linear, ReLU, Linear, ...) with biases: the MLP shape GIN layers take. */
  @SuppressWarnings("unchecked")
  private static Mlp mlp(Context ctx, String owner, Map<String, Object> nn, SplittableRandom rng) {
    Object layersObj = nn.get("layers");
    if (!"Sequential".equals(nn.get("class")) || !(layersObj instanceof List<?> layers)
        || layers.size() % 2 == 0) {
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
        LayerArgs la = new LayerArgs(owner + " nn layer " + i, l);
        widths[i / 2] = la.i("in_features");
        widths[i / 2 + 1] = la.i("out_features");
      }
    }
    return new Mlp(ctx, rng, widths);
  }
}
