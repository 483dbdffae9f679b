package org.gnn4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.EdgeUpdatingLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.BatchNorm1d;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.SparseInputLayer;
import org.gnn4j.nn.pool.GlobalPool;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.ops.LayerNorm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A whole model built from a {@link ModelSpec}: input encoders (features, atom/bond types,
 * positional encodings), a stack of message-passing or graph-transformer layers with dropout,
 * norm and residuals, optional pooling over the graphs of a batch, and a prediction head. The
 * parameter names are stable ({@code node_encoder.weight}, {@code layers.0.lin.weight}, ...), so
 * checkpoints written by one run load into a model built from the same config.
 */
public final class GraphModel implements Module {
  /** The sizes of the data a model is built for. */
  public record DataShape(int numFeatures, int numNodeTypes, int edgeDim, int numEdgeTypes,
                          int outDim, boolean graphLevel) {}

  private final ModelSpec spec;
  private final DataShape shape;
  private final Linear nodeLinear;        // encoder.node = linear
  private final Tensor nodeEmbedding;     // encoder.node = embedding: [types, hidden - peDim]
  private final Linear edgeLinear;
  private final Tensor edgeEmbedding;     // [edge types, hidden]
  private final Linear peLinear;          // [peK] -> [peDim]
  private final List<GraphLayer> blocks = new ArrayList<>();
  private final List<BatchNorm1d> batchNorms = new ArrayList<>();
  private final List<Tensor[]> layerNorms = new ArrayList<>();
  private final Mlp head;
  private boolean training = true;

  public GraphModel(Context ctx, ModelSpec spec, DataShape shape, SplittableRandom rng) {
    this.spec = spec;
    this.shape = shape;
    int h = spec.hidden();
    int nodeOut = h - spec.peDim();
    nodeLinear = spec.nodeEncoder() == ModelSpec.Encoder.LINEAR ? linear(ctx, shape.numFeatures(), nodeOut, rng) : null;
    if (spec.nodeEncoder() == ModelSpec.Encoder.EMBEDDING) {
      if (shape.numNodeTypes() < 1) throw new IllegalArgumentException("model: encoder.node = embedding needs categorical node types, and the dataset has none");
      // One extra row: the mask token of masked pre-training, so pre-trained weights fit.
      nodeEmbedding = ctx.randn(rng, shape.numNodeTypes() + 1, nodeOut).requiresGrad(true);
    } else {
      nodeEmbedding = null;
    }
    peLinear = spec.pe() == ModelSpec.Pe.NONE ? null : linear(ctx, spec.peK(), spec.peDim(), rng);
    edgeLinear = spec.edgeEncoder() == ModelSpec.Encoder.LINEAR ? linear(ctx, shape.edgeDim(), h, rng) : null;
    if (spec.edgeEncoder() == ModelSpec.Encoder.EMBEDDING) {
      if (shape.numEdgeTypes() < 1) throw new IllegalArgumentException("model: encoder.edge = embedding needs categorical edge types, and the dataset has none");
      edgeEmbedding = ctx.randn(rng, shape.numEdgeTypes(), h).requiresGrad(true);
    } else {
      edgeEmbedding = null;
    }
    int edgeWidth = edgeEmbedding != null || edgeLinear != null ? h : shape.edgeDim();
    if (spec.usesEdgeFeatures() && edgeWidth < 1) {
      throw new IllegalArgumentException("model: layer '" + spec.layer() + "' needs edge features, and the dataset has none");
    }
    int in = spec.nodeEncoder() == ModelSpec.Encoder.NONE ? shape.numFeatures() : h;
    boolean convHead = spec.head() == ModelSpec.Head.CONV;
    for (int i = 0; i < spec.layers(); i++) {
      boolean last = i == spec.layers() - 1;
      int out = convHead && last ? shape.outDim() : h;
      blocks.add(ModelLayers.create(ctx, spec, in, out, last && convHead, edgeWidth, rng));
      if (!(convHead && last) && !spec.layer().normalisesItself()) {
        if (spec.norm() == ModelSpec.NormKind.BATCH) batchNorms.add(new BatchNorm1d(ctx, out));
        if (spec.norm() == ModelSpec.NormKind.LAYER) layerNorms.add(new Tensor[] {ctx.ones(out).requiresGrad(true), Init.zeros(ctx, out)});
      }
      in = out;
    }
    if (convHead) {
      head = null;
    } else {
      int[] widths = new int[spec.headLayers() + 1];
      java.util.Arrays.fill(widths, h);
      widths[widths.length - 1] = shape.outDim();
      head = new Mlp(ctx, rng, widths);
    }
    if (shape.graphLevel() && spec.pooling() == ModelSpec.Pooling.NONE) {
      throw new IllegalArgumentException("model: a graph-level task needs pooling (sum, mean or max); model.pooling is 'none'");
    }
  }

