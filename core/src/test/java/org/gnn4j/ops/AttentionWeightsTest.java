package org.gnn4j.ops;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * The {@code weights} of each fused attention op are the weights it aggregates with: SpMM of
 * them with the op's values gives the fused output, on every graph edge case (no edges,
 * isolated nodes, a 5,000-in-edge hub, duplicates, self-loops) and both kernel sets.
 */
class AttentionWeightsTest {
  private static final int H = 2;
  private static final int C = 5;

  @Test
  void graphAttentionWeightsAggregateToTheFusedOutput() {
    forEachCase((ctx, e, r, what) -> {
      int n = e.numNodes();
      Tensor q = ctx.randn(r, n, H, C);
      Tensor k = ctx.randn(r, n, H, C);
      Tensor v = ctx.randn(r, n, H, C);
      Tensor bias = ctx.randn(r, e.numEdges(), H);
      float scale = 0.4f;
      Tensor fused = GraphAttention.apply(e, q, k, v, null, bias, scale);
      Tensor alpha = GraphAttention.weights(e, q, k, null, bias, scale);
      OpAssert.assertClose(what + " graphAttention", fused.data(),
          Spmm.aggregate(e, alpha, v).data(), 1e-5, 1e-4);
    });
  }

  @Test
  void gatWeightsAggregateToTheFusedOutput() {
    forEachCase((ctx, e, r, what) -> {
      int n = e.numNodes();
      Tensor x = ctx.randn(r, n, H, C);
      Tensor ss = ctx.randn(r, n, H);
      Tensor sd = ctx.randn(r, n, H);
      Tensor fused = GatAttention.apply(e, x, ss, sd, 0.2f);
      OpAssert.assertClose(what + " gat", fused.data(),
          Spmm.aggregate(e, GatAttention.weights(e, ss, sd, 0.2f), x).data(), 1e-5, 1e-4);
    });
  }

  @Test
  void gatV2WeightsAggregateToTheFusedOutput() {
    forEachCase((ctx, e, r, what) -> {
      int n = e.numNodes();
      Tensor xl = ctx.randn(r, n, H, C);
      Tensor xr = ctx.randn(r, n, H, C);
      Tensor att = ctx.randn(r, 1, H, C);
      Tensor fused = GatV2Attention.apply(e, xl, xr, att, 0.2f);
      OpAssert.assertClose(what + " gatv2", fused.data(),
          Spmm.aggregate(e, GatV2Attention.weights(e, xl, xr, att, 0.2f), xl).data(), 1e-5,
          1e-4);
    });
  }

  private interface CaseBody {
    void run(Context ctx, EdgeIndex e, SplittableRandom r, String what);
  }

  private static void forEachCase(CaseBody body) {
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (RandomGraphs.Case g : RandomGraphs.edgeCases(33)) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          body.run(ctx, g.edges(), new SplittableRandom(33), kernels.name() + " " + g.name()
              + " (seed 33)");
        }
      }
    }
  }
}
