package org.gnn4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.transformer.CentralityEncoding;
import org.gnn4j.nn.transformer.GraphormerBias;
import org.gnn4j.pe.LapPeEncoder;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.BatchNorm1d;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.SparseInputLayer;
import org.gnn4j.ops.SparseFeatures;
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
 * checkpoints written by one run load into a model built from the same config. Options some
 * layers take ({@link ModelOptions}): a DeepSets Laplacian encoder, Graphormer's centrality
 * encoding, a graph token per graph (read out with {@code pooling: token}), Graphormer's bias
 * shared across layers, GN's globals (read out with {@code pooling: globals}); the layer stack
 * itself runs in {@link LayerRun}.
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
  private final LapPeEncoder peDeepSets;  // encoder.pe_encoder = deepsets | sign_invariant
  private final CentralityEncoding centrality;   // encoder.degree > 0
  private final Tensor graphToken;        // graph_token: [1, hidden]
  private final Tensor virtualEdge;       // graph_token with an encoded edge stream: [1, hidden]
  private final GraphormerBias sharedBias;       // graphormer with shared_bias
  private final List<GraphLayer> blocks = new ArrayList<>();
  private final List<BatchNorm1d> batchNorms = new ArrayList<>();
  private final List<Tensor[]> layerNorms = new ArrayList<>();
  private final Mlp head;
  private boolean training = true;
  /** The eval-mode forward on reused buffers, built on first use; NO_PLAN when the model is not one it covers. */
  private volatile Object evalPlan;
  private static final Object NO_PLAN = new Object();
  /** RGCN's relation ids as the [E] tensor its layers read, kept for the int[] they came from. */
  private record Relations(int[] ids, Tensor values) {}
  private volatile Relations relations;

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
    ModelOptions opt = spec.options();
    boolean deepSets = spec.pe() == ModelSpec.Pe.LAP && opt.peEncoder() != ModelOptions.PeEncoder.LINEAR;
    peLinear = !spec.usesEncodingInput() || deepSets ? null : linear(ctx, spec.encodingWidth(), spec.peDim(), rng);
    // GraphGPS's DeepSets phi: Linear(2, 2 pe_dim), ReLU, Linear(2 pe_dim, pe_dim)
    peDeepSets = deepSets ? new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, spec.peK(), spec.peDim(),
        2 * spec.peDim(), opt.peEncoder() == ModelOptions.PeEncoder.SIGN_INVARIANT, rng) : null;
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
    if (opt.maxDegree() > 0 && spec.nodeEncoder() == ModelSpec.Encoder.NONE) {
      throw new IllegalArgumentException("model: encoder.degree adds a degree embedding to the encoded node"
          + " features; set encoder.node: linear or embedding");
    }
    centrality = opt.maxDegree() > 0 ? new CentralityEncoding(ctx, opt.maxDegree(), h, rng) : null;
    if (opt.graphToken() && !shape.graphLevel()) {
      throw new IllegalArgumentException("model: graph_token is read out for graph-level tasks; this task"
          + " is node-level (remove graph_token)");
    }
    if (opt.graphToken() && spec.nodeEncoder() == ModelSpec.Encoder.NONE) {
      throw new IllegalArgumentException("model: graph_token is a learned row of the encoded width; set"
          + " encoder.node: linear or embedding");
    }
    graphToken = opt.graphToken() ? ctx.randn(rng, 1, h).mul(0.02f).detach().requiresGrad(true) : null;
    virtualEdge = opt.graphToken() && edgeWidth == h && (edgeLinear != null || edgeEmbedding != null)
        ? ctx.randn(rng, 1, h).mul(0.02f).detach().requiresGrad(true) : null;
    sharedBias = opt.sharedBias() ? new GraphormerBias(ctx, ModelLayers.MAX_DIST, spec.heads(),
        Math.max(0, edgeWidth), opt.graphToken(), rng) : null;
    boolean convHead = spec.head() == ModelSpec.Head.CONV;
    for (int i = 0; i < spec.layers(); i++) {
      boolean last = i == spec.layers() - 1;
      int out = convHead && last ? shape.outDim() : h;
      blocks.add(ModelLayers.create(ctx, spec, in, out, last && convHead, edgeWidth,
          spec.layer().readsRelations() ? shape.numEdgeTypes() : 0, rng));
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
    if (!shape.graphLevel() && (spec.pooling() == ModelSpec.Pooling.TOKEN || spec.pooling() == ModelSpec.Pooling.GLOBALS)) {
      throw new IllegalArgumentException("model: pooling " + spec.pooling().name().toLowerCase(java.util.Locale.ROOT)
          + " is a graph readout; this task is node-level");
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

  /** The stack of layers in order (to record their attention, {@link ModelAttention}, or read their parameters). */
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
   * @throws FeatureWidthMismatchException when the input's node or edge features are not as wide
   *     as the data the model was built for
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
    if (probe == null && !training && evalPlan() instanceof InferencePlan plan) {
      Tensor out = plan.forward(in);     // null: this input goes op by op (gradients on, bad input)
      if (out != null) return out;
    }
    Trunk t = trunk(in, probe);
    Tensor h = t.h();
    if (head == null) {                     // the output conv layer
      int last = blocks.size() - 1;
      Tensor out = block(last, h, t, in);
      if (probe != null) probe.after(last, h, out);
      h = out;
    }
    if (shape.graphLevel()) h = readout(h, in, t.tokens(), t.run());
    return head == null ? h : head.forward(h);
  }

  /** The plan of {@link InferencePlan}, or NO_PLAN; two threads may both build it, to the same effect. */
  private Object evalPlan() {
    Object p = evalPlan;
    if (p == null) {
      InferencePlan plan = InferencePlan.of(spec, shape, nodeEmbedding, nodeLinear, peLinear, edgeEmbedding,
          edgeLinear, peDeepSets != null || centrality != null || graphToken != null || virtualEdge != null
              || sharedBias != null, blocks, batchNorms, !layerNorms.isEmpty(), head);
      evalPlan = p = plan == null ? NO_PLAN : plan;
    }
    return p;
  }

  /** Whether eval-mode forwards without gradients run on {@link InferencePlan} (tests). */
  boolean hasInferencePlan() {
    return evalPlan() instanceof InferencePlan;
  }

  /** The inference plan, or null (tests). */
  InferencePlan inferencePlan() {
    return evalPlan() instanceof InferencePlan p ? p : null;
  }

  /**
   * What the prediction head reads, for vector search and other downstream use: with
   * {@code head: mlp} the nodes' final hidden representations (read out per graph for a
   * graph-level model), with {@code head: conv} the representations the last, output layer
   * reads (after the previous layer's norm, activation and residual). Call it in eval mode.
   *
   * @return [N, width] for node tasks, [G, width] for graph tasks
   */
  public Tensor representations(ModelInput in) {
    Trunk t = trunk(in, null);
    if (shape.graphLevel()) return readout(t.h(), in, t.tokens(), t.run());
    return t.tokens() == null ? t.h() : IndexSelect.rows(t.h(), t.tokens().nodeRows());
  }

  /**
   * The state between layers: the node stream, the graph tokens (or null), the layer run that
   * carries the edge stream, globals and shared bias, and the encoded edges the first layer reads.
   */
  private record Trunk(Tensor h, GraphTokens tokens, LayerRun run, Tensor firstEdges,
                       SparseFeatures sparseX) {}

  /** Encoders and every layer but a {@code head: conv} model's output layer. */
  private Trunk trunk(ModelInput in, LayerProbe probe) {
    Tensor x0 = encodeNodes(in);
    SparseFeatures sparseX = sparseFirstInput(in, x0, probe);
    // read sparse, the features are dropped out sparse too (same mask): no dense [N, F] copy
    Tensor h = sparseX != null ? x0 : Dropout.apply(x0, spec.inputDropout(), training);
    Tensor e = encodeEdges(in);
    GraphTokens tokens = graphToken == null ? null : GraphTokens.of(in.graph());
    LayerRun run = layerRun(in, tokens, e);
    if (tokens != null) {
      int[] zeros = new int[in.graph().numGraphs()];
      h = IndexSelect.rows(Concat.concat(0, h, IndexSelect.rows(graphToken, zeros)), tokens.order());
    }
    Trunk t = new Trunk(h, tokens, run, e, sparseX);
    int hidden = head == null ? blocks.size() - 1 : blocks.size();
    for (int i = 0; i < hidden; i++) {
      Tensor out = block(i, h, t, in);
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
    return new Trunk(h, tokens, run, e, sparseX);
  }

  /** Layer {@code i} on {@code h}; the streams it updates stay in the trunk's layer run. */
  private Tensor block(int i, Tensor h, Trunk t, ModelInput in) {
    if (i == 0 && t.sparseX() != null) {                                 // raw features, read sparse
      return ((SparseInputLayer) blocks.get(0)).forwardSparse(t.sparseX(), in.graph(), t.firstEdges());
    }
    return t.run().apply(blocks.get(i), h);
  }

  /**
   * The raw features as the first layer reads them sparse (after input dropout), or null when
   * it reads them dense: no sparse copy, encoders or a graph token in front, a layer without a
   * sparse path, or an input dropout whose dense result another reader needs (a residual, a probe).
   */
  private SparseFeatures sparseFirstInput(ModelInput in, Tensor x0, LayerProbe probe) {
    int hidden = head == null ? blocks.size() - 1 : blocks.size();
    if (in.xSparse() == null || x0 != in.x() || graphToken != null || hidden < 1
        || !(blocks.get(0) instanceof SparseInputLayer)) {
      return null;
    }
    boolean dropping = training && spec.inputDropout() > 0f;
    if (dropping && (spec.residual() || probe != null)) return null;
    return in.xSparse().dropout(spec.inputDropout(), training);
  }

  /**
   * The structure the layers read: with a graph token the joined graph and an edge stream with
   * a (learned, or zero for raw features) row per token edge; Graphormer's shared bias computed
   * once on the graph without the token's edges; GN's starting globals (zeros).
   */
  private LayerRun layerRun(ModelInput in, GraphTokens tokens, Tensor e) {
    Graph graph = tokens == null ? in.graph() : tokens.graph();
    org.gnn4j.graph.EdgeIndex pairs = null;
    Tensor bias = null;
    if (sharedBias != null) {
      ShortestPaths sp = (tokens == null ? in.graph() : tokens.structure()).shortestPaths(ModelLayers.MAX_DIST);
      pairs = sp.pairs();
      bias = tokens == null ? sharedBias.forward(sp, e) : sharedBias.forward(sp, e, tokens.tokenRows());
    }
    Tensor edges = e;
    if (tokens != null && e != null) {
      Tensor extra = virtualEdge != null ? IndexSelect.rows(virtualEdge, new int[tokens.tokenEdges()])
          : e.ctx().zeros(tokens.tokenEdges(), e.dim(1));
      edges = Concat.concat(0, e, extra);
    }
    // GN blocks need edges (checked at build), so e is there to name the context
    Tensor globals = spec.layer() == ModelSpec.Layer.GN && e != null
        ? e.ctx().zeros(in.graph().numGraphs(), spec.hidden()) : null;
    return new LayerRun(spec.options().pattern(), graph, edges, globals, pairs, bias);
  }

  /** Graph readout: the token's row, GN's globals, or a pool over the (original) nodes. */
  Tensor readout(Tensor h, ModelInput in, GraphTokens tokens, LayerRun run) {
    if (spec.pooling() == ModelSpec.Pooling.TOKEN) return IndexSelect.rows(h, tokens.tokenRows());
    if (spec.pooling() == ModelSpec.Pooling.GLOBALS) return run.globals();
    return pool(tokens == null ? h : IndexSelect.rows(h, tokens.nodeRows()), in);
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
        throw new FeatureWidthMismatchException("model", "node features", shape.numFeatures(), in.x().dim(1));
      }
      h = nodeLinear != null ? nodeLinear.forward(in.x()) : in.x();
    }
    if (peLinear != null || peDeepSets != null) {
      if (in.pe() == null) throw new IllegalArgumentException("model: encoder.pe = " + spec.pe() + " but the input carries no encoding");
      h = Concat.concat(1, h, peLinear != null ? peLinear.forward(in.pe()) : deepSets(in.pe()));
    }
    return centrality == null ? h : centrality.forward(h, in.graph(), null);
  }

  /** pe [N, 3K]: eigenvectors, eigenvalues, mask (DatasetEncodings' lap_spectrum). */
  private Tensor deepSets(Tensor pe) {
    int k = spec.peK();
    if (pe.dim(1) != 3 * k) {
      throw new IllegalArgumentException("model: encoder.pe_encoder = " + spec.options().peEncoder()
          + " reads eigenvectors, eigenvalues and mask, [N, " + 3 * k + "]; the input has " + pe.shape());
    }
    Tensor[] p = Concat.split(pe, 1, k, k, k);
    return peDeepSets.forward(p[0], p[1], p[2]);
  }

  private Tensor encodeEdges(ModelInput in) {
    if (spec.layer().readsRelations()) return relationIds(in);
    if (edgeEmbedding != null) {
      if (in.edgeTypes() == null) throw new IllegalArgumentException("model: encoder.edge = embedding but the input has no edge types");
      checkIds("edge type", in.edgeTypes(), edgeEmbedding.dim(0));
      return IndexSelect.embedding(edgeEmbedding, in.edgeTypes());
    }
    if (edgeLinear != null) {
      if (in.edgeAttr() == null) throw new IllegalArgumentException("model: encoder.edge = linear but the input has no edge features");
      checkEdgeWidth(in.edgeAttr());
      return edgeLinear.forward(in.edgeAttr());
    }
    if (in.edgeAttr() != null && spec.usesEdgeFeatures()) checkEdgeWidth(in.edgeAttr());
    return in.edgeAttr();
  }

  /**
   * The relation of every edge as RGCN's layers read it ([E] whole numbers), built once per
   * edge-type array so that the layers' per-relation split is reused across epochs.
   */
  private Tensor relationIds(ModelInput in) {
    int[] types = in.edgeTypes();
    if (types == null) {
      throw new IllegalArgumentException("model: layer rgcn reads the relation of every edge, and the input has no edge types");
    }
    Relations r = relations;
    if (r != null && r.ids() == types && r.values().ctx() == ctxOf(in)) return r.values();
    checkIds("edge relation", types, shape.numEdgeTypes());
    float[] v = new float[types.length];
    for (int k = 0; k < v.length; k++) v[k] = types[k];
    Tensor t = ctxOf(in).tensor(v, v.length);
    relations = new Relations(types, t);
    return t;
  }

  private org.gnn4j.tensor.Context ctxOf(ModelInput in) {
    return in.x() != null ? in.x().ctx() : blocks.get(0).namedParameters().values().iterator().next().ctx();
  }

  private void checkEdgeWidth(Tensor edgeAttr) {
    if (edgeAttr.rank() == 2 && edgeAttr.dim(1) != shape.edgeDim()) {
      throw new FeatureWidthMismatchException("model", "edge features", shape.edgeDim(), edgeAttr.dim(1));
    }
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
    if (peDeepSets != null) Module.addAll(m, "pe_encoder", peDeepSets);
    if (centrality != null) Module.addAll(m, "centrality_encoder", centrality);
    if (graphToken != null) m.put("graph_token", graphToken);
    if (virtualEdge != null) m.put("virtual_edge", virtualEdge);
    if (sharedBias != null) Module.addAll(m, "graphormer_bias", sharedBias);
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