  private static Linear linear(Context ctx, int in, int out, SplittableRandom rng) {
    if (in < 1) throw new IllegalArgumentException("model: a linear encoder needs input features, and the dataset has none");
    return new Linear(ctx, in, out, true, rng);
  }

  public ModelSpec spec() {
    return spec;
  }

  public DataShape shape() {
    return shape;
  }

  /** The stack of layers in order (e.g. to record their attention, {@link ModelAttention}). */
  public List<GraphLayer> layers() {
    return List.copyOf(blocks);
  }

  /** Dropout on/off and batch-norm batch statistics (train) or running statistics (eval). */
  @Override
  public void train(boolean on) {
    training = on;
    for (BatchNorm1d bn : batchNorms) bn.train(on);
    for (GraphLayer b : blocks) b.train(on);
  }

  /**
   * Dropout, in training mode, draws from the context's current stream ({@code
   * Context#random}); a trainer sets one per epoch.
   *
   * @return [N, outDim] for node tasks, [G, outDim] for graph tasks (logits or regression values)
   */
  public Tensor forward(ModelInput in) {
    return forward(in, null);
  }

  /**
   * Sees the node representation after every layer (after its norm, activation, residual and
   * dropout; for a {@code head: conv} model the last one is the output layer's): what
   * oversmoothing measures and attention explanations read.
   */
  public interface LayerProbe {
    /**
     * @param layer 0-based layer index
     * @param input [N, width] the representation the layer read
     * @param output [N, width'] the representation it passed on
     */
    void after(int layer, Tensor input, Tensor output);
  }

  /** {@link #forward(ModelInput)}, showing each layer's representation to {@code probe} (null: none). */
  public Tensor forward(ModelInput in, LayerProbe probe) {
    Stream s = trunk(in, probe);
    Tensor h = s.h();
    if (head == null) {                                                 // the output conv layer
      int last = blocks.size() - 1;
      Tensor out = block(last, h, s.e(), in).h();
      if (probe != null) probe.after(last, h, out);
      h = out;
    }
    if (shape.graphLevel()) h = pool(h, in);
    return head == null ? h : head.forward(h);
  }


  /**
   * What the prediction head reads, for vector search and other downstream use: with
   * {@code head: mlp} the nodes' final hidden representations (pooled per graph for a
   * graph-level model), with {@code head: conv} the representations the last, output layer
   * reads (after the previous layer's norm, activation and residual). Call it in eval mode.
   *
   * @return [N, width] for node tasks, [G, width] for graph tasks
   */
  public Tensor representations(ModelInput in) {
    Tensor h = trunk(in, null).h();
    return shape.graphLevel() ? pool(h, in) : h;
  }

  /** The node and edge streams between layers. */
  private record Stream(Tensor h, Tensor e) {}

  /** Encoders and every layer but a {@code head: conv} model's output layer. */
  private Stream trunk(ModelInput in, LayerProbe probe) {
    Tensor h = Dropout.apply(encodeNodes(in), spec.inputDropout(), training);
    Tensor e = encodeEdges(in);
    int hidden = head == null ? blocks.size() - 1 : blocks.size();
    for (int i = 0; i < hidden; i++) {
      Stream o = block(i, h, e, in);
      Tensor out = o.h();
      e = o.e();
      if (!spec.layer().normalisesItself()) {
        if (!batchNorms.isEmpty()) out = batchNorms.get(i).forward(out);
        if (!layerNorms.isEmpty()) out = LayerNorm.apply(out, layerNorms.get(i)[0], layerNorms.get(i)[1], LayerNorm.DEFAULT_EPS);
        out = activate(out);
        if (spec.residual() && out.dim(1) == h.dim(1)) out = out.add(h);
      }
      Tensor next = Dropout.apply(out, spec.dropout(), training);
      if (probe != null) probe.after(i, h, next);
      h = next;
    }
    return new Stream(h, e);
  }

