package org.gnn4j.oversmoothing;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Mean average distance (MAD) of node representations (Chen et al., "Measuring and relieving
 * the over-smoothing problem for graph neural networks from the topological view",
 * arXiv:1909.03211), with the all-pairs target mask: D_ij = 1 - cos(x_i, x_j); each node's
 * average over the j with D_ij &gt; 0; MAD the average of those node averages over the nodes
 * whose average is &gt; 0 (0 when there are none). A zero vector has cosine 0 with every other
 * vector, as in their code (sklearn's cosine distance). MAD falls to 0 as representations
 * align. The O(N^2) pairs are computed exactly for up to {@code maxNodes} nodes, else on a seeded
 * sample of that many nodes.
 */
public final class MeanAverageDistance {
  /** Default cap on the nodes whose pairs are computed exactly. */
  public static final int MAX_NODES = 4096;

  private MeanAverageDistance() {}

  /** @param x [N, C] */
  public static double of(Tensor x) {
    return of(x, MAX_NODES, new SplittableRandom(0));
  }

  /**
   * @param x [N, C]
   * @param maxNodes above this node count, MAD is computed on a sample of maxNodes nodes
   * @param rng draws that sample
   */
  public static double of(Tensor x, int maxNodes, SplittableRandom rng) {
    if (x.rank() != 2) throw new IllegalArgumentException("MAD: x must be [N, C] (got " + x.shape() + ")");
    int n = x.dim(0);
    int c = x.dim(1);
    int[] rows = sample(n, maxNodes, rng);
    int s = rows.length;
    Context ctx = x.ctx();
    float[] unit = new float[s * c];                       // unit: [s, C] rows scaled to norm 1
    float[] v = x.data();
    for (int r = 0; r < s; r++) {
      double norm = 0;
      for (int k = 0; k < c; k++) norm += (double) v[rows[r] * c + k] * v[rows[r] * c + k];
      double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (int k = 0; k < c; k++) unit[r * c + k] = (float) (v[rows[r] * c + k] * inv);
    }
    float[] cos;
    try (var g = ctx.noGrad()) {
      Tensor u = ctx.tensor(unit, s, c);
      cos = MatMul.matmul(u, u, false, true).data();        // cos: [s, s]
    }
    double total = 0;
    int counted = 0;
    for (int i = 0; i < s; i++) {
      double sum = 0;
      int nonZero = 0;
      for (int j = 0; j < s; j++) {
        if (j == i) continue;
        // float rounding leaves ~1e-7 for parallel vectors: below that, a distance is 0
        double d = 1 - cos[i * s + j];
        if (d > 1e-6) {
          sum += d;
          nonZero++;
        }
      }
      if (nonZero > 0 && sum > 0) {
        total += sum / nonZero;
        counted++;
      }
    }
    return counted == 0 ? 0 : total / counted;
  }

  private static int[] sample(int n, int maxNodes, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    if (n <= maxNodes) return all;
    for (int i = 0; i < maxNodes; i++) {
      int j = i + rng.nextInt(n - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] out = Arrays.copyOf(all, maxNodes);
    Arrays.sort(out);
    return out;
  }
}
