package org.gnn4j.explain;

import java.util.Set;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One prediction to explain: a trained {@link GraphModel} in eval mode, its input, and the output
 * row (a node, or the one graph of a single-graph input) whose prediction is explained, seen as
 * a function of the node features and of a soft mask on the edges (PyG's
 * {@code Explainer} model wrapper). For a node of a model whose layers only pass messages along
 * edges, the input is cut to the node's {@link ComputationSubgraph} (the layers' hop count), so
 * the explainers' hundreds of forward and backward passes touch only what can change the
 * prediction; the output is the same as on the whole graph. Explanations are always reported on
 * the whole graph's edge and node ids.
 *
 * <p>The explained score is the log-probability of a class (classification) or the raw output
 * (regression, one column).
 */
public final class Explainable {
  /** Layers that multiply their messages by an edge mask ({@link Graph#withEdgeMask}). */
  private static final Set<ModelSpec.Layer> MASKABLE = Set.of(ModelSpec.Layer.GCN,
      ModelSpec.Layer.GIN, ModelSpec.Layer.SAGE, ModelSpec.Layer.GRAPHCONV);

  private final GraphModel model;
  private final ModelInput input;   // the (restricted) input
  private final int row;            // explained output row in the restricted input
  private final int id;             // node or graph id in the user's numbering
  private final boolean nodeLevel;
  private final int[] nodeMap;      // restricted node -> whole-graph node
  private final int[] edgeMap;      // restricted edge -> whole-graph edge
  private final int fullNodes;
  private final int fullEdges;
  private final boolean regression;
  private final int predicted;      // class the unmasked model predicts (-1: regression)

  private Explainable(GraphModel model, ModelInput input, int row, int id, boolean nodeLevel,
                      int[] nodeMap, int[] edgeMap, int fullNodes, int fullEdges, boolean regression) {
    this.model = model;
    this.input = input;
    this.row = row;
    this.id = id;
    this.nodeLevel = nodeLevel;
    this.nodeMap = nodeMap;
    this.edgeMap = edgeMap;
    this.fullNodes = fullNodes;
    this.fullEdges = fullEdges;
    this.regression = regression;
    model.train(false);
    Context ctx = ctx(input);
    try (var s = ctx.noGrad()) {
      Tensor out = output(x(), null);
      predicted = regression ? -1 : argmax(out.data());
    }
  }

  /**
   * A node of a node-level model.
   *
   * @param restrict cut the input to the node's computation subgraph when the model allows it
   * @throws IllegalArgumentException if the node is outside the graph, or the model is
   *     graph-level
   */
  public static Explainable node(GraphModel model, ModelInput in, int node, boolean restrict,
                                 boolean regression) {
    if (model.shape().graphLevel()) {
      throw new IllegalArgumentException("the model predicts whole graphs; explain a graph (--graph), not a node");
    }
    int n = in.graph().numNodes();
    if (node < 0 || node >= n) {
      throw new IllegalArgumentException("node " + node + " is outside the data (valid: 0 to "
          + (n - 1) + ")");
    }
    int edges = in.graph().numEdges();
    if (!restrict || !isLocal(model.spec())) {
      return new Explainable(model, in, node, node, true, identity(n), identity(edges), n, edges,
          regression);
    }
    ComputationSubgraph sg = ComputationSubgraph.of(in.graph().edges(), node, model.spec().layers());
    return new Explainable(model, slice(in, sg), sg.center(), node, true, sg.nodes(), sg.edges(),
        n, edges, regression);
  }

  /**
   * The single graph of {@code in} (one graph, id {@code graphId} in its dataset) of a
   * graph-level model.
   */
  public static Explainable graph(GraphModel model, ModelInput in, int graphId, boolean regression) {
    if (!model.shape().graphLevel()) {
      throw new IllegalArgumentException("the model predicts nodes; explain a node (--node), not a graph");
    }
    if (in.graph().numGraphs() != 1) {
      throw new IllegalArgumentException("explain: the input must hold exactly one graph (got "
          + in.graph().numGraphs() + ")");
    }
    int n = in.graph().numNodes();
    int e = in.graph().numEdges();
    return new Explainable(model, in, 0, graphId, false, identity(n), identity(e), n, e, regression);
  }

