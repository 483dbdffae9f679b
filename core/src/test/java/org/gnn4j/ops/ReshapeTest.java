package org.gnn4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class ReshapeTest {
  private static Context ctx(int threads) {
    return Context.builder().threads(threads).seed(1).build();
  }

  @Test
  void reshapeSharesDataAndInfersMinusOne() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.randn(new SplittableRandom(1), 2, 3, 4);
      Tensor y = Reshape.reshape(x, 6, -1);
      assertEquals(Shape.of(6, 4), y.shape());
      assertSame(x.data(), y.data());
      assertEquals(Shape.of(24), Reshape.reshape(x, -1).shape());
      assertEquals(Shape.of(1, 24, 1), Reshape.reshape(x, 1, -1, 1).shape());
      assertEquals(Shape.of(), Reshape.reshape(ctx.ones(1, 1), new int[0]).shape());
      assertEquals(Shape.of(0, 5), Reshape.reshape(ctx.zeros(5, 0), 0, 5).shape());
    }
  }

  @Test
  void rejectsBadReshapes() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.zeros(3, 4);
      var e = assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, 5, -1));
      assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("[3, 4]")
          && e.getMessage().contains("12"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, -1, -1));
      assertTrue(e.getMessage().contains("positions 0 and 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, 2, 7));
      assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[2, 7]"),
          e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Reshape.reshape(x, -2, -6));
      assertTrue(e.getMessage().contains("-2") && e.getMessage().contains("position 0"),
          e.getMessage());
    }
  }

  @Test
  void transposeAndPermuteMatchNaive() {
    try (Context ctx = ctx(2)) {
      Tensor x = ctx.randn(new SplittableRandom(2), 2, 3, 4);
      Tensor t = Reshape.transpose(x, 0, -1);
      assertEquals(Shape.of(4, 3, 2), t.shape());
      Tensor p = Reshape.permute(x, 1, 2, 0);
      assertEquals(Shape.of(3, 4, 2), p.shape());
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
          for (int k = 0; k < 4; k++) {
            assertEquals(x.get(i, j, k), t.get(k, j, i));
            assertEquals(x.get(i, j, k), p.get(j, k, i));
          }
        }
      }
      Tensor m = ctx.randn(new SplittableRandom(3), 300, 257); // several parallel chunks
      Tensor mt = Reshape.transpose(m, 0, 1);
      for (int i = 0; i < 300; i += 7) {
        for (int j = 0; j < 257; j += 5) assertEquals(m.get(i, j), mt.get(j, i));
      }
      assertArrayEquals(m.data(), Reshape.transpose(mt, 1, 0).data());
      assertArrayEquals(x.data(), Reshape.transpose(x, 1, 1).data());
    }
  }

  @Test
  void everyPermutationOfALargerTensorMatchesNaive() {
    int[][] perms = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    try (Context ctx = ctx(2)) {
      Tensor x = ctx.randn(new SplittableRandom(6), 7, 33, 19);  // tiles of 16 with remainders
      for (int[] p : perms) {
        Tensor y = Reshape.permute(x, p);
        int[] idx = new int[3];
        for (idx[0] = 0; idx[0] < 7; idx[0]++) {
          for (idx[1] = 0; idx[1] < 33; idx[1]++) {
            for (idx[2] = 0; idx[2] < 19; idx[2]++) {
              assertEquals(x.get(idx), y.get(idx[p[0]], idx[p[1]], idx[p[2]]),
                  "permute " + java.util.Arrays.toString(p) + " at " + java.util.Arrays.toString(idx));
            }
          }
        }
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    try (Context ctx = ctx(2)) {
      SplittableRandom r = new SplittableRandom(31);
      Tensor x = ctx.randn(r, 2, 3, 5).requiresGrad(true);
      GradCheck g = GradCheck.defaults();
      g.check("reshape", 31, in -> Reshape.reshape(in[0], 5, -1), x);
      g.check("transpose", 31, in -> Reshape.transpose(in[0], 0, 2), x);
      g.check("transpose -1 -2", 31, in -> Reshape.transpose(in[0], -1, -2), x);
      g.check("permute", 31, in -> Reshape.permute(in[0], 2, 0, 1), x);
      g.check("reshape then permute", 31,
          in -> Reshape.permute(Reshape.reshape(in[0], 6, 5), 1, 0), x);
    }
  }

  @Test
  void rejectsBadDims() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.zeros(2, 3);
      var e = assertThrows(IllegalArgumentException.class, () -> Reshape.transpose(x, 0, 2));
      assertTrue(e.getMessage().startsWith("transpose: dim out of range")
          && e.getMessage().contains("[2, 3]"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Reshape.permute(x, 0, 0));
      assertTrue(e.getMessage().contains("repeated at position 1"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> Reshape.permute(x, 0));
      assertTrue(e.getMessage().startsWith("permute:"), e.getMessage());
    }
  }

  @Test
  void inferenceModeRecordsNothing() {
    try (Context ctx = ctx(1)) {
      Tensor x = ctx.ones(2, 3).requiresGrad(true);
      try (var s = ctx.noGrad()) {
        assertTrue(Reshape.reshape(x, 3, 2).isLeaf());
        assertTrue(Reshape.transpose(x, 0, 1).isLeaf());
      }
      assertTrue(Reshape.transpose(x, 0, 1).requiresGrad());
    }
  }
}
