package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.internal.kernel.LinearAttentionKernels;
import org.gnn4j.tensor.Tensor;

/**
 * Performer linear attention among the nodes of each graph of a batch (Choromanski et al.,
 * "Rethinking Attention with Performers", arXiv:2009.14794), in the form of PyG 2.6.1's
 * {@code PerformerAttention} with its ReLU kernel: per graph g and head h, with the feature map
 * phi(x) = relu(x W^T) + eps (W [M, C] a fixed random projection),
 * out_i = phi(q_i)^T (sum_j phi(k_j) v_j^T) / (phi(q_i) . sum_j phi(k_j)), the sums over the
 * nodes j of graph(i). Time O(N H M C) and memory O(N H C + G H M C): the [N, H, M] feature maps
 * are made and used block by block ({@link LinearAttentionKernels}), never stored, and the
 * backward recomputes them. W is a constant (no gradient), as PyG's buffer is.
 *
 * <p>PyG runs the attention on {@code to_dense_batch} output, where a graph smaller than the
 * largest one is padded with zero rows; their values are masked to 0 but their keys still count
 * in the denominator. Passing {@code padKey} (the key projection of a zero row: the key bias, or
 * zeros) reproduces that exactly; null attends within each graph only.
 */
public final class LinearAttention {
  private static final String OP = "linearAttention";
  /**
   * Most bytes of feature maps (relu(x W^T)) a forward keeps for its backward. Beyond it (large
   * graphs) the backward recomputes them, and memory stays O(N H C + G H M C).
   */
  static final long KEEP_BYTES = 128L << 20;

  private LinearAttention() {}

  /**
   * Heads side by side in the columns, so the projections' outputs go in and the output goes
   * to the next Linear without a reshape (and without the gradient copies a view costs).
   *
   * @param q [N, H * C], column h * C + c is channel c of head h; k, v the same shape
   * @param heads H, dividing the column count
   * @param projection W, [M, C], read as a constant
   * @param graphPtr node offsets of the graphs, length G + 1, from 0 to N, non-decreasing
   * @param eps added to every feature (PyG: 0.001); must be positive
   * @param padKey [H * C] or null, see the class doc
   * @return [N, H * C]
   * @throws IllegalArgumentException on shape mismatches, bad offsets or eps, naming them
   */
  public static Tensor apply(Tensor q, Tensor k, Tensor v, int heads, Tensor projection,
                             int[] graphPtr, float eps, Tensor padKey) {
    validate(q, k, v, heads, projection, graphPtr, eps, padKey);
    int n = q.dim(0);
    int c = q.dim(1) / heads;
    int m = projection.dim(0);
    int graphs = graphPtr.length - 1;
    float[] w = projection.data();
    float[] padCount = padKey == null ? null : padCounts(graphPtr);
    float[] padPre = padCount == null ? null : ContextAccess.floats(q.ctx(), heads * m);  // padPre: [H, M]
    float[] ksumExtra = null;                                         // ksumExtra: [G, H, M]
    if (padCount != null) {
      ksumExtra = ContextAccess.floats(q.ctx(), graphs * heads * m);
      padKeySums(ksumExtra, padPre, padKey.data(), w, padCount, heads, c, m, eps);
    }
    float[] out = ContextAccess.floats(q.ctx(), q.numel());                   // out: [N, H * C]
    float[] den = ContextAccess.floats(q.ctx(), n * heads);                   // den: [N, H]
    float[] kv = ContextAccess.floats(q.ctx(), graphs * heads * m * c);       // kv: [G, H, M, C]
    float[] ksum = ContextAccess.floats(q.ctx(), graphs * heads * m);         // ksum: [G, H, M]
    var ctx = q.ctx();
    // relu(x W^T) of queries and keys, kept for the backward when it fits in KEEP_BYTES: it then
    // skips two of its eight products, at the memory cost PyG's autograd pays at every size
    boolean keep = ctx.gradEnabled() && (q.requiresGrad() || k.requiresGrad())
        && 2L * n * heads * m * Float.BYTES <= KEEP_BYTES;
    float[] preQ = keep ? ContextAccess.floatsToOverwrite(ctx, n * heads * m) : null;  // [N * H, M]
    float[] preK = keep ? ContextAccess.floatsToOverwrite(ctx, n * heads * m) : null;  // [N * H, M]
    ContextAccess.kernels(ctx).linearAttention().forward(out, den, kv, ksum, q.data(), k.data(),
        v.data(), w, ksumExtra, graphPtr, heads, c, m, eps, preQ, preK,
        len -> ContextAccess.floatsToOverwrite(ctx, len), ContextAccess.parallel(ctx));
    // the projection is copied: a redraw between this forward and its backward must not leak in
    Saved s = new Saved(graphPtr.clone(), w.clone(), heads, m, eps, out, den, kv, ksum, padCount,
        padPre, preQ, preK);
    Node node = padKey == null ? new Backward(s, q, k, v) : new Backward(s, q, k, v, padKey);
    return new Tensor(ctx, q.shape(), out).recordedBy(node);
  }

