package org.gnn4j.ops;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.autograd.Node;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.AttentionKernels;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Fused multi-head graph attention, the core of PyG's TransformerConv and of graph transformers
 * with edge features or score biases. For edge e = (j -> i) and head h:
 * {@code s_e = scale * q_i . (k_j + edgeKv_e) + scoreBias_e}, {@code alpha = softmax of s over
 * the in-edges of i}, {@code out_i = sum_e alpha_e (v_j + edgeKv_e)}; a node without in-edges
 * gets 0. Shapes: q {@code [N_dst, H, C]}, k and v {@code [N_src, H, C]}, optional edgeKv
 * {@code [E, H, C]} (PyG's {@code lin_edge(edge_attr)}, added to key and value), optional
 * scoreBias {@code [E, H]}; output {@code [N_dst, H, C]}. Forward is one online-softmax pass per
 * destination node and keeps only the output and the log-sum-exp {@code [N_dst, H]}; backward
 * recomputes scores and weights (as FlashAttention does), so beyond the gradients themselves it
 * allocates only {@code [N_dst, H]}: no per-edge intermediate at all.
 */
public final class GraphAttention {
  private static final String OP = "graphAttention";

  private GraphAttention() {}

  /** Attention with the usual scale 1/sqrt(C), no edge features, no score bias. */
  public static Tensor apply(EdgeIndex edges, Tensor q, Tensor k, Tensor v) {
    checkRank("q", q);
    return apply(edges, q, k, v, null, null, (float) (1.0 / Math.sqrt(q.dim(2))));
  }

  /** Attention with an explicit score scale, no edge features, no score bias. */
  public static Tensor apply(EdgeIndex edges, Tensor q, Tensor k, Tensor v, float scale) {
    return apply(edges, q, k, v, null, null, scale);
  }

  /**
   * The full op; {@code edgeKv} and {@code scoreBias} may be null.
   *
   * @throws IllegalArgumentException on any shape that disagrees with q or the edge index,
   *     naming the tensor, its shape and the expected one
   */
  public static Tensor apply(EdgeIndex edges, Tensor q, Tensor k, Tensor v, Tensor edgeKv,
                             Tensor scoreBias, float scale) {
    validate(edges, q, k, v, edgeKv, scoreBias);
    int nDst = q.dim(0);
    int heads = q.dim(1);
    int channels = q.dim(2);
    float[] out = ContextAccess.floats(q.ctx(), q.numel());                     // out: [N_dst, H, C]
    float[] lse = ContextAccess.floats(q.ctx(), nDst * heads);                  // lse: [N_dst, H]
    Csr byDst = edges.csrByDst();
    ContextAccess.kernels(q.ctx()).attention().forward(out, lse, q.data(), k.data(), v.data(),
        edgeKv == null ? null : edgeKv.data(), scoreBias == null ? null : scoreBias.data(),
        byDst.rowPtr(), byDst.col(), byDst.edge(), scale, nDst, heads, channels,
        ContextAccess.parallel(q.ctx()));
    Tensor result = new Tensor(q.ctx(), q.shape(), out);
    if (!q.ctx().gradEnabled() || !anyRequiresGrad(q, k, v, edgeKv, scoreBias)) return result;
    return result.recordedBy(new Backward(edges, q, k, v, edgeKv, scoreBias, scale, out, lse));
  }

  /**
   * The attention weights the fused op applies, by the unfused composition of the same scores:
   * {@code s = scale * (SDDMM(k, q) + q_i . edgeKv_e) + scoreBias}, then edge softmax. For
   * recording and checking attention; training never needs it.
   *
   * @return alpha [E, H]; each target's weights sum to 1 over its in-edges, per head
   * @throws IllegalArgumentException as {@link #apply}
   */
  public static Tensor weights(EdgeIndex edges, Tensor q, Tensor k, Tensor edgeKv,
                               Tensor scoreBias, float scale) {
    validate(edges, q, k, k, edgeKv, scoreBias);
    Tensor scores = Sddmm.dot(edges, k, q);                                 // [E, H]
    if (edgeKv != null) scores = scores.add(Gather.dst(q, edges).mul(edgeKv).sum(2));
    scores = scores.mul(scale);
    if (scoreBias != null) scores = scores.add(scoreBias);
    return EdgeSoftmax.apply(scores, edges);
  }

  private static boolean anyRequiresGrad(Tensor... ts) {
    for (Tensor t : ts) {
      if (t != null && t.requiresGrad()) return true;
    }
    return false;
  }

  private static void checkRank(String name, Tensor t) {
    if (t == null) throw new IllegalArgumentException(OP + ": " + name + " is null");
    if (t.rank() != 3) {
      throw new IllegalArgumentException(OP + ": " + name + " must be [N, H, C] (got "
          + t.shape() + ", expected rank 3)");
    }
  }

  private static void validate(EdgeIndex edges, Tensor q, Tensor k, Tensor v, Tensor edgeKv,
                               Tensor scoreBias) {
    if (edges == null) throw new IllegalArgumentException(OP + ": edge index is null");
    checkRank("q", q);
    checkRank("k", k);
    checkRank("v", v);
    int heads = q.dim(1);
    int channels = q.dim(2);
    if (q.dim(0) != edges.numDstNodes()) {
      throw new IllegalArgumentException(OP + ": q rows differ from the number of target nodes"
          + " (got q " + q.shape() + ", expected " + edges.numDstNodes() + " rows for "
          + edges + ")");
    }
    Shape kvShape = Shape.of(edges.numSrcNodes(), heads, channels);
    if (!k.shape().equals(kvShape)) {
      throw new IllegalArgumentException(OP + ": k does not match q's heads/channels and the"
          + " number of source nodes (got k " + k.shape() + ", expected " + kvShape + " for q "
          + q.shape() + " and " + edges + ")");
    }
    if (!v.shape().equals(kvShape)) {
      throw new IllegalArgumentException(OP + ": v does not match k (got v " + v.shape()
          + ", expected " + kvShape + " like k)");
    }
    // Expected shapes are built only when the optional input is present: E x H x C may exceed
    // an array's size for a pattern that has no edge features (a large attention pattern).
    Shape ekvShape = edgeKv == null ? null : Shape.of(edges.numEdges(), heads, channels);
    if (edgeKv != null && !edgeKv.shape().equals(ekvShape)) {
      throw new IllegalArgumentException(OP + ": edgeKv must be [E, H, C] (got edgeKv "
          + edgeKv.shape() + ", expected " + ekvShape + " for q " + q.shape() + " and "
          + edges.numEdges() + " edges)");
    }
    Shape biasShape = scoreBias == null ? null : Shape.of(edges.numEdges(), heads);
    if (scoreBias != null && !scoreBias.shape().equals(biasShape)) {
      throw new IllegalArgumentException(OP + ": scoreBias must be [E, H] (got scoreBias "
          + scoreBias.shape() + ", expected " + biasShape + " for q " + q.shape() + " and "
          + edges.numEdges() + " edges)");
    }
  }

  /**
   * Backward in two passes, each writing only rows it owns, both recomputing per edge
   * p = exp(s - lse) and ds = p (dOut . (v + ekv) - D) with D = dOut . out: by destination for
   * dq, d edgeKv and d scoreBias (= ds), by source for dk and dv. Recomputing costs two dot
   * products per edge and head but needs no per-edge arrays ([N_dst, H] for D is all).
   */
  private static final class Backward extends Node {
    private final EdgeIndex edges;
    private final float scale;
    private final float[] out;                              // out: [N_dst, H, C]
    private final float[] lse;                              // lse: [N_dst, H]
    private final int ekvIndex;                             // input slot of edgeKv or -1
    private final int biasIndex;                            // input slot of scoreBias or -1

    Backward(EdgeIndex edges, Tensor q, Tensor k, Tensor v, Tensor edgeKv, Tensor scoreBias,
             float scale, float[] out, float[] lse) {
      super(inputsOf(q, k, v, edgeKv, scoreBias));
      this.edges = edges;
      this.scale = scale;
      this.out = out;
      this.lse = lse;
      this.ekvIndex = edgeKv == null ? -1 : 3;
      this.biasIndex = scoreBias == null ? -1 : (edgeKv == null ? 3 : 4);
    }

    /** Autograd walks every input, so optional ones that are absent are left out. */
    private static Tensor[] inputsOf(Tensor q, Tensor k, Tensor v, Tensor edgeKv,
                                     Tensor scoreBias) {
      int n = 3 + (edgeKv == null ? 0 : 1) + (scoreBias == null ? 0 : 1);
      Tensor[] in = new Tensor[n];
      in[0] = q;
      in[1] = k;
      in[2] = v;
      int i = 3;
      if (edgeKv != null) in[i++] = edgeKv;
      if (scoreBias != null) in[i] = scoreBias;
      return in;
    }

    @Override
    public String name() {
      return "GraphAttentionBackward";
    }

    @Override
    public void backward(float[] dOut) {                   // dOut: [N_dst, H, C]
      Tensor q = inputs()[0];
      Tensor k = inputs()[1];
      Tensor v = inputs()[2];
      Tensor edgeKv = ekvIndex < 0 ? null : inputs()[ekvIndex];
      Tensor bias = biasIndex < 0 ? null : inputs()[biasIndex];
      int heads = q.dim(1);
      int channels = q.dim(2);
      int numEdges = edges.numEdges();
      AttentionKernels ak = ContextAccess.kernels(q.ctx()).attention();
      var par = ContextAccess.parallel(q.ctx());

      float[] dDot = ContextAccess.floats(inputs()[0].ctx(), q.dim(0) * heads);            // dDot: [N_dst, H] dOut . out
      float[] dq = needsGrad(0) ? ContextAccess.floats(inputs()[0].ctx(), q.numel()) : null;
      float[] dEkv = edgeKv != null && needsGrad(ekvIndex) ? ContextAccess.floats(inputs()[0].ctx(), edgeKv.numel()) : null;
      float[] dBias = bias != null && needsGrad(biasIndex) ? ContextAccess.floats(inputs()[0].ctx(), numEdges * heads) : null;
      Csr byDst = edges.csrByDst();
      ak.backwardDst(dq, dEkv, dBias, dDot, dOut, out, lse, q.data(), k.data(), v.data(),
          edgeKv == null ? null : edgeKv.data(), bias == null ? null : bias.data(),
          byDst.rowPtr(), byDst.col(), byDst.edge(), scale, q.dim(0), heads, channels, par);

      float[] dk = needsGrad(1) ? ContextAccess.floats(inputs()[0].ctx(), k.numel()) : null;
      float[] dv = needsGrad(2) ? ContextAccess.floats(inputs()[0].ctx(), v.numel()) : null;
      if (dk != null || dv != null) {
        Csr bySrc = edges.csrBySrc();
        ak.backwardSrc(dk, dv, dOut, dDot, lse, q.data(), k.data(), v.data(),
            edgeKv == null ? null : edgeKv.data(), bias == null ? null : bias.data(),
            bySrc.rowPtr(), bySrc.col(), bySrc.edge(), scale, k.dim(0), heads, channels, par);
      }
      if (dq != null) accumulate(0, dq);
      if (dk != null) accumulate(1, dk);
      if (dv != null) accumulate(2, dv);
      if (dEkv != null) accumulate(ekvIndex, dEkv);
      if (dBias != null) accumulate(biasIndex, dBias);
    }
  }
}
