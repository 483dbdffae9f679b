package org.gnn4j.pe;

import java.util.SplittableRandom;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;

class ScratchTest {
  @Test
  void run() {
    int n = Integer.getInteger("pe.n", 100_000);
    EdgeIndex e = RandomGraph.uniform(n, n * 10, new SplittableRandom(0));
    Adjacency a = Adjacency.undirected(e);
    double tol = Double.parseDouble(System.getProperty("pe.tol", "1e-5"));
    try (Context ctx = Context.builder().threads(2).build()) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, ctx.parallel());
      for (int m : new int[] {48, 96}) {
        long t0 = System.nanoTime();
        Lanczos.Result r = Lanczos.largest(s, 8, n - 1, s::deflate, new Lanczos.Options(m, Integer.getInteger("pe.b", 2), tol, 10000),
            new SplittableRandom(0), ctx.parallel());
        System.out.println("m=" + m + " ms=" + (System.nanoTime() - t0) / 1e6 + " mv=" + r.matVecs()
            + " restarts=" + r.restarts() + " res=" + java.util.Arrays.toString(r.residuals()));
      }
      double[] x = new double[n], y = new double[n];
      long t0 = System.nanoTime();
      for (int i = 0; i < 100; i++) s.apply(x, y);
      System.out.println("matvec ms=" + (System.nanoTime() - t0) / 1e8);
    }
  }
}