  /** Layer {@code i} on (h, e); an edge-updating layer also returns its new edge stream. */
  private Stream block(int i, Tensor h, Tensor e, ModelInput in) {
    if (i == 0 && h == in.x() && in.xSparse() != null && blocks.get(0) instanceof SparseInputLayer s) {
      return new Stream(s.forwardSparse(in.xSparse(), in.graph(), e), e);   // raw features, read sparse
    }
    if (blocks.get(i) instanceof EdgeUpdatingLayer u && e != null) {
      EdgeUpdatingLayer.Output o = u.forwardWithEdges(h, in.graph(), e);
      return new Stream(o.h(), o.e());
    }
    return new Stream(blocks.get(i).forward(h, in.graph(), e), e);
  }

  private Tensor encodeNodes(ModelInput in) {
    Tensor h;
    if (nodeEmbedding != null) {
      if (in.nodeTypes() == null) throw new IllegalArgumentException("model: encoder.node = embedding but the input has no node types");
      checkIds("node type", in.nodeTypes(), nodeEmbedding.dim(0));
      h = IndexSelect.embedding(nodeEmbedding, in.nodeTypes());
    } else {
      if (in.x() == null) throw new IllegalArgumentException("model: the input has no node features (x)");
      if (in.x().dim(1) != shape.numFeatures()) {
        throw new IllegalArgumentException("model: node features have " + in.x().dim(1)
            + " columns, the model was built for " + shape.numFeatures());
      }
      h = nodeLinear != null ? nodeLinear.forward(in.x()) : in.x();
    }
    if (peLinear != null) {
      if (in.pe() == null) throw new IllegalArgumentException("model: encoder.pe = " + spec.pe() + " but the input carries no encoding");
      h = Concat.concat(1, h, peLinear.forward(in.pe()));
    }
    return h;
  }

  private Tensor encodeEdges(ModelInput in) {
    if (edgeEmbedding != null) {
      if (in.edgeTypes() == null) throw new IllegalArgumentException("model: encoder.edge = embedding but the input has no edge types");
      checkIds("edge type", in.edgeTypes(), edgeEmbedding.dim(0));
      return IndexSelect.embedding(edgeEmbedding, in.edgeTypes());
    }
    if (edgeLinear != null) {
      if (in.edgeAttr() == null) throw new IllegalArgumentException("model: encoder.edge = linear but the input has no edge features");
      return edgeLinear.forward(in.edgeAttr());
    }
    return in.edgeAttr();
  }

  private static void checkIds(String what, int[] ids, int count) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= count) {
        throw new IllegalArgumentException("model: " + what + " " + ids[i] + " at position " + i
            + " is outside the model's range [0, " + count + ")");
      }
    }
  }

  private Tensor activate(Tensor x) {
    return switch (spec.activation()) {
      case ELU -> x.elu(1f);
      case GELU -> x.gelu();
      case RELU -> x.relu();
    };
  }

  private Tensor pool(Tensor h, ModelInput in) {
    int[] batch = in.graph().batch();
    int g = in.graph().numGraphs();
    return switch (spec.pooling()) {
      case SUM -> GlobalPool.sum(h, batch, g);
      case MAX -> GlobalPool.max(h, batch, g);
      default -> GlobalPool.mean(h, batch, g);
    };
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    if (nodeLinear != null) Module.addAll(m, "node_encoder", nodeLinear);
    if (nodeEmbedding != null) m.put("node_encoder.weight", nodeEmbedding);
    if (peLinear != null) Module.addAll(m, "pe_encoder", peLinear);
    if (edgeLinear != null) Module.addAll(m, "edge_encoder", edgeLinear);
    if (edgeEmbedding != null) m.put("edge_encoder.weight", edgeEmbedding);
    for (int i = 0; i < blocks.size(); i++) Module.addAll(m, "layers." + i, blocks.get(i));
    for (int i = 0; i < batchNorms.size(); i++) Module.addAll(m, "norms." + i, batchNorms.get(i));
    for (int i = 0; i < layerNorms.size(); i++) {
      m.put("norms." + i + ".weight", layerNorms.get(i)[0]);
      m.put("norms." + i + ".bias", layerNorms.get(i)[1]);
    }
    if (head != null) Module.addAll(m, "head", head);
    return m;
  }
}
