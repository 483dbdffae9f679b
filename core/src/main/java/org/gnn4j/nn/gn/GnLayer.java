package org.gnn4j.nn.gn;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.EdgeUpdatingLayer;
import org.gnn4j.nn.pool.Aggregation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A Graph Network block ({@link GnBlock}: edge, node and global updates) as a layer a model can
 * stack: every stream keeps the width {@code channels}, and with {@code residual} each update is
 * added to its input (v + phi_v(...), e + phi_e(...), u + phi_u(...)), the form deep stacks of
 * GN blocks train in (Battaglia et al., arXiv:1806.01261, section 4.2's "encode-process-decode"
 * core; Sanchez-Gonzalez et al.'s learned simulators). A model carries the globals from block
 * to block with {@link #forward(GraphsTuple)}; the {@link org.gnn4j.nn.GraphLayer} forms start
 * from zero globals.
 */
public final class GnLayer implements EdgeUpdatingLayer {
  private final int channels;
  private final boolean residual;
  private final GnBlock block;

  /**
   * @param channels width of nodes, edges and globals, in and out
   * @param hidden hidden width of each update MLP
   * @param aggr the three aggregations (edges to nodes, edges and nodes to globals)
   */
  public GnLayer(Context ctx, int channels, int hidden, Aggregation aggr, boolean residual,
                 SplittableRandom rng) {
    if (hidden < 1) {
      throw new IllegalArgumentException("GnLayer: hidden must be >= 1 (got " + hidden + ")");
    }
    this.channels = channels;
    this.residual = residual;
    this.block = new GnBlock(ctx, GnBlock.Config.of(channels, channels, channels)
        .withAggregations(aggr, aggr, aggr), hidden, rng);
  }

  public int channels() {
    return channels;
  }

  /** The block on nodes, edges and globals, each update added to its input when residual. */
  public GraphsTuple forward(GraphsTuple g) {
    GraphsTuple o = block.forward(g);
    if (!residual) return o;
    return o.withFeatures(o.nodes().add(g.nodes()), o.edges().add(g.edges()),
        o.globals().add(g.globals()));
  }

  /**
   * From zero globals.
   *
   * @param x [N, C]
   * @param edgeAttr [E, C] (required)
   */
  @Override
  public Output forwardWithEdges(Tensor x, Graph graph, Tensor edgeAttr) {
    if (edgeAttr == null) {
      throw new IllegalArgumentException("GnLayer: edge features are required (expected ["
          + graph.numEdges() + ", " + channels + "]) but none were given");
    }
    Tensor u = x.ctx().zeros(graph.numGraphs(), channels);
    GraphsTuple o = forward(new GraphsTuple(x, edgeAttr, u, graph));
    return new Output(o.nodes(), o.edges());
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return block.namedParameters();
  }
}
