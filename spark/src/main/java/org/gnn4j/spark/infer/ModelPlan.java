package org.gnn4j.spark.infer;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.conv.Aggr;
import org.gnn4j.nn.conv.GraphConv;
import org.gnn4j.nn.conv.RgcnConv;
import org.gnn4j.nn.conv.SageConv;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.ops.BatchNorm;
import org.gnn4j.ops.LayerNorm;
import org.gnn4j.spark.infer.attention.AttentionPlans;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A trained {@link GraphModel} as what layer-wise inference broadcasts to executors: its node and
 * edge encoders, one {@link LayerPlan} per layer with the model's step after it (norm in eval
 * mode, activation, residual; dropout is off at inference), and the prediction head, all as
 * float arrays. Built on the driver from the model's named parameters; a model with a part the
 * Spark job cannot run is refused with one line naming that part.
 */
public final class ModelPlan implements Serializable {
  /** The model's step after a hidden layer; every field may be off. */
  record Post(float[] bnWeight, float[] bnBias, float[] bnMean, float[] bnVar,
              float[] lnWeight, float[] lnBias, ModelSpec.Activation activation, boolean residual)
      implements Serializable {
    /** @param in [B, F] the layer's input; out [B, F'] its output */
    Tensor apply(Context ctx, Tensor in, Tensor out) {
      int f = out.dim(1);
      if (bnWeight != null) {
        out = BatchNorm.apply(out, ctx.tensor(bnWeight, f), ctx.tensor(bnBias, f), ctx.tensor(bnMean, f),
            ctx.tensor(bnVar, f), false, BatchNorm.DEFAULT_MOMENTUM, BatchNorm.DEFAULT_EPS);
      }
      if (lnWeight != null) out = LayerNorm.apply(out, ctx.tensor(lnWeight, f), ctx.tensor(lnBias, f), LayerNorm.DEFAULT_EPS);
      out = switch (activation) {
        case ELU -> out.elu(1f);
        case GELU -> out.gelu();
        case RELU -> out.relu();
      };
      return residual && out.dim(1) == in.dim(1) ? out.add(in) : out;
    }
  }

  private final int numFeatures;
  private final Dense nodeEncoder;       // or null
  private final Dense edgeEncoder;       // or null
  private final int edgeFeatures;        // width of the raw edge features the model reads (0: none)
  private final int relations;           // R when the edge rows are relation ids (rgcn), else 0
  private final List<LayerPlan> layers;
  private final List<Post> posts;        // one per layer; null after a head: conv output layer
  private final List<Dense> head;        // head: mlp, or null

  private ModelPlan(int numFeatures, Dense nodeEncoder, Dense edgeEncoder, int edgeFeatures,
                    int relations, List<LayerPlan> layers, List<Post> posts, List<Dense> head) {
    this.numFeatures = numFeatures;
    this.relations = relations;
    this.nodeEncoder = nodeEncoder;
    this.edgeEncoder = edgeEncoder;
    this.edgeFeatures = edgeFeatures;
    this.layers = layers;
    this.posts = posts;
    this.head = head;
  }

  /** Width of the node features the model reads. */
  public int numFeatures() {
    return numFeatures;
  }

  /** Width of the raw edge features it reads, 0 for none (1 for relation ids). */
  public int edgeFeatures() {
    return edgeFeatures;
  }

  /**
   * How many relations the model's layers tell apart when they read each edge's relation id
   * (rgcn) instead of edge features: then the one-wide edge row is the edge table's
   * {@code relation} column, a whole number in [0, R). 0 for models that read no relations.
   */
  public int relations() {
    return relations;
  }

  public List<LayerPlan> layers() {
    return layers;
  }

  /** Whether the last layer is the output layer (head: conv) rather than a hidden one. */
  public boolean convHead() {
    return head == null;
  }

  /** How many layers run before what {@link GraphModel#representations} returns. */
  public int hiddenLayers() {
    return head == null ? layers.size() - 1 : layers.size();
  }

  Tensor encodeNodes(Context ctx, Tensor x) {
    return nodeEncoder == null ? x : nodeEncoder.apply(ctx, x);
  }

