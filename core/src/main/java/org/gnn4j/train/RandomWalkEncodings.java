package org.gnn4j.train;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;

/** Interim exact RWSE for batches of small graphs, until pe.RandomWalkPe is merged. */
final class RandomWalkEncodings {
  private RandomWalkEncodings() {}

  /** [N * k]: (P^t)_{ii}, t = 1..k, P = D^-1 A, per graph of the batch (edges within graphs). */
  static float[] landingProbabilities(EdgeIndex edges, int[] counts, int k, Context ctx) {
    int n = edges.numNodes();
    int[] src = edges.src();
    int[] dst = edges.dst();
    int[] deg = new int[n];
    for (int s : src) deg[s]++;
    int[] ptr = new int[n + 1];
    for (int i = 0; i < n; i++) ptr[i + 1] = ptr[i] + deg[i];
    int[] nbr = new int[src.length];
    int[] fill = ptr.clone();
    for (int e = 0; e < src.length; e++) nbr[fill[src[e]]++] = dst[e];
    float[] out = new float[n * k];
    int start = 0;
    for (int size : counts) {
      double[] p = new double[size];
      double[] q = new double[size];
      for (int i = 0; i < size; i++) {
        java.util.Arrays.fill(p, 0);
        p[i] = 1;
        for (int t = 0; t < k; t++) {
          java.util.Arrays.fill(q, 0);
          for (int a = 0; a < size; a++) {
            if (p[a] == 0 || deg[start + a] == 0) continue;
            double w = p[a] / deg[start + a];
            for (int x = ptr[start + a]; x < ptr[start + a + 1]; x++) q[nbr[x] - start] += w;
          }
          double[] tmp = p;
          p = q;
          q = tmp;
          out[(start + i) * k + t] = (float) p[i];
        }
      }
      start += size;
    }
    return out;
  }
}
