package org.gnn4j.ops;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

/**
 * The fused kernel against its unfused composition, the DGL pattern: SDDMM (q_i . k_j) ->
 * scale (+ bias) -> edge softmax -> SpMM with the values. Same forward, same gradients, on every
 * graph edge case and on both kernel sets.
 */
class GraphAttentionCompositionTest {
  private static Tensor unfused(EdgeIndex e, Tensor q, Tensor k, Tensor v, Tensor bias, float scale) {
    Tensor scores = Sddmm.dot(e, k, q).mul(scale);                 // [E, H]
    if (bias != null) scores = scores.add(bias);
    Tensor alpha = EdgeSoftmax.apply(scores, e);                    // [E, H]
    return Spmm.aggregate(e, alpha, v);                             // [N, H, C]
  }

  @Test
  void fusedEqualsSddmmSoftmaxSpmmOnEdgeCases() {
    int heads = 2;
    int c = 8;
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      for (RandomGraphs.Case g : RandomGraphs.edgeCases(21)) {
        try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
          EdgeIndex e = g.edges();
          int n = e.numNodes();
          SplittableRandom r = new SplittableRandom(21);
          float scale = (float) (1 / Math.sqrt(c));
          Tensor[] fused = inputs(ctx, r, n, heads, c, e.numEdges());
          Tensor[] plain = copies(fused);
          Tensor outF = GraphAttention.apply(e, fused[0], fused[1], fused[2], null, fused[3], scale);
          Tensor outU = unfused(e, plain[0], plain[1], plain[2], plain[3], scale);
          String what = kernels.name() + " " + g.name();
          OpAssert.assertClose(what + " out", outU.data(), outF.data(), 1e-5, 1e-4);
          float[] dOut = ctx.randn(r, outF.numel()).data();
          if (outF.requiresGrad()) {
            Autograd.backward(outF, dOut);
            Autograd.backward(outU, dOut.clone());
            String[] names = {"dq", "dk", "dv", "dbias"};
            for (int i = 0; i < 4; i++) {
              float[] want = plain[i].gradArray() == null ? new float[plain[i].numel()] : plain[i].gradArray();
              float[] got = fused[i].gradArray() == null ? new float[fused[i].numel()] : fused[i].gradArray();
              OpAssert.assertClose(what + " " + names[i], want, got, 1e-5, 1e-4);
            }
          }
        }
      }
    }
  }

  private static Tensor[] inputs(Context ctx, SplittableRandom r, int n, int h, int c, int e) {
    return new Tensor[] {ctx.randn(r, n, h, c).requiresGrad(true),
        ctx.randn(r, n, h, c).requiresGrad(true), ctx.randn(r, n, h, c).requiresGrad(true),
        ctx.randn(r, e, h).requiresGrad(true)};
  }

  private static Tensor[] copies(Tensor[] ts) {
    Tensor[] out = new Tensor[ts.length];
    for (int i = 0; i < ts.length; i++) {
      out[i] = ts[i].ctx().tensor(ts[i].data(), ts[i].shape().toArray()).requiresGrad(true);
    }
    return out;
  }
}