  // The two padding loops are methods of their own so that C2 compiles them as small units:
  // inlined, they made apply an on-stack-replacement compilation of its own, after which apply
  // was compiled again with the kernel's forward inside it (docs/bench/layers.md, session 11).

  /**
   * padPre [H, M] = padKey_h W^T and ksumExtra [G, H, M] = padCount_g (relu(padPre) + eps): the
   * padded rows' share of every graph's key sum.
   */
  private static void padKeySums(float[] ksumExtra, float[] padPre, float[] padKey, float[] w,
                                 float[] padCount, int heads, int c, int m, float eps) {
    int graphs = padCount.length;
    for (int h = 0; h < heads; h++) {
      for (int f = 0; f < m; f++) {
        float s = 0;
        for (int d = 0; d < c; d++) s += padKey[h * c + d] * w[f * c + d];
        padPre[h * m + f] = s;
        float phi = Math.max(s, 0f) + eps;
        for (int g = 0; g < graphs; g++) ksumExtra[(g * heads + h) * m + f] = padCount[g] * phi;
      }
    }
  }

  /** dPad_h += sum_g padCount_g (dKsum_gh masked by padPre_h > 0) W. */
  private static void padKeyGrad(float[] dPad, float[] dKsum, float[] padPre, float[] padCount,
                                 float[] w, int heads, int c, int m) {
    int graphs = padCount.length;
    for (int h = 0; h < heads; h++) {
      for (int f = 0; f < m; f++) {
        if (!(padPre[h * m + f] > 0f)) continue;
        float t = 0;
        for (int g = 0; g < graphs; g++) t += padCount[g] * dKsum[(g * heads + h) * m + f];
        for (int d = 0; d < c; d++) dPad[h * c + d] += t * w[f * c + d];
      }
    }
  }

  /** How many zero rows to_dense_batch adds to each graph: the largest size minus its own. */
  private static float[] padCounts(int[] graphPtr) {
    int graphs = graphPtr.length - 1;
    int max = 0;
    for (int g = 0; g < graphs; g++) max = Math.max(max, graphPtr[g + 1] - graphPtr[g]);
    float[] pad = new float[graphs];
    for (int g = 0; g < graphs; g++) pad[g] = max - (graphPtr[g + 1] - graphPtr[g]);
    return pad;
  }

