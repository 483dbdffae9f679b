package org.gnn4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.internal.kernel.ElementwiseKernels;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.nn.BatchNorm1d;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.conv.GineConv;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * A {@link GraphModel}'s eval-mode forward without gradient bookkeeping, for the GINE stacks a
 * molecule service runs (encoders, GINE layers with batch norm, ReLU and residuals, sum or mean
 * pooling, an MLP head), written into buffers that are reused from call to call instead of one
 * new tensor per op. Serving one small molecule per call, the op-by-op forward allocated about a
 * megabyte per call, so young collections came every few dozen calls and made the latency tail.
 * Each step does the ops' arithmetic in the ops' order, on the same context's worker pool (the
 * linear layers through the same SGEMM calls; GINE's message sum fused with its {@code (1 + eps) x}
 * term, and batch norm with ReLU and the residual, in single passes that round exactly as the
 * separate ops do), so the output has the same bits as the op-by-op forward. Callers
 * running at the same time never share buffers: a call takes a {@link Workspace} from a small
 * free list (or makes one) and hands it back when done. A model whose shape this plan does not
 * cover, or an input it cannot take as it is (missing fields, wrong widths, ids out of range,
 * gradients on), goes the op-by-op way, which also gives the errors for bad input.
 */
final class InferencePlan {
  /** Free workspaces kept for later calls; more callers than this at once make (and drop) extras. */
  private static final int POOLED = 16;

  private final Tensor nodeEmbedding;     // [types, nodeOut] or null
  private final Affine nodeLinear;        // or null (then nodeEmbedding)
  private final Affine peLinear;          // or null
  private final Tensor edgeEmbedding;     // [edge types, hidden] or null
  private final Affine edgeLinear;        // or null (then edgeEmbedding)
  private final int numFeatures;
  private final int edgeDim;
  private final int peK;
  private final int hidden;
  private final List<Layer> layers;
  private final List<Affine> head;
  private final boolean residual;
  private final ModelSpec.Pooling pooling;  // NONE for node-level models
  private final AtomicReferenceArray<Workspace> free = new AtomicReferenceArray<>(POOLED);

  /** One GINE layer (edge features at the node width) and the batch norm after it (or null). */
  private record Layer(Tensor eps, List<Affine> mlp, Tensor bnWeight, Tensor bnBias,
                       Tensor runningMean, Tensor runningVar, float bnEps) {}

  /** A linear layer's weight [out, in] and bias [out]. */
  private record Affine(Tensor weight, Tensor bias) {
    int in() {
      return weight.dim(1);
    }

    int out() {
      return weight.dim(0);
    }
  }

  private InferencePlan(Tensor nodeEmbedding, Affine nodeLinear, Affine peLinear,
                        Tensor edgeEmbedding, Affine edgeLinear, int numFeatures, int edgeDim,
                        int peK, int hidden, List<Layer> layers, List<Affine> head,
                        boolean residual, ModelSpec.Pooling pooling) {
    this.nodeEmbedding = nodeEmbedding;
    this.nodeLinear = nodeLinear;
    this.peLinear = peLinear;
    this.edgeEmbedding = edgeEmbedding;
    this.edgeLinear = edgeLinear;
    this.numFeatures = numFeatures;
    this.edgeDim = edgeDim;
    this.peK = peK;
    this.hidden = hidden;
    this.layers = List.copyOf(layers);
    this.head = List.copyOf(head);
    this.residual = residual;
    this.pooling = pooling;
  }

