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
 * GraphSAGE layer (Hamilton et al., arXiv:1706.02216), numerically PyG's SAGEConv:
 * x'_i = W_l aggr_{j -> i} x_j + b + W_r x_i, aggr mean (sum / max(in-degree, 1)), max
 * (channel-wise, ties share the gradient) or add; a target without in-edges aggregates 0. No
 * self-loops. {@code rootWeight = false} drops W_r x_i; {@code normalize} divides each output row
 * by its L2 norm (after the root term). On a bipartite graph ({@code (x_src, x_dst)} in PyG)
 * W_l reads source features [N_src, F_src] and W_r target features [N_dst, F_dst].
 * Parameters: {@code lin_l.weight} [F_out, F_src], {@code lin_l.bias} [F_out],
 * {@code lin_r.weight} [F_out, F_dst]; PyG's {@code project} option is not offered.
 */
public final class SageConv implements BipartiteLayer {
  private static final String OP = "SageConv";

  /** Constructor arguments, named as PyG's; in_channels is the pair (inSrc, inDst). */
  public record Config(int inSrc, int inDst, int outChannels, Aggr aggr, boolean normalize,
                       boolean rootWeight, boolean bias) {
    public Config {
      if (inSrc < 1 || inDst < 1 || outChannels < 1) {
        throw new IllegalArgumentException(OP + ": channel counts must be >= 1 (got in_channels ("
            + inSrc + ", " + inDst + "), out_channels " + outChannels + ")");
      }
      if (aggr == null) throw new IllegalArgumentException(OP + ": aggr is required (got null)");
    }

    /** PyG's defaults on one node set: mean, root weight, bias, no normalisation. */
    public static Config of(int inChannels, int outChannels) {
      return bipartite(inChannels, inChannels, outChannels);
    }

    /** PyG's defaults with in_channels = (inSrc, inDst). */
    public static Config bipartite(int inSrc, int inDst, int outChannels) {
      return new Config(inSrc, inDst, outChannels, Aggr.MEAN, false, true, true);
    }

    public Config withAggr(Aggr a) {
      return new Config(inSrc, inDst, outChannels, a, normalize, rootWeight, bias);
    }

    public Config withNormalize(boolean n) {
      return new Config(inSrc, inDst, outChannels, aggr, n, rootWeight, bias);
    }

    public Config withRootWeight(boolean r) {
      return new Config(inSrc, inDst, outChannels, aggr, normalize, r, bias);
    }
  }

  private final Config cfg;
  private final Linear linL;        // lin_l: [out, inSrc] + bias, on the aggregated neighbours
  private final Linear linR;        // lin_r: [out, inDst], no bias, on the target itself; or null
  private final Aggregate aggregate;

  /** PyG's initialisation (torch Linear's kaiming-uniform) drawn from {@code rng}. */
  public SageConv(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    this.linL = new Linear(ctx, cfg.inSrc(), cfg.outChannels(), cfg.bias(), rng);
    this.linR = cfg.rootWeight() ? new Linear(ctx, cfg.inDst(), cfg.outChannels(), false, rng)
        : null;
    this.aggregate = new Aggregate(cfg.aggr());
  }

  public Config config() {
    return cfg;
  }

  /**
   * @param xSrc [N_src, inSrc]
   * @param xDst [N_dst, inDst] (the same tensor as xSrc on an ordinary graph)
   * @param edgeAttr ignored (SAGEConv uses no edge features)
   * @return [N_dst, outChannels]
   * @throws IllegalArgumentException if a feature tensor has the wrong shape for its node set
   */
  @Override
  public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
    Checks.bipartiteFeatures(OP, xSrc, xDst, graph.edges(), cfg.inSrc(), cfg.inDst());
    Tensor out = aggregate.withRoot(graph.edges(), graph.edgeMask(), linL, linR, xSrc, xDst);  // [N_dst, out]
    return cfg.normalize() ? Aggregate.l2Normalize(out) : out;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "lin_l", linL);
    if (linR != null) Module.addAll(m, "lin_r", linR);
    return m;
  }
}