  Tensor encodeEdges(Context ctx, Tensor e) {
    return edgeEncoder == null ? e : edgeEncoder.apply(ctx, e);
  }

  /** The step after layer {@code i}: in is what the layer read, out what it wrote. */
  Tensor post(Context ctx, int i, Tensor in, Tensor out) {
    Post p = posts.get(i);
    return p == null ? out : p.apply(ctx, in, out);
  }

  Tensor head(Context ctx, Tensor h) {
    return head == null ? h : GinPlan.mlpForward(ctx, head, h);
  }

  /**
   * The plan of {@code model}.
   *
   * @throws IllegalArgumentException naming the first part of the model the Spark job cannot run
   */
  public static ModelPlan of(GraphModel model) {
    ModelSpec spec = model.spec();
    GraphModel.DataShape shape = model.shape();
    String layer = spec.layer().toString();
    if (shape.graphLevel()) {
      throw new IllegalArgumentException("spark infer: the model predicts per graph (pooling "
          + spec.pooling().name().toLowerCase(java.util.Locale.ROOT) + "); layer-wise inference runs node-level models");
    }
    if (spec.layer().isGps() && spec.options().attnType() != org.gnn4j.nn.transformer.GpsLayer.AttnType.PERFORMER) {
      throw new IllegalArgumentException("spark infer: layer '" + layer + "' with exact global attention"
          + " is not supported: it attends every node to every node, N^2 over a whole graph (train it"
          + " with model.attn_type: performer, whose global sums layer-wise inference aggregates)");
    }
    if (spec.pe() != ModelSpec.Pe.NONE) {
      throw new IllegalArgumentException("spark infer: encoder.pe = " + spec.pe() + " is not supported"
          + " (the positional encodings are not computed on Spark yet)");
    }
    if (spec.nodeEncoder() == ModelSpec.Encoder.EMBEDDING || spec.edgeEncoder() == ModelSpec.Encoder.EMBEDDING) {
      throw new IllegalArgumentException("spark infer: encoder embedding (of categorical types) is not"
          + " supported; layer-wise inference reads feature arrays");
    }
    if (spec.options().maxDegree() > 0 || spec.options().graphToken() || spec.options().sharedBias()) {
      throw new IllegalArgumentException("spark infer: encoder.degree, graph_token and shared_bias are not supported");
    }
    Map<String, Tensor> p = model.namedParameters();
    List<GraphLayer> blocks = model.layers();
    List<LayerPlan> plans = new ArrayList<>();
    List<Post> posts = new ArrayList<>();
    boolean convHead = spec.head() == ModelSpec.Head.CONV;
    int edgeWidth = spec.edgeEncoder() == ModelSpec.Encoder.LINEAR ? spec.hidden() : shape.edgeDim();
    for (int i = 0; i < blocks.size(); i++) {
      String pre = "layers." + i + ".";
      plans.add(layer(spec.layer(), blocks.get(i), p, pre, edgeWidth));
      boolean output = convHead && i == blocks.size() - 1;
      if (output || spec.layer().normalisesItself()) {
        posts.add(null);
        continue;
      }
      Tensor w = p.get("norms." + i + ".weight");
      boolean bn = spec.norm() == ModelSpec.NormKind.BATCH;
      boolean ln = spec.norm() == ModelSpec.NormKind.LAYER;
      posts.add(new Post(bn ? w.toArray() : null, bn ? p.get("norms." + i + ".bias").toArray() : null,
          bn ? p.get("norms." + i + ".running_mean").toArray() : null,
          bn ? p.get("norms." + i + ".running_var").toArray() : null,
          ln ? w.toArray() : null, ln ? p.get("norms." + i + ".bias").toArray() : null,
          spec.activation(), spec.residual()));
    }
    Dense nodeEnc = p.containsKey("node_encoder.weight") ? Dense.of(p, "node_encoder") : null;
    Dense edgeEnc = p.containsKey("edge_encoder.weight") ? Dense.of(p, "edge_encoder") : null;
    int relations = spec.layer().readsRelations() ? shape.numEdgeTypes() : 0;
    int rawEdges = relations > 0 ? 1 : plans.stream().anyMatch(l -> l.edgeWidth() > 0) ? shape.edgeDim() : 0;
    return new ModelPlan(shape.numFeatures(), nodeEnc, edgeEnc, rawEdges, relations, List.copyOf(plans), posts,
        convHead ? null : sequential(p, "head"));
  }

