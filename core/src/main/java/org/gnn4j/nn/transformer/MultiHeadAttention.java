package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.DenseAttention;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Multi-head scaled dot-product self-attention with torch.nn.MultiheadAttention's parameters
 * ({@code in_proj_weight} [3C, C] stacking the q, k, v projections, {@code in_proj_bias},
 * {@code out_proj}), where who attends to whom is an edge set: the complete graph gives the
 * Transformer's attention, {@code EdgeSets.withinGraphs(batch)} GPS's per-graph global
 * attention, a sparse pattern a sparse Transformer. Runs on the fused attention kernel.
 */
public final class MultiHeadAttention implements GlobalAttention, GraphLayer, AttentionLayer {
  private static final String OP = "MultiHeadAttention";
  private final int embedDim;
  private final int heads;
  private final Tensor inProjWeight;   // [3C, C]
  private final Tensor inProjBias;     // [3C]
  private final Linear outProj;        // [C, C] + bias
  private AttentionRecorder recorder;   // null unless attention is being recorded

  public MultiHeadAttention(Context ctx, int embedDim, int heads, SplittableRandom rng) {
    if (heads < 1 || embedDim < 1 || embedDim % heads != 0) {
      throw new IllegalArgumentException("MultiHeadAttention: embedDim must be a positive"
          + " multiple of heads (got embedDim = " + embedDim + ", heads = " + heads + ")");
    }
    this.embedDim = embedDim;
    this.heads = heads;
    this.inProjWeight = Init.glorot(ctx, rng, 3 * embedDim, embedDim);
    this.inProjBias = Init.zeros(ctx, 3 * embedDim);
    this.outProj = new Linear(embedDim, embedDim, Init.linearWeight(ctx, rng, embedDim, embedDim),
        Init.zeros(ctx, embedDim));
  }

  /**
   * @param x [N, C]
   * @param graph who attends to whom: an edge j -> i lets query i see key j
   * @param edgeAttr must be null (plain attention reads no edge features)
   * @return [N, C]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    if (edgeAttr != null) {
      throw new IllegalArgumentException("MultiHeadAttention: edge features given (shape "
          + edgeAttr.shape() + "); plain attention reads none");
    }
    EdgeIndex pattern = graph.edges();
    if (x.rank() != 2 || x.dim(1) != embedDim || x.dim(0) != pattern.numDstNodes()) {
      throw new IllegalArgumentException("MultiHeadAttention: x has shape " + x.shape()
          + ", expected [" + pattern.numDstNodes() + ", " + embedDim + "]");
    }
    int n = x.dim(0);
    int hd = embedDim / heads;
    Tensor[] qkv = Concat.split(x.matmul(inProjWeight, false, true).add(inProjBias), 1,
        embedDim, embedDim, embedDim);                                  // 3 x [N, C]
    Tensor q = qkv[0].view(n, heads, hd);                              // [N, H, C/H]
    Tensor k = qkv[1].view(n, heads, hd);
    float scale = (float) (1 / Math.sqrt(hd));
    Tensor out = GraphAttention.apply(pattern, q, k, qkv[2].view(n, heads, hd), null, null,
        scale);                                                         // [N, H, C/H]
    if (recorder != null) {
      recorder.record(OP, x.ctx(), pattern, heads,
          () -> GraphAttention.weights(pattern, q, k, null, null, scale));
    }
    return outProj.forward(out.view(n, embedDim));
  }

  /**
   * Full attention among the nodes of each graph, exact and in O(N) memory (blocked online
   * softmax), for batches whose graphs are too large for an edge-set pattern.
   *
   * @param x [N, C]
   * @param graphPtr node offsets of the graphs (length G + 1), see {@code Graph.graphPtr}
   * @return [N, C]
   */
  @Override
  public Tensor forwardWithinGraphs(Tensor x, int[] graphPtr) {
    if (x.rank() != 2 || x.dim(1) != embedDim) {
      throw new IllegalArgumentException("MultiHeadAttention: x has shape " + x.shape()
          + ", expected [N, " + embedDim + "]");
    }
    int n = x.dim(0);
    int hd = embedDim / heads;
    Tensor[] qkv = Concat.split(x.matmul(inProjWeight, false, true).add(inProjBias), 1,
        embedDim, embedDim, embedDim);                                  // 3 x [N, C]
    Tensor q = qkv[0].view(n, heads, hd);                              // [N, H, C/H]
    Tensor k = qkv[1].view(n, heads, hd);
    float scale = (float) (1 / Math.sqrt(hd));
    Tensor out = DenseAttention.apply(q, k, qkv[2].view(n, heads, hd), graphPtr, scale);
    if (recorder != null) recordWithinGraphs(q, k, graphPtr, scale);
    return outProj.forward(out.view(n, embedDim));
  }

  /**
   * The weights DenseAttention applies, over the complete within-graph pattern it never builds;
   * the pattern is built only after the recorder accepted its size.
   */
  private void recordWithinGraphs(Tensor q, Tensor k, int[] graphPtr, float scale) {
    long pairs = 0;
    for (int g = 0; g + 1 < graphPtr.length; g++) {
      long ng = graphPtr[g + 1] - graphPtr[g];
      pairs += ng * ng;
    }
    recorder.checkSize(OP + " (global attention)", pairs, heads);
    EdgeIndex pattern = EdgeSets.withinGraphs(BatchVector.fromOffsets(graphPtr));
    recorder.record(OP, q.ctx(), pattern, heads,
        () -> GraphAttention.weights(pattern, q, k, null, null, scale));
  }

  @Override
  public void recordAttention(AttentionRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("in_proj_weight", inProjWeight);
    m.put("in_proj_bias", inProjBias);
    Module.addAll(m, "out_proj", outProj);
    return m;
  }
}