  /**
   * The plan for a model built with these parts, or null when the model is not one it covers:
   * GINE layers only (no edge projection inside the layer), batch norm or none, ReLU, an MLP
   * head, no graph token, centrality, DeepSets encoder, shared bias, layer norm or head conv.
   */
  static InferencePlan of(ModelSpec spec, GraphModel.DataShape shape, Tensor nodeEmbedding,
                          Linear nodeLinear, Linear peLinear, Tensor edgeEmbedding,
                          Linear edgeLinear, boolean hasOtherEncoders, List<GraphLayer> blocks,
                          List<BatchNorm1d> batchNorms, boolean hasLayerNorms, Mlp head) {
    if (hasOtherEncoders || hasLayerNorms || head == null || blocks.isEmpty()
        || spec.activation() != ModelSpec.Activation.RELU
        || (nodeEmbedding == null && nodeLinear == null)
        || (edgeEmbedding == null && edgeLinear == null)
        || (!batchNorms.isEmpty() && batchNorms.size() != blocks.size())) {
      return null;
    }
    ModelSpec.Pooling pooling = ModelSpec.Pooling.NONE;
    if (shape.graphLevel()) {
      if (spec.pooling() != ModelSpec.Pooling.SUM && spec.pooling() != ModelSpec.Pooling.MEAN) return null;
      pooling = spec.pooling();
    }
    int hidden = spec.hidden();
    List<Layer> layers = new ArrayList<>();
    int width = hidden;
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.get(i) instanceof GineConv gine)) return null;
      Map<String, Tensor> p = gine.namedParameters();
      Tensor eps = p.get("eps");
      List<Affine> mlp = affines(p, "nn.");
      // only eps and nn.*: a layer with its own edge projection (lin.*) is not covered
      if (eps == null || mlp == null || p.size() != 1 + 2 * mlp.size()) return null;
      if (mlp.get(0).in() != width || mlp.get(mlp.size() - 1).out() != hidden) return null;
      BatchNorm1d bn = batchNorms.isEmpty() ? null : batchNorms.get(i);
      if (bn != null) {
        Map<String, Tensor> b = bn.namedParameters();
        layers.add(new Layer(eps, mlp, b.get("weight"), b.get("bias"), b.get("running_mean"),
            b.get("running_var"), bn.eps()));
      } else {
        layers.add(new Layer(eps, mlp, null, null, null, null, 0f));
      }
      width = hidden;
    }
    List<Affine> headLayers = affines(head.namedParameters(), "");
    if (headLayers == null || headLayers.get(0).in() != hidden) return null;
    return new InferencePlan(nodeEmbedding, affine(nodeLinear), affine(peLinear), edgeEmbedding,
        affine(edgeLinear), shape.numFeatures(), shape.edgeDim(),
        peLinear == null ? 0 : peLinear.inFeatures(), hidden, layers, headLayers, spec.residual(), pooling);
  }

  private static Affine affine(Linear l) {
    return l == null || l.bias() == null ? null : new Affine(l.weight(), l.bias());
  }

  /** An Mlp's linear layers from its parameters ({prefix}0.weight, {prefix}2.weight, ...), or null. */
  private static List<Affine> affines(Map<String, Tensor> p, String prefix) {
    List<Affine> out = new ArrayList<>();
    for (int i = 0; p.containsKey(prefix + (2 * i) + ".weight"); i++) {
      Tensor b = p.get(prefix + (2 * i) + ".bias");
      if (b == null) return null;
      Tensor w = p.get(prefix + (2 * i) + ".weight");
      if (!out.isEmpty() && out.get(out.size() - 1).out() != w.dim(1)) return null;
      out.add(new Affine(w, b));
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * The model's output for {@code in}, or null when this input goes the op-by-op way (a context
   * records gradients, a field is missing or has another width, an id is out of range).
   */
  Tensor forward(ModelInput in) {
    Graph graph = in.graph();
    if (graph == null || graph.isBipartite()) return null;
    int n = graph.numNodes();
    int e = graph.numEdges();
    int g = graph.numGraphs();
    if (n == 0) return null;
    // the contexts the op-by-op forward runs each step on: its first input's
    Context hCtx;
    if (nodeEmbedding != null) {
      if (!idsFit(in.nodeTypes(), n, nodeEmbedding.dim(0))) return null;
      hCtx = nodeEmbedding.ctx();
    } else {
      if (!fits(in.x(), n, numFeatures)) return null;
      hCtx = in.x().ctx();
    }
    Context peCtx = null;
    if (peLinear != null) {
      if (!fits(in.pe(), n, peK) || in.pe().ctx() != hCtx) return null;   // concat wants one context
      peCtx = in.pe().ctx();
    }
    Context eCtx;
    if (edgeEmbedding != null) {
      if (!idsFit(in.edgeTypes(), e, edgeEmbedding.dim(0))) return null;
      eCtx = edgeEmbedding.ctx();
    } else {
      if (!fits(in.edgeAttr(), e, edgeDim)) return null;
      eCtx = in.edgeAttr().ctx();
    }
    if (!eCtx.sharesTensorsWith(hCtx)) return null;
    // What the op-by-op forward returns records its graph only when the node stream's context
    // records (the encoders' steps on other contexts are not visible in the result).
    if (hCtx.gradEnabled()) return null;
    // asked first, as the ops would: after close() they throw ContextClosedException
    Parallel hPar = ContextAccess.parallel(hCtx);
    Parallel ePar = ContextAccess.parallel(eCtx);
    Parallel pePar = peCtx == null ? null : ContextAccess.parallel(peCtx);
    Workspace ws = take();
    try {
      return run(in, graph, n, e, g, hCtx, hPar, eCtx, ePar, peCtx, pePar, ws);
    } finally {
      give(ws);
    }
  }

  private Tensor run(ModelInput in, Graph graph, int n, int e, int g, Context hCtx, Parallel hPar,
                     Context eCtx, Parallel ePar, Context peCtx, Parallel pePar, Workspace ws) {
    Kernels hk = ContextAccess.kernels(hCtx);
    int f = hidden;
    float[] h = ws.h(n * f);
    // node encoder (+ positional encoding side by side): [N, f]
    if (nodeEmbedding != null) {
      int nodeOut = nodeEmbedding.dim(1);
      float[] t = peLinear == null ? h : ws.a(n * nodeOut);
      hk.graph().gatherRows(t, nodeEmbedding.data(), in.nodeTypes(), null, n, nodeOut, hPar);
      if (peLinear != null) {
        float[] pe = ws.b(n * peLinear.out());
        linear(ContextAccess.kernels(peCtx), pePar, pe, in.pe().data(), n, peLinear);
        concatColumns(h, t, nodeOut, pe, peLinear.out(), n);
      }
    } else {
      float[] t = peLinear == null ? h : ws.a(n * nodeLinear.out());
      linear(hk, hPar, t, in.x().data(), n, nodeLinear);
      if (peLinear != null) {
        float[] pe = ws.b(n * peLinear.out());
        linear(ContextAccess.kernels(peCtx), pePar, pe, in.pe().data(), n, peLinear);
        concatColumns(h, t, nodeLinear.out(), pe, peLinear.out(), n);
      }
    }
    // edge encoder: [E, f]
    float[] ed = ws.edges(e * f);
    if (edgeEmbedding != null) {
      ContextAccess.kernels(eCtx).graph().gatherRows(ed, edgeEmbedding.data(), in.edgeTypes(), null, e, f, ePar);
    } else {
      linear(ContextAccess.kernels(eCtx), ePar, ed, in.edgeAttr().data(), e, edgeLinear);
    }
    EdgeIndex edges = graph.edges();
    Csr byDst = edges.csrByDst();
    int nf = n * f;
    for (Layer layer : layers) {
      // GineConv: nn((1 + eps) x + sum_j relu(x_j + e_ji)), its input in one pass
      float[] z = ws.b(nf);
      hk.gine().forwardEval(z, h, ed, layer.eps().data()[0] + 1f, byDst.rowPtr(), byDst.edge(),
          edges.src(), n, f, hPar);
      float[] out = mlp(hk, hPar, z, n, layer.mlp(), ws);
      float[] next = ws.next(nf);
      normReluResidual(hk, next, out, residual ? h : null, layer, ws, n, f, hPar);
      h = ws.swapNext();
    }
    int rows = n;
    float[] x = h;
    if (pooling != ModelSpec.Pooling.NONE) {
      float[] pooled = ws.a(g * f);
      hk.graph().segmentSumCsr(pooled, graph.graphPtr(), ws.iota(n), h, pooling == ModelSpec.Pooling.MEAN,
          g, f, hPar);
      rows = g;
      x = pooled;
    }
    float[] y = mlp(hk, hPar, x, rows, head, ws);
    int outDim = head.get(head.size() - 1).out();
    return new Tensor(hCtx, Shape.of(rows, outDim), Arrays.copyOf(y, rows * outDim));
  }

  /**
   * next = relu(batchNorm(out)) (+ h): the op-by-op forward's batch norm (eval), ReLU and
   * residual in one pass with the same arithmetic: {@code (x - mean) * (rstd * weight) + bias}
   * as BatchNorm's kernel computes it, ReLU as {@code Math.max(v, 0)} as both kernel sets do.
   *
   * @param h [n, f] the layer's input for the residual, or null
   */
  private static void normReluResidual(Kernels k, float[] next, float[] out, float[] h, Layer layer,
                                       Workspace ws, int n, int f, Parallel par) {
    float[] mean = null;
    float[] scale = null;
    float[] shift = null;
    if (layer.bnWeight() != null) {
      mean = layer.runningMean().data();
      shift = layer.bnBias().data();
      scale = ws.rstd(f);
      float[] var = layer.runningVar().data();
      float[] w = layer.bnWeight().data();
      for (int j = 0; j < f; j++) {
        float rstd = (float) (1.0 / Math.sqrt((double) var[j] + layer.bnEps()));
        scale[j] = rstd * w[j];
      }
    }
    float[] m = mean;
    float[] sc = scale;
    float[] sh = shift;
    par.forRange(n, Math.max(1, ElementwiseKernels.GRAIN / f),
        (c, from, to) -> k.math().normReluAdd(next, out, m, sc, sh, h, f, from, to));
  }

  /** Linear, ReLU, ..., Linear (as {@link Mlp#forward}) into the workspace's MLP buffers. */
  private static float[] mlp(Kernels k, Parallel par, float[] x, int rows, List<Affine> mlp, Workspace ws) {
    float[] cur = x;
    for (int i = 0; i < mlp.size(); i++) {
      Affine a = mlp.get(i);
      float[] out = ws.mlp(i & 1, rows * a.out());
      linear(k, par, out, cur, rows, a);
      if (i + 1 < mlp.size()) k.elementwise().unary(ElementwiseKernels.RELU, out, out, 0f, rows * a.out(), par);
      cur = out;
    }
    return cur;
  }

  /** out [rows, a.out] = x [rows, a.in] W^T + b, as {@code MatMul.linear}: bias rows first, then the product added. */
  private static void linear(Kernels k, Parallel par, float[] out, float[] x, int rows, Affine a) {
    int nOut = a.out();
    int kIn = a.in();
    float[] b = a.bias().data();
    for (int r = 0; r < rows; r++) System.arraycopy(b, 0, out, r * nOut, nOut);
    k.dense().sgemm(out, 0, nOut, 1f, x, 0, kIn, false, a.weight().data(), 0, kIn, true, 1f, rows, nOut, kIn, par);
  }

  private static void concatColumns(float[] out, float[] left, int lw, float[] right, int rw, int rows) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(left, r * lw, out, r * (lw + rw), lw);
      System.arraycopy(right, r * rw, out, r * (lw + rw) + lw, rw);
    }
  }

  private static boolean fits(Tensor t, int rows, int cols) {
    return t != null && t.rank() == 2 && t.dim(0) == rows && t.dim(1) == cols;
  }

  private static boolean idsFit(int[] ids, int length, int count) {
    if (ids == null || ids.length != length) return false;
    for (int id : ids) if (id < 0 || id >= count) return false;
    return true;
  }

  Workspace take() {
    for (int i = 0; i < POOLED; i++) {
      Workspace w = free.getAndSet(i, null);
      if (w != null) return w;
    }
    return new Workspace();
  }

  void give(Workspace w) {
    for (int i = 0; i < POOLED; i++) if (free.compareAndSet(i, null, w)) return;
  }

  /** How many workspaces wait in the free list (tests: callers at once must not share one). */
  int pooledWorkspaces() {
    int c = 0;
    for (int i = 0; i < POOLED; i++) if (free.get(i) != null) c++;
    return c;
  }

  /**
   * One caller's buffers, grown to the largest graph seen and then reused: node features
   * (current and next layer), two temporaries, the edge features, two MLP buffers, the batch
   * norm's 1 / std, and 0..N-1 (the rows of a sorted batch vector, grouped by graph).
   */
  static final class Workspace {
    private float[] h = new float[0];
    private float[] next = new float[0];
    private float[] a = new float[0];
    private float[] b = new float[0];
    private float[] edges = new float[0];
    private final float[][] mlp = {new float[0], new float[0]};
    private float[] rstd = new float[0];
    private int[] iota = new int[0];

    float[] h(int size) {
      return h = grown(h, size);
    }

    float[] next(int size) {
      return next = grown(next, size);
    }

    /** The next-layer buffer becomes the current one (and the current one the next). */
    float[] swapNext() {
      float[] t = h;
      h = next;
      next = t;
      return h;
    }

    float[] a(int size) {
      return a = grown(a, size);
    }

    float[] b(int size) {
      return b = grown(b, size);
    }

    float[] edges(int size) {
      return edges = grown(edges, size);
    }

    float[] mlp(int which, int size) {
      return mlp[which] = grown(mlp[which], size);
    }

    float[] rstd(int size) {
      return rstd = grown(rstd, size);
    }

    int[] iota(int size) {
      if (iota.length < size) {
        int[] t = new int[Math.max(size, iota.length + iota.length / 2)];
        for (int i = 0; i < t.length; i++) t[i] = i;
        iota = t;
      }
      return iota;
    }

    /** Grows by half again at least, so a stream of slightly larger graphs does not reallocate each call. */
    private static float[] grown(float[] buf, int size) {
      return buf.length >= size ? buf : new float[Math.max(size, buf.length + buf.length / 2)];
    }
  }
}
