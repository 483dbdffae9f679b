package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutKeepAtTest {
  @Test
  void unmixInvertsMix() {
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 1000; i++) {
      long z = r.nextLong();
      assertEquals(z, SplitMixJump.unmix(SplitMixJump.mix(z)), "z = " + z);
    }
  }

  @Test
  void jumpGivesTheStreamsValues() {
    for (long seed : new long[] {0, 1, -7, 123456789}) {
      SplittableRandom parent = new SplittableRandom(seed);
      SplittableRandom s = parent.split();
      SplittableRandom copy = new SplittableRandom(seed).split();
      SplitMixJump j = SplitMixJump.of(s, new long[3]);
      assertEquals(true, j != null, "seed " + seed + ": SplittableRandom is not SplitMix64 here");
      for (long i = 0; i < 200; i++) assertEquals(copy.nextLong(), j.at(i), "seed " + seed + ", value " + i);
    }
  }

  /** The dense mask at a random subset of positions, by jumping and by reading in order. */
  @Test
  void keepAtEqualsTheDenseMaskAtThePositions() {
    int block = NormKernels.DROPOUT_BLOCK;
    NormKernels norm = NormKernels.on(ScalarMath.INSTANCE);
    try (Parallel par = new Parallel(2)) {
      for (int n : new int[] {1, 7, 64, 1000, block - 1, block, block + 3, 2 * block + 77}) {
        for (double p : new double[] {0.1, 0.5, 0.9}) {
          long seed = n * 31L + (long) (p * 10);
          long[] dense = new long[(n + 63) >>> 6];
          SplittableRandom a = new SplittableRandom(seed);
          norm.dropoutMask(dense, a, p, n, par);
          long afterDense = a.nextLong();
          SplittableRandom pick = new SplittableRandom(seed + 1);
          int[] pos = new int[n];
          int count = 0;
          for (int i = 0; i < n; i++) if (pick.nextInt(3) == 0 || i == n - 1) pos[count++] = i;
          for (boolean jump : new boolean[] {true, false}) {
            String where = "n " + n + ", p " + p + ", jump " + jump;
            SplittableRandom b = new SplittableRandom(seed);
            boolean[] keep = new boolean[count];
            ScalarNorm.dropoutKeepAt(keep, pos, count, b, p, n, jump);
            for (int q = 0; q < count; q++) {
              boolean expected = ((dense[pos[q] >>> 6] >>> (pos[q] & 63)) & 1L) == 1L;
              assertEquals(expected, keep[q], where + ", position " + pos[q]);
            }
            assertEquals(afterDense, b.nextLong(), where + ": the stream must be left where dropoutMask leaves it");
          }
        }
      }
    }
  }
}
