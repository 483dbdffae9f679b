package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The higher-order GNN layer of Morris et al. (arXiv:1810.02244), numerically PyG's GraphConv:
 * x'_i = W_1 x_i + W_2 aggr_{j -> i} x_j + b, aggr add (default), mean or max; no self-loops
 * and no nonlinearity (the sigma of sigma(U h_i + sum_j V h_j) is the caller's). With mean it
 * computes what SageConv(mean) computes. On a bipartite graph W_2 reads the sources and W_1 the
 * targets. Parameters: {@code lin_rel.weight} [F_out, F_src], {@code lin_rel.bias} [F_out],
 * {@code lin_root.weight} [F_out, F_dst]. Edge weights (PyG's {@code edge_weight}) are not
 * supported.
 */
public final class GraphConv implements BipartiteLayer {
  private static final String OP = "GraphConv";

  /** Constructor arguments, named as PyG's; in_channels is the pair (inSrc, inDst). */
  public record Config(int inSrc, int inDst, int outChannels, Aggr aggr, boolean bias) {
    public Config {
      if (inSrc < 1 || inDst < 1 || outChannels < 1) {
        throw new IllegalArgumentException(OP + ": channel counts must be >= 1 (got in_channels ("
            + inSrc + ", " + inDst + "), out_channels " + outChannels + ")");
      }
      if (aggr == null) throw new IllegalArgumentException(OP + ": aggr is required (got null)");
    }

    /** PyG's defaults on one node set: add, bias. */
    public static Config of(int inChannels, int outChannels) {
      return bipartite(inChannels, inChannels, outChannels);
    }

    /** PyG's defaults with in_channels = (inSrc, inDst). */
    public static Config bipartite(int inSrc, int inDst, int outChannels) {
      return new Config(inSrc, inDst, outChannels, Aggr.ADD, true);
    }

    public Config withAggr(Aggr a) {
      return new Config(inSrc, inDst, outChannels, a, bias);
    }
  }

  private final Config cfg;
  private final Linear linRel;      // lin_rel: [out, inSrc] + bias, on the aggregated neighbours
  private final Linear linRoot;     // lin_root: [out, inDst], no bias, on the target itself
  private final Aggregate aggregate;

  /** PyG's initialisation (torch Linear's kaiming-uniform) drawn from {@code rng}. */
  public GraphConv(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    this.linRel = new Linear(ctx, cfg.inSrc(), cfg.outChannels(), cfg.bias(), rng);
    this.linRoot = new Linear(ctx, cfg.inDst(), cfg.outChannels(), false, rng);
    this.aggregate = new Aggregate(cfg.aggr());
  }

  public Config config() {
    return cfg;
  }

  /**
   * @param xSrc [N_src, inSrc]
   * @param xDst [N_dst, inDst] (the same tensor as xSrc on an ordinary graph)
   * @param edgeAttr ignored
   * @return [N_dst, outChannels]
   * @throws IllegalArgumentException if a feature tensor has the wrong shape for its node set
   */
  @Override
  public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
    Checks.bipartiteFeatures(OP, xSrc, xDst, graph.edges(), cfg.inSrc(), cfg.inDst());
    return aggregate.withRoot(graph.edges(), graph.edgeMask(), linRel, linRoot, xSrc, xDst);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "lin_rel", linRel);
    Module.addAll(m, "lin_root", linRoot);
    return m;
  }
}
