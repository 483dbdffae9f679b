package org.gnn4j.oversmoothing;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Tensor;

/**
 * The Dirichlet energy of node representations, the oversmoothing measure of Rusch, Bronstein
 * &amp; Mishra (arXiv:2303.10993, Definition 3.1, unnormalised form): E(X) = (1/N) sum_i
 * sum_{j in N(i)} ||x_i - x_j||^2, the sum running over the directed edges of the graph (an
 * undirected pair counts twice; self-loops add 0). It is 0 exactly when every connected
 * component's nodes share one representation, and oversmoothing is its exponential decay with
 * depth. Being quadratic in X, it also moves with the scale of the representations (weights
 * that grow with depth raise it without any change of direction); {@link #relative} divides the
 * scale out.
 */
public final class DirichletEnergy {
  private DirichletEnergy() {}

  /**
   * @param x [N, C] node representations
   * @param edges the graph's directed edges over the N nodes
   */
  public static double of(Tensor x, EdgeIndex edges) {
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
      for (int k = 0; k < c; k++) {
        double d = (double) v[a + k] - v[b + k];
        sum += d * d;
      }
    }
    return x.dim(0) == 0 ? 0 : sum / x.dim(0);
  }

  /**
   * The energy over the mean squared norm of the rows, E(X) / ((1/N) sum_i ||x_i||^2): a
   * Rayleigh quotient, unchanged when X is scaled (0 for X = 0).
   */
  public static double relative(Tensor x, EdgeIndex edges) {
    double e = of(x, edges);
    double sq = 0;
    for (float v : x.data()) sq += (double) v * v;
    return sq == 0 ? 0 : e / (sq / x.dim(0));
  }
}