  private static void validate(Tensor q, Tensor k, Tensor v, int heads, Tensor projection,
                               int[] graphPtr, float eps, Tensor padKey) {
    if (q.rank() != 2 || heads < 1 || q.dim(1) % heads != 0 || q.dim(1) == 0) {
      throw new IllegalArgumentException(OP + ": q must be [N, H * C] with H = " + heads
          + " dividing a positive column count (got " + q.shape() + ")");
    }
    int c = q.dim(1) / heads;
    if (!k.shape().equals(q.shape()) || !v.shape().equals(q.shape())) {
      throw new IllegalArgumentException(OP + ": q, k and v must have one shape (got q "
          + q.shape() + ", k " + k.shape() + ", v " + v.shape() + ")");
    }
    if (projection.rank() != 2 || projection.dim(1) != c || projection.dim(0) < 1) {
      throw new IllegalArgumentException(OP + ": projection must be [M, " + c
          + "] with M >= 1 (got " + projection.shape() + ")");
    }
    if (!(eps > 0) || Float.isInfinite(eps)) {
      throw new IllegalArgumentException(OP + ": eps must be positive and finite (got " + eps
          + "); it keeps every denominator above zero");
    }
    if (padKey != null && (padKey.rank() != 1 || padKey.dim(0) != q.dim(1))) {
      throw new IllegalArgumentException(OP + ": padKey must be [" + q.dim(1) + "] (got "
          + padKey.shape() + ")");
    }
    int n = q.dim(0);
    if (graphPtr.length < 1 || graphPtr[0] != 0 || graphPtr[graphPtr.length - 1] != n) {
      throw new IllegalArgumentException(OP + ": graphPtr must run from 0 to N = " + n + " (got "
          + (graphPtr.length == 0 ? "an empty array" : graphPtr[0] + " .. "
          + graphPtr[graphPtr.length - 1]) + ")");
    }
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      if (graphPtr[g + 1] < graphPtr[g]) {
        throw new IllegalArgumentException(OP + ": graphPtr decreases at " + (g + 1) + " ("
            + graphPtr[g] + " then " + graphPtr[g + 1] + ")");
      }
    }
  }

  /** What the backward needs from the forward. */
  private record Saved(int[] graphPtr, float[] w, int heads, int m, float eps, float[] out,
                       float[] den,
                       float[] kv, float[] ksum, float[] padCount, float[] padPre,
                       float[] preQ, float[] preK) {}

  private static final class Backward extends Node {
    private final Saved s;

    Backward(Saved s, Tensor... inputs) {
      super(inputs);
      this.s = s;
    }

    @Override
    public void backward(float[] dOut) {                  // dOut: [N, H * C]
      Tensor q = inputs()[0];
      int heads = s.heads();
      int c = q.dim(1) / heads;
      int m = s.m();
      float[] dq = needsGrad(0) ? ContextAccess.floats(inputs()[0].ctx(), q.numel()) : null;
      float[] dk = needsGrad(1) ? ContextAccess.floats(inputs()[0].ctx(), q.numel()) : null;
      float[] dv = needsGrad(2) ? ContextAccess.floats(inputs()[0].ctx(), q.numel()) : null;
      float[] dKsum = ContextAccess.floats(inputs()[0].ctx(), s.ksum().length);         // dKsum: [G, H, M]
      var ctx = q.ctx();
      ContextAccess.kernels(ctx).linearAttention().backward(dq, dk, dv, dKsum, dOut, s.out(), s.den(), s.kv(),
          s.ksum(), q.data(), inputs()[1].data(), inputs()[2].data(), s.w(), s.graphPtr(), heads,
          c, m, s.eps(), s.preQ(), s.preK(), len -> ContextAccess.floatsToOverwrite(ctx, len),
          ContextAccess.parallel(ctx));
      if (dq != null) accumulate(0, dq);
      if (dk != null) accumulate(1, dk);
      if (dv != null) accumulate(2, dv);
      if (inputs().length == 4 && needsGrad(3)) {
        float[] dPad = ContextAccess.floats(inputs()[0].ctx(), heads * c);              // dPad: [H * C]
        padKeyGrad(dPad, dKsum, s.padPre(), s.padCount(), s.w(), heads, c, m);
        accumulate(3, dPad);
      }
    }
  }
}
