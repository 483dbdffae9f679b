package org.gnn4j.pe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class LapPeEncoderTest {
  private static LaplacianPe.Result pe(Context ctx) {
    // Two graphs: a 6-cycle and a 3-path, k = 4 (the path has only 2 real slots).
    Adjacency a = Graphs.union(Graphs.cycle(6), Graphs.path(3));
    return LaplacianPe.compute(a, new int[] {6, 3}, 4, LaplacianPe.Options.defaults(), ctx);
  }

  @Test
  void outputsOneRowPerNode() {
    try (Context ctx = Contexts.scalar(1)) {
      for (LapPeEncoder.Kind kind : LapPeEncoder.Kind.values()) {
        LapPeEncoder enc = new LapPeEncoder(ctx, kind, 4, 8, 16, false, new SplittableRandom(1));
        Tensor out = enc.forward(pe(ctx), ctx);
        assertArrayEquals(new int[] {9, 8}, out.shape().toArray(), kind.name());
      }
    }
  }

  @Test
  void signInvariantEncoderIgnoresSignFlips() {
    try (Context ctx = Contexts.scalar(1)) {
      LaplacianPe.Result r = pe(ctx);
      LapPeEncoder inv = new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, 4, 8, 16, true,
          new SplittableRandom(2));
      LapPeEncoder plain = new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, 4, 8, 16, false,
          new SplittableRandom(2));
      Tensor v = r.vectors(ctx);
      Tensor flipped = v.neg();
      Tensor a = inv.forward(v, r.valuesPerNode(ctx), r.mask(ctx));
      Tensor b = inv.forward(flipped, r.valuesPerNode(ctx), r.mask(ctx));
      assertArrayEquals(a.data(), b.data(), 1e-6f);
      Tensor c = plain.forward(v, r.valuesPerNode(ctx), r.mask(ctx));
      Tensor d = plain.forward(flipped, r.valuesPerNode(ctx), r.mask(ctx));
      double diff = 0;
      for (int i = 0; i < c.numel(); i++) diff = Math.max(diff, Math.abs(c.data()[i] - d.data()[i]));
      assertTrue(diff > 1e-4, "the plain encoder does see signs (max diff " + diff + ")");
      Tensor random = LaplacianPe.randomSignFlip(v, new int[] {6, 3}, new SplittableRandom(3));
      assertArrayEquals(a.data(), inv.forward(random, r.valuesPerNode(ctx), r.mask(ctx)).data(),
          1e-6f);
    }
  }

  @Test
  void paddedSlotsDoNotContribute() {
    try (Context ctx = Contexts.scalar(1)) {
      LaplacianPe.Result r = pe(ctx);
      LapPeEncoder enc = new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, 4, 8, 16, false,
          new SplittableRandom(4));
      Tensor base = enc.forward(r.vectors(ctx), r.valuesPerNode(ctx), r.mask(ctx));
      Tensor vals = r.valuesPerNode(ctx);
      vals.data()[7 * 4 + 3] = 5f;             // a padded slot of the path graph
      Tensor changed = enc.forward(r.vectors(ctx), vals, r.mask(ctx));
      assertArrayEquals(base.data(), changed.data());
      Tensor noMask = enc.forward(r.vectors(ctx), vals, null);
      assertNotEquals(base.get(7, 0), noMask.get(7, 0));
    }
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (boolean inv : new boolean[] {false, true}) {
      try (Context ctx = Contexts.scalar(1)) {
        LaplacianPe.Result r = pe(ctx);
        LapPeEncoder enc = new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, 4, 3, 5, inv,
            new SplittableRandom(5));
        Tensor v = r.vectors(ctx);
        Tensor lam = r.valuesPerNode(ctx);
        Tensor mask = r.mask(ctx);
        GradCheck.defaults().check("deepsets inv=" + inv, 7, in -> enc.forward(v, lam, mask),
            enc.parameters().toArray(new Tensor[0]));
      }
    }
    try (Context ctx = Contexts.scalar(1)) {
      LaplacianPe.Result r = pe(ctx);
      LapPeEncoder enc = new LapPeEncoder(ctx, LapPeEncoder.Kind.LINEAR, 4, 3, 0, false,
          new SplittableRandom(6));
      Tensor v = r.vectors(ctx);
      GradCheck.defaults().check("linear", 8, in -> enc.forward(v, null, null),
          enc.parameters().toArray(new Tensor[0]));
    }
  }

  @Test
  void rejectsBadConfigurationAndShapes() {
    try (Context ctx = Contexts.scalar(1)) {
      var ex = assertThrows(IllegalArgumentException.class, () -> new LapPeEncoder(ctx,
          LapPeEncoder.Kind.LINEAR, 4, 8, 0, true, new SplittableRandom(1)));
      assertTrue(ex.getMessage().contains("sign-invariant LINEAR"), ex.getMessage());
      ex = assertThrows(IllegalArgumentException.class, () -> new LapPeEncoder(ctx,
          LapPeEncoder.Kind.DEEP_SETS, 0, 8, 4, false, new SplittableRandom(1)));
      assertTrue(ex.getMessage().contains(">= 1"), ex.getMessage());
      LapPeEncoder enc = new LapPeEncoder(ctx, LapPeEncoder.Kind.DEEP_SETS, 4, 8, 4, false,
          new SplittableRandom(1));
      ex = assertThrows(IllegalArgumentException.class,
          () -> enc.forward(ctx.zeros(5, 3), ctx.zeros(5, 3), null));
      assertTrue(ex.getMessage().contains("vectors must be [N, 4]"), ex.getMessage());
      assertEquals(8, enc.outChannels());
    }
  }
}
