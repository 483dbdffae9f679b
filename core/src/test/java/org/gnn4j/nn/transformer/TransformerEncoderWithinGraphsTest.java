package org.gnn4j.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.Graph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.junit.jupiter.api.Test;

/**
 * The transformer_encoder layer kind on a batch: full attention on the complete graph of each
 * input graph and never across graphs, exactly each graph run alone.
 */
class TransformerEncoderWithinGraphsTest {
  @Test
  void attendsWithinEachGraphOnlyAndEqualsEachGraphAlone() {
    int c = 8;
    int[] sizes = {3, 5, 1, 4};
    int[] ptr = {0, 3, 8, 9, 13};
    for (Context ctx : new Context[] {Contexts.scalar(2), Contexts.vector(1)}) {
      try (ctx) {
        for (boolean pre : new boolean[] {false, true}) {
          TransformerEncoderLayer l = new TransformerEncoderLayer(ctx,
              new TransformerEncoderLayer.Config(c, 2, 12, pre), new SplittableRandom(4));
          Tensor x = ctx.randn(new SplittableRandom(9), 13, c);
          Tensor batched = l.forwardWithinGraphs(x, ptr);
          for (int g = 0; g < sizes.length; g++) {
            float[] part = Arrays.copyOfRange(x.data(), ptr[g] * c, ptr[g + 1] * c);
            Tensor alone = l.forward(ctx.tensor(part, sizes[g], c));
            for (int i = 0; i < sizes[g] * c; i++) {
              assertEquals(alone.data()[i], batched.data()[ptr[g] * c + i], 2e-5,
                  "graph " + g + " entry " + i + " pre-norm " + pre);
            }
          }
          // the same as attention over the explicit within-graph pairs
          Tensor pairs = l.forward(x, Graph.batched(EdgeSets.withinGraphs(batchOf(ptr)), sizes), null);
          for (int i = 0; i < pairs.numel(); i++) assertEquals(pairs.data()[i], batched.data()[i], 2e-5);
          // a change in graph 1 leaves graphs 0, 2, 3 as they were
          float[] moved = x.data().clone();
          moved[5 * c + 2] += 3f;
          Tensor after = l.forwardWithinGraphs(ctx.tensor(moved, 13, c), ptr);
          for (int i = 0; i < 13 * c; i++) {
            int node = i / c;
            if (node < 3 || node >= 8) assertEquals(batched.data()[i], after.data()[i], 0f);
          }
        }
      }
    }
  }

  private static int[] batchOf(int[] ptr) {
    int[] b = new int[ptr[ptr.length - 1]];
    for (int g = 0; g + 1 < ptr.length; g++) Arrays.fill(b, ptr[g], ptr[g + 1], g);
    return b;
  }

  @Test
  void rejectsFeaturesThatDoNotCoverTheBatch() {
    try (Context ctx = Contexts.scalar(1)) {
      TransformerEncoderLayer l = new TransformerEncoderLayer(ctx,
          new TransformerEncoderLayer.Config(4, 2, 8, false), new SplittableRandom(1));
      var ex = assertThrows(IllegalArgumentException.class,
          () -> l.forwardWithinGraphs(ctx.zeros(5, 4), new int[] {0, 2, 6}));
      assertTrue(ex.getMessage().contains("expected [6, 4]"), ex.getMessage());
    }
  }
}
