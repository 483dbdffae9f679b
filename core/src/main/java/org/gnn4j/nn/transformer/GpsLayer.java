package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.BatchNorm1d;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One GPS layer (Rampasek et al., "Recipe for a General, Powerful, Scalable Graph Transformer",
 * arXiv:2205.12454), numerically PyG's GPSConv with multi-head attention and batch norm:
 * local = norm1(conv(x) + x), global = norm2(MHA(x) + x) with attention among the nodes of each
 * graph of the batch, o = local + global, out = norm3(o + mlp(o)), mlp = Linear(C, 2C), ReLU,
 * Linear(2C, C). The local layer is pluggable (GIN, GINE, ...). Dropout is not applied yet
 * (PyG's default is 0).
 *
 * <p>Global attention is exact and O(N) in memory ({@link org.gnn4j.ops.DenseAttention}: blocked online
 * softmax within each graph), so one graph of 100k nodes fits where a dense N x N attention
 * matrix would not. With {@link AttnType#PERFORMER} it is PyG's {@code attn_type='performer'}
 * instead: {@link PerformerAttention}, linear in N.
 */
public final class GpsLayer implements GraphLayer, AttentionLayer {
  private final int channels;
  private final GraphLayer conv;
  private final GlobalAttention attn;
  private final Linear mlp0;     // mlp.0: [2C, C]
  private final Linear mlp3;     // mlp.3: [C, 2C] (PyG's Sequential has ReLU and Dropout between)
  private final BatchNorm1d norm1;
  private final BatchNorm1d norm2;
  private final BatchNorm1d norm3;

  /** PyG's {@code attn_type}: exact multi-head attention or Performer linear attention. */
  public enum AttnType {
    MULTIHEAD, PERFORMER;

    /** From PyG's spelling, {@code multihead} or {@code performer}. */
    public static AttnType of(String pygName) {
      return switch (pygName) {
        case "multihead" -> MULTIHEAD;
        case "performer" -> PERFORMER;
        default -> throw new IllegalArgumentException("GpsLayer: unknown attn_type '" + pygName
            + "' (expected multihead or performer)");
      };
    }
  }

  /** With exact multi-head attention (PyG's default {@code attn_type='multihead'}). */
  public GpsLayer(Context ctx, int channels, GraphLayer conv, int heads, SplittableRandom rng) {
    this(ctx, channels, conv, heads, AttnType.MULTIHEAD, rng);
  }

  /** With the given global attention, in PyG's default configuration for it. */
  public GpsLayer(Context ctx, int channels, GraphLayer conv, int heads, AttnType attnType,
                  SplittableRandom rng) {
    this.channels = channels;
    this.conv = conv;
    this.attn = attnType == AttnType.PERFORMER
        ? new PerformerAttention(ctx, channels, heads, rng)
        : new MultiHeadAttention(ctx, channels, heads, rng);
    this.mlp0 = new Linear(ctx, channels, 2 * channels, true, rng);
    this.mlp3 = new Linear(ctx, 2 * channels, channels, true, rng);
    this.norm1 = new BatchNorm1d(ctx, channels);
    this.norm2 = new BatchNorm1d(ctx, channels);
    this.norm3 = new BatchNorm1d(ctx, channels);
  }

  /** Training mode (batch-norm batch statistics) or eval mode (running statistics). */
  @Override
  public void train(boolean on) {
    conv.train(on);
    attn.train(on);
    norm1.train(on);
    norm2.train(on);
    norm3.train(on);
  }

  /**
   * @param x [N, C]
   * @param graph the graphs of the batch: local edges, and the node sets global attention
   *     runs within
   * @param edgeAttr [E, D] for local layers that use edge features, else null
   * @return [N, C]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    if (x.rank() != 2 || x.dim(1) != channels || x.dim(0) != graph.numNodes()) {
      throw new IllegalArgumentException("GpsLayer: x has shape " + x.shape() + ", expected ["
          + graph.numNodes() + ", " + channels + "]");
    }
    Tensor local = norm1.forward(conv.forward(x, graph, edgeAttr).add(x));
    Tensor global = norm2.forward(attn.forwardWithinGraphs(x, graph.graphPtr()).add(x));
    Tensor o = local.add(global);
    return norm3.forward(o.add(mlp3.forward(mlp0.forward(o).relu())));
  }

  /**
   * Records the global attention (all pairs of nodes of each graph, so sum_g N_g^2 weights per
   * head); the local layer's is not recorded. Performer attention has no weights to record.
   */
  @Override
  public void recordAttention(AttentionRecorder recorder) {
    if (attn instanceof MultiHeadAttention mha) mha.recordAttention(recorder);
  }

  @Override
  public boolean hasAttentionWeights() {
    return attn instanceof MultiHeadAttention;
  }

  /** The global attention module (a {@link PerformerAttention} for attn_type performer). */
  public GlobalAttention attention() {
    return attn;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "conv", conv);
    Module.addAll(m, "attn", attn);
    Module.addAll(m, "mlp.0", mlp0);
    Module.addAll(m, "mlp.3", mlp3);
    Module.addAll(m, "norm1.module", norm1);
    Module.addAll(m, "norm2.module", norm2);
    Module.addAll(m, "norm3.module", norm3);
    return m;
  }
}
