package org.gnn4j.data;

import java.util.SplittableRandom;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;

/**
 * GraphSAGE-style neighbour sampling for node tasks on graphs too big for full-batch training
 * (Hamilton et al., arXiv:1706.02216; PyG's {@code NeighborLoader}): from a mini-batch of target
 * nodes, hop l draws up to {@code fanouts[l]} in-neighbours of every node first reached at hop
 * l-1, without replacement, from the CSR by destination. The result is a small graph whose first
 * rows are the targets, so a GNN with as many layers as hops computes exact outputs for them on
 * the sample. Stateless: the randomness comes from the {@link SplittableRandom} of each call.
 */
public final class NeighborSampler {
  private final EdgeIndex graph;
  private final Csr byDst;
  private final int[] fanouts;

  /**
   * The sampled subgraph.
   *
   * @param nodes [M] global id of every sampled node; the first {@code numTargets} are the targets
   * @param edges local edges over the M nodes (message direction kept: neighbour to node)
   * @param edgeIds [E'] the id in the original graph of every sampled edge (for edge features)
   * @param hopEnds [hops + 1] nodes first reached at hop h are rows hopEnds[h-1] .. hopEnds[h]-1
   *     (hopEnds[0] = numTargets)
   */
  public record Subgraph(int[] nodes, int numTargets, EdgeIndex edges, int[] edgeIds,
                         int[] hopEnds) {
    /** The rows of the sampled nodes from a row-major [N, f] matrix: [M, f], targets first. */
    public float[] gatherRows(float[] x, int f) {
      float[] out = new float[Math.multiplyExact(nodes.length, f)];
      for (int i = 0; i < nodes.length; i++) System.arraycopy(x, nodes[i] * f, out, i * f, f);
      return out;
    }

    /** The labels of the targets: [numTargets]. */
    public int[] targetLabels(int[] y) {
      int[] out = new int[numTargets];
      for (int i = 0; i < numTargets; i++) out[i] = y[nodes[i]];
      return out;
    }
  }

  /**
   * @param fanouts neighbours per node at each hop, e.g. {@code {10, 5}}; -1 takes them all
   */
  public NeighborSampler(EdgeIndex graph, int[] fanouts) {
    for (int i = 0; i < fanouts.length; i++) {
      if (fanouts[i] < -1) {
        throw new IllegalArgumentException("NeighborSampler: fanouts[" + i + "] = " + fanouts[i]
            + " (expected >= 0, or -1 for all neighbours)");
      }
    }
    this.graph = graph;
    this.byDst = graph.csrByDst();
    this.fanouts = fanouts.clone();
  }

  /**
   * Samples around {@code targets} (distinct node ids).
   *
   * @throws IllegalArgumentException if a target is out of range or repeated
   */
  public Subgraph sample(int[] targets, SplittableRandom random) {
    int n = graph.numNodes();
    IdMap local = new IdMap(targets.length * 4);
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] < 0 || targets[i] >= n) {
        throw new IllegalArgumentException("NeighborSampler: targets[" + i + "] = " + targets[i]
            + " is out of range [0, " + n + ")");
      }
      if (local.getOrAdd(targets[i]) != i) {
        throw new IllegalArgumentException("NeighborSampler: targets[" + i + "] = " + targets[i]
            + " is repeated (expected distinct targets)");
      }
    }
    int[] rowPtr = byDst.rowPtr();
    int[] col = byDst.col();
    int[] eid = byDst.edge();
    IntBuf src = new IntBuf();
    IntBuf dst = new IntBuf();
    IntBuf ids = new IntBuf();
    int[] scratch = new int[16];
    int[] hopEnds = new int[fanouts.length + 1];
    hopEnds[0] = targets.length;
    int from = 0;
    for (int hop = 0; hop < fanouts.length; hop++) {
      int to = local.size();
      for (int v = from; v < to; v++) {
        int g = local.key(v);
        int p0 = rowPtr[g];
        int deg = rowPtr[g + 1] - p0;
        int k = fanouts[hop] < 0 ? deg : Math.min(fanouts[hop], deg);
        if (scratch.length < deg) scratch = new int[Math.max(deg, 2 * scratch.length)];
        for (int i = 0; i < deg; i++) scratch[i] = p0 + i;
        for (int i = 0; i < k; i++) {
          if (k < deg) { // partial Fisher-Yates: the first k slots become a uniform k-subset
            int j = i + random.nextInt(deg - i);
            int t = scratch[i];
            scratch[i] = scratch[j];
            scratch[j] = t;
          }
          int p = scratch[i];
          src.add(local.getOrAdd(col[p]));
          dst.add(v);
          ids.add(eid[p]);
        }
      }
      from = to;
      hopEnds[hop + 1] = local.size();
    }
    int m = local.size();
    int[] nodes = new int[m];
    for (int i = 0; i < m; i++) nodes[i] = local.key(i);
    return new Subgraph(nodes, targets.length, EdgeIndex.of(src.toArray(), dst.toArray(), m),
        ids.toArray(), hopEnds);
  }
}
