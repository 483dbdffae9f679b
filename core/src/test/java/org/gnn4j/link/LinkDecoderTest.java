package org.gnn4j.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.Contexts;
import org.gnn4j.testing.GradCheck;
import org.junit.jupiter.api.Test;

class LinkDecoderTest {
  // pairs with a repeated node and a self-pair: gradients from several pairs meet on one row
  private static final NodePairs PAIRS = new NodePairs(new int[] {0, 2, 4, 1, 3}, new int[] {1, 2, 0, 4, 0});

  private static Tensor z(Context ctx) {
    return ctx.randn(new SplittableRandom(4), 5, 6).requiresGrad(true);
  }

  @Test
  void dotProductScoresAndGradients() {
    for (Kernels k : Contexts.kernelSets()) {
      try (Context ctx = Context.builder().threads(2).seed(1).kernels(k).build()) {
        Tensor z = z(ctx);
        DotDecoder dec = new DotDecoder();
        float[] s = dec.score(z, PAIRS).data();
        for (int i = 0; i < PAIRS.size(); i++) {
          double want = 0;
          for (int c = 0; c < 6; c++) want += z.get(PAIRS.src()[i], c) * z.get(PAIRS.dst()[i], c);
          assertEquals(want, s[i], 1e-5);
        }
        GradCheck.defaults().check("dot decoder", 1, in -> dec.score(in[0], PAIRS), z);
      }
    }
  }

  @Test
  void mlpOnThePairGradients() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Tensor z = z(ctx);
      MlpDecoder dec = new MlpDecoder(ctx, 6, new int[] {8}, new SplittableRandom(2));
      assertEquals(PAIRS.size(), dec.score(z, PAIRS).numel());
      Tensor[] inputs = new Tensor[1 + dec.parameters().size()];
      inputs[0] = z;
      for (int i = 0; i < dec.parameters().size(); i++) inputs[i + 1] = dec.parameters().get(i);
      GradCheck.defaults().check("mlp decoder", 2, in -> dec.score(in[0], PAIRS), inputs);
    }
  }

  @Test
  void distMultScoresPerRelationAndGradients() {
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Tensor z = z(ctx);
      DistMultDecoder dec = new DistMultDecoder(ctx, 3, 6, new SplittableRandom(3));
      int[] rel = {0, 2, 1, 2, 0};
      Tensor r = dec.namedParameters().get("rel_emb");
      float[] s = dec.score(z, PAIRS, rel).data();
      for (int i = 0; i < PAIRS.size(); i++) {
        double want = 0;
        for (int c = 0; c < 6; c++) want += z.get(PAIRS.src()[i], c) * r.get(rel[i], c) * z.get(PAIRS.dst()[i], c);
        assertEquals(want, s[i], 1e-5);
      }
      GradCheck.defaults().check("distmult decoder", 3, in -> dec.score(in[0], PAIRS, rel), z, r);
    }
  }
}
