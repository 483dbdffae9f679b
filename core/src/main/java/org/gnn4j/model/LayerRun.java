package org.gnn4j.model;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.EdgeUpdatingLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.gn.GnLayer;
import org.gnn4j.nn.gn.GraphsTuple;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.TransformerEncoderLayer;
import org.gnn4j.tensor.Tensor;

/**
 * One forward pass of a {@link GraphModel}'s layer stack: what each kind of layer reads besides
 * the node features, and the streams some layers update. Message-passing layers read the graph
 * (with its token edges when the model has a graph token) and the edge stream; edge-updating
 * layers (Dwivedi &amp; Bresson's, GN) replace the edge stream, GN blocks the globals too;
 * Graphormer layers with a shared bias read the within-graph pairs and the bias computed once
 * for the batch; {@code transformer_encoder} layers attend within each graph (pattern complete)
 * or along the graph's edges and self-loops (pattern graph).
 */
final class LayerRun {
  private final ModelOptions.Pattern pattern;
  private final Graph graph;
  private final EdgeIndex pairs;       // Graphormer's shared bias: the pairs it is over
  private final Tensor bias;           // [P, H] or null
  private Graph sparsePattern;
  private Tensor edges;                // [E, D] or null
  private Tensor globals;              // [G, C] or null

  /**
   * @param graph what message passing reads
   * @param edges [E, D] the edge stream, or null
   * @param globals [G, C] GN's starting globals, or null
   * @param pairs the pairs of {@code bias}, or null
   * @param bias [P, H] Graphormer's shared bias, or null
   */
  LayerRun(ModelOptions.Pattern pattern, Graph graph, Tensor edges, Tensor globals,
           EdgeIndex pairs, Tensor bias) {
    this.pattern = pattern;
    this.graph = graph;
    this.edges = edges;
    this.globals = globals;
    this.pairs = pairs;
    this.bias = bias;
  }

  /** The node features after {@code block}: [N, F_out]; the streams it updates are kept. */
  Tensor apply(GraphLayer block, Tensor h) {
    if (block instanceof GnLayer gn) {
      GraphsTuple t = gn.forward(new GraphsTuple(h, edges, globals, graph));
      edges = t.edges();
      globals = t.globals();
      return t.nodes();
    }
    if (block instanceof GraphormerLayer g && bias != null) return g.forward(h, pairs, bias);
    if (block instanceof TransformerEncoderLayer t) {
      if (pattern == ModelOptions.Pattern.COMPLETE) return t.forwardWithinGraphs(h, graph.graphPtr());
      if (sparsePattern == null) sparsePattern = Graph.batched(graph.selfLooped(), graph.nodesPerGraph());
      return t.forward(h, sparsePattern, null);
    }
    if (block instanceof EdgeUpdatingLayer u && edges != null) {
      EdgeUpdatingLayer.Output o = u.forwardWithEdges(h, graph, edges);
      edges = o.e();
      return o.h();
    }
    return block.forward(h, graph, edges);
  }

  /** [G, C] the globals after the last GN block (null without GN blocks). */
  Tensor globals() {
    return globals;
  }
}
