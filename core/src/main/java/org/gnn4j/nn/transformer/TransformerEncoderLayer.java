package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The standard Transformer encoder layer (Vaswani et al., arXiv:1706.03762), with
 * torch.nn.TransformerEncoderLayer's parameters and ReLU activation, expressed as attention on
 * a graph: self-attention is message passing over {@link EdgeSets#complete} (or any given
 * pattern, e.g. causal or sparse). Post-norm (torch's default):
 * {@code x' = LN1(x + MHA(x)); out = LN2(x' + FFN(x'))}; pre-norm ({@code normFirst}):
 * {@code x' = x + MHA(LN1(x)); out = x' + FFN(LN2(x'))}, FFN = linear2(ReLU(linear1(.))).
 * Dropout is not applied (eval-mode numbers).
 */
public final class TransformerEncoderLayer implements GraphLayer, AttentionLayer {
  /**
   * @param dModel C
   * @param heads H, dividing C
   * @param dimFeedforward hidden width of the FFN
   * @param normFirst pre-norm when true, post-norm when false
   */
  public record Config(int dModel, int heads, int dimFeedforward, boolean normFirst) {
    public Config {
      if (dModel < 1 || heads < 1 || dModel % heads != 0 || dimFeedforward < 1) {
        throw new IllegalArgumentException("TransformerEncoderLayer: need dModel a positive"
            + " multiple of heads and dimFeedforward >= 1 (got dModel = " + dModel + ", heads = "
            + heads + ", dimFeedforward = " + dimFeedforward + ")");
      }
    }
  }

  private final Config cfg;
  private final MultiHeadAttention selfAttn;
  private final Linear linear1;
  private final Linear linear2;
  private final Norm norm1;
  private final Norm norm2;
  private Graph cachedComplete;

  public TransformerEncoderLayer(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    this.selfAttn = new MultiHeadAttention(ctx, cfg.dModel(), cfg.heads(), rng);
    this.linear1 = new Linear(ctx, cfg.dModel(), cfg.dimFeedforward(), true, rng);
    this.linear2 = new Linear(ctx, cfg.dimFeedforward(), cfg.dModel(), true, rng);
    this.norm1 = new Norm(ctx, Norm.Kind.LAYER, cfg.dModel());
    this.norm2 = new Norm(ctx, Norm.Kind.LAYER, cfg.dModel());
  }

  public Config config() {
    return cfg;
  }

  /** Full self-attention: every token attends to every token (the complete graph with loops). */
  public Tensor forward(Tensor x) {
    if (x == null || x.rank() != 2) {
      throw new IllegalArgumentException("TransformerEncoderLayer: x has shape "
          + (x == null ? "null" : x.shape().toString()) + ", expected [N, " + cfg.dModel() + "]");
    }
    Graph complete = cachedComplete;
    if (complete == null || complete.numNodes() != x.dim(0)) {
      cachedComplete = complete = Graph.of(EdgeSets.complete(x.dim(0), true));
    }
    return forward(x, complete, null);
  }

  /**
   * @param x [N, C] tokens (or nodes)
   * @param graph who attends to whom: edge j -> i lets query i see key j
   * @param edgeAttr must be null
   * @return [N, C]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex pattern = graph.edges();
    if (x == null || x.rank() != 2 || x.dim(1) != cfg.dModel()
        || x.dim(0) != pattern.numDstNodes()) {
      throw new IllegalArgumentException("TransformerEncoderLayer: x has shape "
          + (x == null ? "null" : x.shape().toString()) + ", expected [" + pattern.numDstNodes()
          + ", " + cfg.dModel() + "] for the pattern's " + pattern.numDstNodes() + " nodes");
    }
    return block(x, h -> selfAttn.forward(h, graph, edgeAttr));
  }

  /**
   * Full self-attention among the nodes of each graph of a batch, and never across graphs: the
   * Transformer on the complete graph of every input graph, exact and in O(N) memory (no edge
   * list of the n_g^2 pairs).
   *
   * @param x [N, C]
   * @param graphPtr node offsets of the graphs (length G + 1), see {@code Graph.graphPtr}
   * @return [N, C]
   */
  public Tensor forwardWithinGraphs(Tensor x, int[] graphPtr) {
    if (x == null || x.rank() != 2 || x.dim(1) != cfg.dModel()
        || x.dim(0) != graphPtr[graphPtr.length - 1]) {
      throw new IllegalArgumentException("TransformerEncoderLayer: x has shape "
          + (x == null ? "null" : x.shape().toString()) + ", expected ["
          + graphPtr[graphPtr.length - 1] + ", " + cfg.dModel() + "] for the batch's nodes");
    }
    return block(x, h -> selfAttn.forwardWithinGraphs(h, graphPtr));
  }

  private Tensor block(Tensor x, java.util.function.UnaryOperator<Tensor> attention) {
    if (cfg.normFirst()) {
      Tensor x1 = x.add(attention.apply(norm1.forward(x)));
      return x1.add(ffn(norm2.forward(x1)));
    }
    Tensor x1 = norm1.forward(x.add(attention.apply(x)));
    return norm2.forward(x1.add(ffn(x1)));
  }

  private Tensor ffn(Tensor x) {
    return linear2.forward(linear1.forward(x).relu());
  }

  /** Records the self-attention's weights over the pattern the layer is called with. */
  @Override
  public void recordAttention(AttentionRecorder recorder) {
    selfAttn.recordAttention(recorder);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "self_attn", selfAttn);
    Module.addAll(m, "linear1", linear1);
    Module.addAll(m, "linear2", linear2);
    Module.addAll(m, "norm1", norm1);
    Module.addAll(m, "norm2", norm2);
    return m;
  }
}
