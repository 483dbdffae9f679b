package org.gnn4j.pe;

import org.gnn4j.internal.kernel.ContextAccess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.tensor.Context;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;

/**
 * The block paths of the eigensolver: the Chebyshev filter on 2 and 4 interleaved vectors
 * against one vector at a time, Lanczos with blocks 1, 2, 4 and 3 (a block that is not a
 * multiple of the pair orthogonalisation) against plain block-2 Lanczos, on the scalar and the
 * Vector API loops, and the same bits for the same seed on the vector loops.
 */
class LanczosBlockTest {
  @Test
  void filterOnInterleavedVectorsEqualsOneAtATime() {
    Adjacency a = Graphs.random(400, 1600, 21);
    SplittableRandom r = new SplittableRandom(3);
    try (Parallel par = new Parallel(2)) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, par, DoubleLoops.scalar());
      ChebyshevFilter p = new ChebyshevFilter(s, 7, -1, 0.3);
      for (int count = 1; count <= 5; count++) {
        double[][] x = new double[count][a.n()];
        double[][] y = new double[count][a.n()];
        for (double[] xc : x) for (int i = 0; i < xc.length; i++) xc[i] = r.nextDouble() - 0.5;
        p.applyBlock(x, y, count);
        for (int c = 0; c < count; c++) {
          double[] one = new double[a.n()];
          p.apply(x[c], one);
          for (int i = 0; i < one.length; i++) {
            // Pairs sum in the single step's order (same bits), fours to rounding.
            double tol = count >= 4 && c < 4 ? 1e-10 * (1 + Math.abs(one[i])) : 0;
            assertEquals(one[i], y[c][i], tol, "count " + count + " column " + c + " row " + i);
          }
        }
      }
    }
  }

  @Test
  void everyBlockSizeFindsTheSameEigenpairsOnBothLoops() {
    Adjacency a = Graphs.random(600, 3000, 22);
    int k = 4;
    try (Context ref = Contexts.scalar(1)) {
      // The reference: plain block-2 Lanczos, itself checked against dense in LaplacianPeTest.
      LaplacianPe.Result dense = LaplacianPe.compute(a, new int[] {a.n()}, k,
          new LaplacianPe.Options(1e-10, 0, 1, 0), ref);
      for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(2)}) {
        try (ctx) {
          for (int block : new int[] {1, 3, 4}) {
            for (int filter : new int[] {0, 8}) {
              LaplacianPe.Options opt = new LaplacianPe.Options(1e-8, 0, 1, 5, filter, block);
              LaplacianPe.Result r = LaplacianPe.compute(a, new int[] {a.n()}, k, opt, ctx);
              String what = ContextAccess.kernels(ctx).name() + " block " + block + " filter " + filter;
              for (int j = 0; j < k; j++) {
                assertEquals(dense.values()[j], r.values()[j], 1e-9, what + " value " + j);
              }
              assertTrue(r.maxResidual() < 1e-7, what + " residual " + r.maxResidual());
            }
          }
        }
      }
    }
  }

  @Test
  void residualScaleIsTheFilterSlope() {
    Adjacency a = Graphs.random(300, 1200, 23);
    try (Parallel par = new Parallel(1)) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, par, DoubleLoops.scalar());
      ChebyshevFilter p = new ChebyshevFilter(s, 8, -1, 0.2);
      assertEquals(1, p.residualScale(0.5), 0, "inside the damped range");
      // p(x) = T_8((x - c) / e): compare with a central difference at x where p(x) = 20.
      double c = -0.4;
      double e = 0.6;
      double u = Math.log(20 + Math.sqrt(399)) / 8;
      double x = c + e * Math.cosh(u);
      double h = 1e-6;
      double slope = (cheb(8, (x + h - c) / e) - cheb(8, (x - h - c) / e)) / (2 * h);
      assertEquals(slope, p.residualScale(20), 1e-5 * slope);
      assertEquals(1, new Lanczos.Operator() {
        public int size() {
          return 1;
        }

        public void apply(double[] in, double[] out) {
          out[0] = in[0];
        }
      }.residualScale(5), 0, "plain operators keep the tolerance");
    }
  }

  private static double cheb(int q, double t) {
    double a = 1;
    double b = t;
    for (int j = 2; j <= q; j++) {
      double next = 2 * t * b - a;
      a = b;
      b = next;
    }
    return b;
  }

  @Test
  void acceptanceThatAcceptsChangesNothing() {
    Adjacency a = Graphs.random(500, 2500, 25);
    try (Parallel par = new Parallel(2)) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, par, DoubleLoops.scalar());
      int dim = a.n() - s.trivialCount();
      Lanczos.Options opt = new Lanczos.Options(24, 2, 1e-6, 1000);
      Lanczos.Result plain = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(1),
          par, DoubleLoops.scalar());
      int[] calls = {0};
      Lanczos.Result asked = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(1),
          par, DoubleLoops.scalar(), v -> ++calls[0] > 0);
      assertEquals(1, calls[0]);
      assertEquals(plain.matVecs(), asked.matVecs());
      assertArrayEquals(plain.values(), asked.values());
      for (int j = 0; j < 4; j++) assertArrayEquals(plain.vectors()[j], asked.vectors()[j]);
    }
  }

  @Test
  void startBlockNearTheEigenvectorsSavesMatVecs() {
    Adjacency a = Graphs.random(2000, 10000, 27);
    try (Parallel par = new Parallel(2)) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, par, DoubleLoops.scalar());
      int dim = a.n() - s.trivialCount();
      Lanczos.Options opt = new Lanczos.Options(24, 2, 1e-6, 1000);
      Lanczos.Result cold = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(4),
          par, DoubleLoops.scalar());
      // Start vectors: sums of the converged eigenvectors plus an equal random part.
      SplittableRandom r = new SplittableRandom(5);
      double[][] start = new double[2][a.n()];
      for (double[] x : start) {
        for (double[] v : cold.vectors()) {
          double c = r.nextDouble() * 2 - 1;
          for (int i = 0; i < x.length; i++) x[i] += c * v[i];
        }
        double[] noise = new double[a.n()];
        double nx = 0;
        double nn = 0;
        for (int i = 0; i < x.length; i++) {
          noise[i] = r.nextDouble() * 2 - 1;
          nx += x[i] * x[i];
          nn += noise[i] * noise[i];
        }
        for (int i = 0; i < x.length; i++) x[i] += Math.sqrt(nx / nn) * noise[i];
      }
      Lanczos.Result warm = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(4),
          par, DoubleLoops.scalar(), null, start);
      assertTrue(warm.converged() && warm.matVecs() < cold.matVecs(),
          "warm " + warm.matVecs() + " vs cold " + cold.matVecs() + " mat-vecs");
      for (int j = 0; j < 4; j++) assertEquals(cold.values()[j], warm.values()[j], 1e-9);
    }
  }

  @Test
  void refusedRitzVectorsMakeLanczosGoOnUntilAccepted() {
    Adjacency a = Graphs.random(500, 2500, 26);
    try (Parallel par = new Parallel(2)) {
      NormalizedAdjacency s = new NormalizedAdjacency(a, par, DoubleLoops.scalar());
      int dim = a.n() - s.trivialCount();
      Lanczos.Options opt = new Lanczos.Options(24, 2, 1e-2, 1000);
      Lanczos.Result loose = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(2),
          par, DoubleLoops.scalar());
      // The caller wants its own residual 1e-7: refusals must tighten the test until it holds.
      double[] y = new double[a.n()];
      int[] calls = {0};
      double[] seen = new double[1];
      Lanczos.Result strict = Lanczos.largest(s, 4, dim, s::deflate, opt, new SplittableRandom(2),
          par, DoubleLoops.scalar(), v -> {
            calls[0]++;
            seen[0] = worstResidual(s, v, y);
            return seen[0] <= 1e-7;
          });
      assertTrue(calls[0] > 1, "refused at least once (calls " + calls[0] + ")");
      assertTrue(strict.matVecs() > loose.matVecs());
      assertEquals(seen[0], worstResidual(s, strict.vectors(), y), 0, "returns the accepted vectors");
      assertTrue(seen[0] <= 1e-7, "residual " + seen[0]);
      assertTrue(worstResidual(s, loose.vectors(), y) > 1e-7, "the loose run stopped earlier");
    }
  }

  private static double worstResidual(NormalizedAdjacency s, double[][] vecs, double[] y) {
    double worst = 0;
    for (double[] v : vecs) {
      s.apply(v, y);
      double q = 0;
      for (int i = 0; i < y.length; i++) q += y[i] * v[i];
      double r2 = 0;
      for (int i = 0; i < y.length; i++) r2 += (y[i] - q * v[i]) * (y[i] - q * v[i]);
      worst = Math.max(worst, Math.sqrt(r2));
    }
    return worst;
  }

  @Test
  void vectorLoopsGiveTheSameBitsForTheSameSeed() {
    Adjacency a = Graphs.random(900, 4500, 24);
    LaplacianPe.Options opt = new LaplacianPe.Options(1e-8, 0, 1, 3, 8, 2);
    try (Context c1 = Contexts.vector(2); Context c2 = Contexts.vector(2)) {
      LaplacianPe.Result r1 = LaplacianPe.compute(a, new int[] {a.n()}, 5, opt, c1);
      LaplacianPe.Result r2 = LaplacianPe.compute(a, new int[] {a.n()}, 5, opt, c2);
      assertArrayEquals(r1.vectors(), r2.vectors());
      assertArrayEquals(r1.values(), r2.values());
    }
  }
}
