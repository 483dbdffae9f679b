package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.DenseKernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Matrix products with optionally transposed operands, the engine of every linear layer:
 * {@code [M, K] x [K, N]}, a batch of rows {@code [..., M, K] x [K, N]}, and batched
 * {@code [B, M, K] x [B, K, N]}. Backward: dA = dC op(B)^T, dB = op(A)^T dC, each one more
 * matmul on the same kernel.
 */
public final class MatMul {
  private MatMul() {}

  /** {@code a @ b}. */
  public static Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, b, false, false);
  }

  /**
   * {@code op(a) @ op(b)} where op transposes the last two dimensions when asked.
   *
   * @throws IllegalArgumentException on incompatible shapes, naming both
   */
  public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
    Plan p = Plan.of(a, b, transA, transB);
    // beta = 0 overwrites C, but a product over k = 0 writes nothing: that one starts zeroed
    float[] out = p.k > 0 ? ContextAccess.floatsToOverwrite(a.ctx(), p.batch * p.m * p.n)
        : ContextAccess.floats(a.ctx(), p.batch * p.m * p.n);
    forward(a.ctx(), out, a.data(), transA, b.data(), transB, p);
    return new Tensor(a.ctx(), p.outShape, out).recordedBy(new Backward(p, transA, transB, a, b));
  }

  /**
   * {@code x @ w^T + bias}, a linear layer in one op: the bias is written into the output before
   * the product accumulates onto it, so the layer makes one output array instead of two, and the
   * backward sums the bias gradient straight from dOut. {@code x}: [..., K], {@code w}: [N, K],
   * {@code bias}: [N].
   *
   * @throws IllegalArgumentException on incompatible shapes, naming them
   */
  public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
    Plan p = Plan.of(x, w, false, true);
    if (w.rank() != 2 || bias.rank() != 1 || bias.dim(0) != p.n) {
      throw new IllegalArgumentException("linear: bias must be [" + p.n + "] for weight "
          + w.shape() + " (got " + bias.shape() + ")");
    }
    float[] out = ContextAccess.floatsToOverwrite(x.ctx(), p.m * p.n);     // every row: the bias
    float[] b = bias.data();
    var par = ContextAccess.parallel(x.ctx());
    int n = p.n;
    // on all threads: on the calling thread alone, writing a large output's bias rows showed in
    // gin's step profile
    par.forRange(p.m, Math.max(1, (1 << 16) / Math.max(1, n)), (chunk, r0, r1) -> {
      for (int r = r0; r < r1; r++) System.arraycopy(b, 0, out, r * n, n);
    });
    DenseKernels dk = ContextAccess.kernels(x.ctx()).dense();
    dk.sgemm(out, 0, p.n, 1f, x.data(), 0, p.k, false, w.data(), 0, p.k, true, 1f, p.m, p.n,
        p.k, par);
    return new Tensor(x.ctx(), p.outShape, out)
        .recordedBy(new Backward(p, false, true, x, w, bias));
  }

  /** Sizes of one call: batch count, m, n, k, and whether b is one matrix for all rows of a. */
  private record Plan(int batch, int m, int n, int k, boolean sharedB, Shape outShape) {
    static Plan of(Tensor a, Tensor b, boolean transA, boolean transB) {
      int ra = a.rank();
      int rb = b.rank();
      if (ra < 2 || rb < 2 || rb > 3 || (rb == 3 && ra != 3) || (ra > 2 && transA && rb == 2)) {
        throw new IllegalArgumentException("matmul: unsupported ranks (got " + a.shape() + " and "
            + b.shape() + ", expected [M, K] x [K, N], [..., M, K] x [K, N] or [B, M, K] x"
            + " [B, K, N])");
      }
      int ka = transA ? a.dim(-2) : a.dim(-1);
      int kb = transB ? b.dim(-1) : b.dim(-2);
      int n = transB ? b.dim(-2) : b.dim(-1);
      if (ka != kb) {
        throw new IllegalArgumentException("matmul: inner dimensions differ (got " + a.shape()
            + (transA ? "^T" : "") + " x " + b.shape() + (transB ? "^T" : "") + ": " + ka
            + " vs " + kb + ")");
      }
      if (rb == 3) {
        if (a.dim(0) != b.dim(0)) {
          throw new IllegalArgumentException("matmul: batch sizes differ (got " + a.shape()
              + " and " + b.shape() + ")");
        }
        int m = transA ? a.dim(2) : a.dim(1);
        return new Plan(a.dim(0), m, n, ka, false, Shape.of(a.dim(0), m, n));
      }
      int m = transA ? a.dim(1) : a.rows();
      int[] outDims = a.shape().toArray();
      if (ra == 2) outDims = new int[] {m, n};
      else outDims[outDims.length - 1] = n;
      return new Plan(1, m, n, ka, true, Shape.of(outDims));
    }
  }

  /** out = op(a) op(b) over the plan's batch. */
  private static void forward(Context ctx, float[] out, float[] a, boolean transA,
                              float[] b, boolean transB, Plan p) {
    DenseKernels dk = ContextAccess.kernels(ctx).dense();
    int lda = transA ? p.m : p.k;
    int ldb = transB ? p.k : p.n;
    for (int bi = 0; bi < p.batch; bi++) {
      dk.sgemm(out, bi * p.m * p.n, p.n, 0f, a, bi * p.m * p.k, lda, transA,
          b, p.sharedB ? 0 : bi * p.k * p.n, ldb, transB, 1f, p.m, p.n, p.k, ContextAccess.parallel(ctx));
    }
  }

  private static final class Backward extends Node {
    private final boolean transA;
    private final boolean transB;
    private final Plan p;

    /** inputs: a, b, and for {@link #linear} the bias added to every output row. */
    Backward(Plan p, boolean transA, boolean transB, Tensor... inputs) {
      super(inputs);
      this.transA = transA;
      this.transB = transB;
      this.p = p;
    }

    @Override
    public void backward(float[] dc) {                     // dc: [batch, m, n]
      Tensor a = inputs()[0];
      Tensor b = inputs()[1];
      DenseKernels dk = ContextAccess.kernels(a.ctx()).dense();
      var par = ContextAccess.parallel(a.ctx());
      int m = p.m, n = p.n, k = p.k;
      int ldaStored = transA ? m : k;                      // row stride of A as stored
      int ldbStored = transB ? k : n;                      // row stride of B as stored
      if (needsGrad(0)) {
        float[] da = p.n > 0 ? ContextAccess.floatsToOverwrite(a.ctx(), a.numel())      // da: like A as stored
            : ContextAccess.floats(a.ctx(), a.numel());
        for (int bi = 0; bi < p.batch; bi++) {
          int dcOff = bi * m * n;
          int aOff = bi * m * k;
          int bOff = p.sharedB ? 0 : bi * k * n;
          if (!transA) {        // dA[m,k] = dC[m,n] op(B)^T
            dk.sgemm(da, aOff, k, 0f, dc, dcOff, n, false, b.data(), bOff, ldbStored, !transB,
                1f, m, k, n, par);
          } else {              // dA[k,m] = op(B)[k,n] dC^T
            dk.sgemm(da, aOff, m, 0f, b.data(), bOff, ldbStored, transB, dc, dcOff, n, true,
                1f, k, m, n, par);
          }
        }
        accumulate(0, da);
      }
      if (needsGrad(1)) {
        boolean full = p.m > 0 && !p.sharedB;               // the batches together write all of db
        float[] db = full ? ContextAccess.floatsToOverwrite(a.ctx(), b.numel())          // db: like B as stored
            : ContextAccess.floats(a.ctx(), b.numel());
        for (int bi = 0; bi < p.batch; bi++) {
          int dcOff = bi * m * n;
          int aOff = bi * m * k;
          int bOff = p.sharedB ? 0 : bi * k * n;
          if (!transB) {        // dB[k,n] = op(A)^T dC
            dk.sgemm(db, bOff, n, 0f, a.data(), aOff, ldaStored, !transA, dc, dcOff, n, false,
                1f, k, n, m, par);
          } else {              // dB[n,k] = dC^T op(A)
            dk.sgemm(db, bOff, k, 0f, dc, dcOff, n, true, a.data(), aOff, ldaStored, transA,
                1f, n, k, m, par);
          }
        }
        accumulate(1, db);
      }
      if (inputs().length == 3 && needsGrad(2)) {
        float[] dBias = ContextAccess.floats(inputs()[0].ctx(), n);                      // column sums of dC
        if (m > 0) {
          ContextAccess.kernels(a.ctx()).elementwise().reduceBroadcast(dBias, new int[] {0, 1}, dc,
              new int[] {m, n}, 1f, par);
        }
        accumulate(2, dBias);
      }
    }
  }
}