  /** Message-passing models only: no attention over all nodes of a graph. */
  static boolean isLocal(ModelSpec spec) {
    return !spec.layer().normalisesItself();
  }

  /** Whether the model's layers honour an edge mask (edge importances are available). */
  public boolean masksEdges() {
    return MASKABLE.contains(model.spec().layer());
  }

  /** Whether the model reads dense node features (feature importances are available). */
  public boolean hasFeatures() {
    return input.x() != null && model.spec().nodeEncoder() != ModelSpec.Encoder.EMBEDDING;
  }

  /**
   * The model's output row for the explained prediction under masked inputs.
   *
   * @param x [n, F] node features (masked or interpolated), or null to use the input's
   * @param edgeMask [e] soft mask on the (restricted) edges, or null for none
   * @return [1, C]: log-probabilities, or the raw value for regression
   */
  public Tensor output(Tensor x, Tensor edgeMask) {
    if (edgeMask != null && !masksEdges()) {
      throw new IllegalStateException("layer '" + model.spec().layer() + "' does not support edge"
          + " masks (supported: gcn, gin, sage, graphconv)");
    }
    Graph g = edgeMask == null ? input.graph() : input.graph().withEdgeMask(edgeMask);
    ModelInput in = new ModelInput(x == null ? input.x() : x, input.nodeTypes(), g, input.edgeAttr(),
        input.edgeTypes(), input.pe());
    Tensor out = IndexSelect.rows(model.forward(in), new int[] {row});
    return regression ? out : out.logSoftmax();
  }

  /** The scalar explained: log p(target) (or the regression value) from {@link #output}. */
  public Tensor score(Tensor out) {
    if (regression) return out.sum();
    float[] onehot = new float[out.dim(1)];
    onehot[predicted] = 1f;
    return out.mul(out.ctx().tensor(onehot, 1, onehot.length)).sum();
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int c = 1; c < v.length; c++) if (v[c] > v[best]) best = c;
    return best;
  }

  private static Context ctx(ModelInput in) {
    if (in.x() != null) return in.x().ctx();
    if (in.pe() != null) return in.pe().ctx();
    if (in.edgeAttr() != null) return in.edgeAttr().ctx();
    throw new IllegalArgumentException("explain: the input carries no tensor to take a context from");
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) a[i] = i;
    return a;
  }

  private static ModelInput slice(ModelInput in, ComputationSubgraph sg) {
    Tensor x = in.x() == null ? null : IndexSelect.rows(in.x().detach(), sg.nodes());
    int[] types = in.nodeTypes() == null ? null : pick(in.nodeTypes(), sg.nodes());
    Tensor ea = in.edgeAttr() == null ? null : IndexSelect.rows(in.edgeAttr().detach(), sg.edges());
    int[] et = in.edgeTypes() == null ? null : pick(in.edgeTypes(), sg.edges());
    Tensor pe = in.pe() == null ? null : IndexSelect.rows(in.pe().detach(), sg.nodes());
    return new ModelInput(x, types, Graph.of(sg.sub()), ea, et, pe);
  }

  private static int[] pick(int[] values, int[] at) {
    int[] out = new int[at.length];
    for (int i = 0; i < at.length; i++) out[i] = values[at[i]];
    return out;
  }

  // ---- accessors ---------------------------------------------------------------------------

  GraphModel model() {
    return model;
  }

  ModelInput input() {
    return input;
  }

  /** The explained output row (node) in the (restricted) input. */
  int row() {
    return row;
  }

  public Context ctx() {
    return ctx(input);
  }

  /** [n, F] the (restricted) node features, or null. */
  public Tensor x() {
    return input.x();
  }

  /** The (restricted) graph the model runs on. */
  public Graph graph() {
    return input.graph();
  }

  /** The explained node or graph id. */
  public int id() {
    return id;
  }

  public boolean nodeLevel() {
    return nodeLevel;
  }

  /** Class the unmasked model predicts, -1 for regression. */
  public int predicted() {
    return predicted;
  }

  public boolean regression() {
    return regression;
  }

  /** Restricted node -> whole-graph node. */
  public int[] nodeMap() {
    return nodeMap;
  }

  /** Restricted edge -> whole-graph edge. */
  public int[] edgeMap() {
    return edgeMap;
  }

  public int fullNodes() {
    return fullNodes;
  }

  public int fullEdges() {
    return fullEdges;
  }
}