  /** Linear layers {@code prefix.0}, {@code prefix.2}, ... (torch's Sequential with ReLUs between). */
  static List<Dense> sequential(Map<String, Tensor> p, String prefix) {
    List<Dense> out = new ArrayList<>();
    for (int k = 0; p.containsKey(prefix + "." + k + ".weight"); k += 2) out.add(Dense.of(p, prefix + "." + k));
    return out;
  }

  private static LayerPlan layer(ModelSpec.Layer kind, GraphLayer block, Map<String, Tensor> p, String pre,
                                 int edgeWidth) {
    return switch (kind) {
      case GCN -> new GcnPlan(Dense.of(p, pre + "lin"), p.get(pre + "bias").toArray());
      case SAGE -> new NeighbourPlan("sage", reduce(((SageConv) block).config().aggr()),
          Dense.of(p, pre + "lin_l"), p.containsKey(pre + "lin_r.weight") ? Dense.of(p, pre + "lin_r") : null);
      case GRAPHCONV -> new NeighbourPlan("graphconv", reduce(((GraphConv) block).config().aggr()),
          Dense.of(p, pre + "lin_rel"), Dense.of(p, pre + "lin_root"));
      case GIN, GINE -> {
        List<Dense> mlp = sequential(p, pre + "nn");
        boolean gine = kind == ModelSpec.Layer.GINE;
        Dense lin = gine && p.containsKey(pre + "lin.weight") ? Dense.of(p, pre + "lin") : null;
        yield new GinPlan(mlp, p.get(pre + "eps").item(), gine, lin, lin != null ? lin.in() : edgeWidth);
      }
      case RESGATED -> {
        Dense key = Dense.of(p, pre + "lin_key");
        int edgeDim = Math.max(0, edgeWidth);   // ModelLayers gives it the edge stream's width
        yield new ResGatedPlan(key, Dense.of(p, pre + "lin_query"), Dense.of(p, pre + "lin_value"),
            p.containsKey(pre + "lin_skip.weight") ? Dense.of(p, pre + "lin_skip") : null,
            p.containsKey(pre + "bias") ? p.get(pre + "bias").toArray() : null, edgeDim);
      }
      case RGCN -> {
        RgcnConv c = (RgcnConv) block;
        RgcnConv.Config cfg = c.config();
        yield new RgcnPlan(cfg.numRelations(), cfg.inChannels(), cfg.outChannels(),
            c.relationWeights().toArray(), p.containsKey(pre + "root") ? p.get(pre + "root").toArray() : null,
            p.containsKey(pre + "bias") ? p.get(pre + "bias").toArray() : null);
      }
      case GAT, GATV2, TRANSFORMER -> AttentionPlans.of(block);
      case GPS_GIN, GPS_GINE, GPS_RESGATED -> AttentionPlans.gps((GpsLayer) block, layer(
          kind == ModelSpec.Layer.GPS_GIN ? ModelSpec.Layer.GIN
              : kind == ModelSpec.Layer.GPS_GINE ? ModelSpec.Layer.GINE : ModelSpec.Layer.RESGATED,
          block, p, pre + "conv.", edgeWidth));
      default -> throw new IllegalArgumentException("spark infer: layer '" + kind
          + "' is not supported by layer-wise inference yet (supported: gcn, sage, graphconv, gin,"
          + " gine, resgated, rgcn, gat, gatv2, transformer, and gps_gin, gps_gine, gps_resgated with"
          + " attn_type performer)");
    };
  }

  private static Reduce reduce(Aggr a) {
    return switch (a) {
      case ADD -> Reduce.SUM;
      case MEAN -> Reduce.MEAN;
      case MAX -> Reduce.MAX;
    };
  }
}
