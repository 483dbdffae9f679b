package org.gnn4j.nn.gn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.pool.Aggregation;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The full Graph Network block of Battaglia et al., "Relational inductive biases, deep
 * learning, and graph networks" (arXiv:1806.01261, Algorithm 1), on a batch of graphs with
 * per-graph globals. For edge k from sender s_k to receiver r_k in graph g(k):
 * <pre>
 *   e'_k = phi_e([e_k, v_{r_k}, v_{s_k}, u_{g(k)}])
 *   v'_i = phi_v([rho_ev({e'_k : r_k = i}), v_i, u_{g(i)}])
 *   u'_g = phi_u([rho_eu({e'_k : g(k) = g}), rho_vu({v'_i : g(i) = g}), u_g])
 * </pre>
 * Each rho is sum, mean or max ({@link Aggregation}; an empty set gives zeros), each phi an
 * {@link UpdateFunction} (by default an MLP with one hidden layer). The output is a
 * {@link GraphsTuple} over the same graphs, so blocks compose: the widths out of one block are
 * the widths into the next.
 */
public final class GnBlock implements Module {
  /** Feature widths in and out, and the three aggregations. */
  public record Config(int nodeIn, int edgeIn, int globalIn, int nodeOut, int edgeOut,
                       int globalOut, Aggregation edgeToNode, Aggregation edgeToGlobal,
                       Aggregation nodeToGlobal) {
    public Config {
      if (nodeIn < 1 || edgeIn < 1 || globalIn < 1 || nodeOut < 1 || edgeOut < 1
          || globalOut < 1) {
        throw new IllegalArgumentException("GnBlock: all widths must be >= 1 (got nodeIn = "
            + nodeIn + ", edgeIn = " + edgeIn + ", globalIn = " + globalIn + ", nodeOut = "
            + nodeOut + ", edgeOut = " + edgeOut + ", globalOut = " + globalOut + ")");
      }
      if (edgeToNode == null || edgeToGlobal == null || nodeToGlobal == null) {
        throw new IllegalArgumentException("GnBlock: aggregations must not be null");
      }
    }

    /** Same width in and out for every part, sum aggregations. */
    public static Config of(int nodeWidth, int edgeWidth, int globalWidth) {
      return new Config(nodeWidth, edgeWidth, globalWidth, nodeWidth, edgeWidth, globalWidth,
          Aggregation.SUM, Aggregation.SUM, Aggregation.SUM);
    }

    public Config withAggregations(Aggregation edgeToNode, Aggregation edgeToGlobal,
                                   Aggregation nodeToGlobal) {
      return new Config(nodeIn, edgeIn, globalIn, nodeOut, edgeOut, globalOut, edgeToNode,
          edgeToGlobal, nodeToGlobal);
    }

    int phiEIn() {
      return edgeIn + 2 * nodeIn + globalIn;
    }

    int phiVIn() {
      return edgeOut + nodeIn + globalIn;
    }

    int phiUIn() {
      return edgeOut + nodeOut + globalIn;
    }
  }

  private final Config cfg;
  private final UpdateFunction phiE;
  private final UpdateFunction phiV;
  private final UpdateFunction phiU;

  /** The default update functions: MLPs in -> hidden -> out with a ReLU between. */
  public GnBlock(Context ctx, Config cfg, int hidden, SplittableRandom rng) {
    this(cfg, UpdateFunction.of(new Mlp(ctx, rng, cfg.phiEIn(), hidden, cfg.edgeOut())),
        UpdateFunction.of(new Mlp(ctx, rng, cfg.phiVIn(), hidden, cfg.nodeOut())),
        UpdateFunction.of(new Mlp(ctx, rng, cfg.phiUIn(), hidden, cfg.globalOut())));
  }

  /**
   * Given update functions.
   *
   * @throws IllegalArgumentException if a function's widths do not fit the config, naming the
   *     function and both widths
   */
  public GnBlock(Config cfg, UpdateFunction phiE, UpdateFunction phiV, UpdateFunction phiU) {
    this.cfg = cfg;
    this.phiE = check("phi_e", phiE, cfg.phiEIn(), cfg.edgeOut(),
        "edgeIn + 2 nodeIn + globalIn");
    this.phiV = check("phi_v", phiV, cfg.phiVIn(), cfg.nodeOut(), "edgeOut + nodeIn + globalIn");
    this.phiU = check("phi_u", phiU, cfg.phiUIn(), cfg.globalOut(),
        "edgeOut + nodeOut + globalIn");
  }

  private static UpdateFunction check(String name, UpdateFunction f, int in, int out,
                                      String rule) {
    if (f == null) throw new IllegalArgumentException("GnBlock: " + name + " is null");
    if (f.inChannels() != in || f.outChannels() != out) {
      throw new IllegalArgumentException("GnBlock: " + name + " maps " + f.inChannels() + " -> "
          + f.outChannels() + " channels, expected " + in + " (" + rule + ") -> " + out);
    }
    return f;
  }

  public Config config() {
    return cfg;
  }

  /**
   * @return the updated graphs: nodes [N, nodeOut], edges [E, edgeOut], globals [G, globalOut]
   * @throws IllegalArgumentException if the feature widths differ from the config's
   */
  public GraphsTuple forward(GraphsTuple g) {
    checkWidth("nodes", g.nodes(), cfg.nodeIn());
    checkWidth("edges", g.edges(), cfg.edgeIn());
    checkWidth("globals", g.globals(), cfg.globalIn());
    var ei = g.graph().edges();
    int[] edgeGraph = g.edgeGraph();
    Tensor edgeIn = Concat.concat(1, g.edges(), Gather.dst(g.nodes(), ei),
        Gather.src(g.nodes(), ei), IndexSelect.rows(g.globals(), edgeGraph));
    Tensor e1 = phiE.apply(edgeIn);                                     // [E, edgeOut]
    Tensor nodeIn = Concat.concat(1, cfg.edgeToNode().reduce(e1, ei), g.nodes(),
        IndexSelect.rows(g.globals(), g.graph().batch()));
    Tensor v1 = phiV.apply(nodeIn);                                     // [N, nodeOut]
    Tensor globalIn = Concat.concat(1,
        cfg.edgeToGlobal().reduce(e1, edgeGraph, g.graph().numGraphs()),
        cfg.nodeToGlobal().reduce(v1, g.graph().batch(), g.graph().numGraphs()), g.globals());
    Tensor u1 = phiU.apply(globalIn);                                   // [G, globalOut]
    return g.withFeatures(v1, e1, u1);
  }

  private static void checkWidth(String what, Tensor t, int want) {
    if (t.dim(1) != want) {
      throw new IllegalArgumentException("GnBlock: " + what + " have " + t.dim(1)
          + " features (shape " + t.shape() + "), expected " + want);
    }
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "phi_e", phiE);
    Module.addAll(m, "phi_v", phiV);
    Module.addAll(m, "phi_u", phiU);
    return m;
  }
}
