package org.gnn4j.oversmoothing;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/**
 * The Dirichlet energy of node representations, the oversmoothing measure of Rusch, Bronstein
 * &amp; Mishra (arXiv:2303.10993). Three forms, all summing over the directed edges of the graph
 * (an undirected pair counts twice; self-loops add 0):
 * <ul>
 *   <li>{@link #of}: Rusch et al.'s Definition 3.1, E(X) = (1/N) sum_i sum_{j in N(i)}
 *       ||x_i - x_j||^2; 0 exactly when each connected component shares one representation.</li>
 *   <li>{@link #normalised}: with GCN's degree normalisation (Cai &amp; Wang, arXiv:2006.13318),
 *       (1/N) sum ||x_i / sqrt(1 + d_i) - x_j / sqrt(1 + d_j)||^2, d the in-degree: 0 exactly on
 *       the vectors x_i proportional to sqrt(1 + d_i), the fixed direction repeated GCN
 *       propagation converges to (which the plain form still sees as spread, as degrees differ).</li>
 *   <li>{@link #relative}: the normalised energy over the mean squared row norm, a Rayleigh
 *       quotient of the normalised Laplacian in [0, 2], unchanged when X is scaled; weights that
 *       grow or shrink with depth move the other two forms without any change of direction.</li>
 * </ul>
 */
public final class DirichletEnergy {
  private DirichletEnergy() {}

  /**
   * @param x [N, C] node representations
   * @param edges the graph's directed edges over the N nodes
   */
  public static double of(Tensor x, EdgeIndex edges) {
    return sum(x, edges, null) / Math.max(1, x.dim(0));
  }

  /** (1/N) sum ||x_i / sqrt(1 + d_i) - x_j / sqrt(1 + d_j)||^2 over the edges, d = in-degree. */
  public static double normalised(Tensor x, EdgeIndex edges) {
    int[] deg = edges.inDegree();
    double[] scale = new double[deg.length];
    for (int i = 0; i < deg.length; i++) scale[i] = 1 / Math.sqrt(1.0 + deg[i]);
    return sum(x, edges, scale) / Math.max(1, x.dim(0));
  }

  /** {@link #normalised} over (1/N) sum_i ||x_i||^2; 0 for X = 0. */
  public static double relative(Tensor x, EdgeIndex edges) {
    double sq = 0;
    for (float v : x.data()) sq += (double) v * v;
    return sq == 0 ? 0 : normalised(x, edges) / (sq / x.dim(0));
  }

  private static double sum(Tensor x, EdgeIndex edges, double[] scale) {
    if (x.rank() != 2 || x.dim(0) != edges.numNodes()) {
      throw new IllegalArgumentException("dirichlet energy: x must be [N, C] with N = "
          + edges.numNodes() + " (got " + x.shape() + ")");
    }
    int c = x.dim(1);
    float[] v = x.data();
    int[] src = edges.src();
    int[] dst = edges.dst();
    double sum = 0;
    for (int e = 0; e < src.length; e++) {
      int a = src[e] * c;
      int b = dst[e] * c;
      double sa = scale == null ? 1 : scale[src[e]];
      double sb = scale == null ? 1 : scale[dst[e]];
      for (int k = 0; k < c; k++) {
        double d = sa * v[a + k] - sb * v[b + k];
        sum += d * d;
      }
    }
    return sum;
  }
}
