package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.AttentionLayer;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.EdgeUpdatingLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph Transformer layer of Dwivedi and Bresson, "A Generalization of Transformer Networks to
 * Graphs" (arXiv:2012.09699): multi-head attention over the in-neighbours of each node, with an
 * edge-feature stream that gates the attention scores channel by channel and is itself updated.
 * With d = C / H channels per head and edge j -> i (j an in-neighbour of i), per head k:
 * <pre>
 *   w^_ij^k  = ((Q^k h_i) * (K^k h_j) / sqrt(d)) * (E^k e_ij)        [d] per edge and head
 *   w_ij^k   = softmax_{j in N(i)} ( sum_c w^_ij^k[c] )
 *   h^_i     = O_h ( ||_k sum_{j in N(i)} w_ij^k V^k h_j )
 *   e^_ij    = O_e ( ||_k w^_ij^k )
 *   h'_i  = Norm1_h(h_i + h^_i),   h''_i  = Norm2_h(h'_i + FFN_h(h'_i))
 *   e'_ij = Norm1_e(e_ij + e^_ij), e''_ij = Norm2_e(e'_ij + FFN_e(e'_ij))
 * </pre>
 * where * is the element-wise product over the d channels and || concatenates the heads;
 * FFN = Linear(C, 2C), ReLU, Linear(2C, C); Q, K, V, E have no bias (the reference code's
 * default); Norm is layer or batch norm ({@link Norm.Kind}); the residual connections can be
 * turned off. Without edge features ({@code edgeFeatures = false}) the scores are
 * {@code (Q^k h_i) . (K^k h_j) / sqrt(d)}, there is no edge stream, and attention runs on the
 * fused kernel. Unlike the reference code the summed scores are not clamped to [-5, 5]: the
 * edge softmax subtracts each node's maximum, so it is stable without it. Dropout is not
 * applied. A node without in-edges aggregates 0.
 */
public final class GraphTransformerLayer implements EdgeUpdatingLayer, AttentionLayer {
  /**
   * @param channels C, the width of node (and edge) features in and out
   * @param heads H, dividing C
   * @param edgeFeatures whether the layer takes and updates an edge stream [E, C]
   * @param norm layer or batch norm
   * @param residual whether the two residual connections of each stream are used
   */
  public record Config(int channels, int heads, boolean edgeFeatures, Norm.Kind norm,
                       boolean residual) {
    public Config {
      if (channels < 1 || heads < 1 || channels % heads != 0) {
        throw new IllegalArgumentException("GraphTransformerLayer: channels must be a positive"
            + " multiple of heads (got channels = " + channels + ", heads = " + heads + ")");
      }
      if (norm == null) {
        throw new IllegalArgumentException("GraphTransformerLayer: norm is null (expected LAYER"
            + " or BATCH)");
      }
    }

    /** Edge features, layer norm, residuals. */
    public static Config of(int channels, int heads) {
      return new Config(channels, heads, true, Norm.Kind.LAYER, true);
    }

    public Config withEdgeFeatures(boolean on) {
      return new Config(channels, heads, on, norm, residual);
    }

    public Config withNorm(Norm.Kind kind) {
      return new Config(channels, heads, edgeFeatures, kind, residual);
    }

    public Config withResidual(boolean on) {
      return new Config(channels, heads, edgeFeatures, norm, on);
    }
  }


  private static final String NAME = "GraphTransformerLayer";
  private final Config cfg;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear projE;        // null without edge features
  private final Stream node;
  private final Stream edge;         // null without edge features
  private AttentionRecorder recorder; // null unless attention is being recorded

  /** One stream's output projection, norms and feed-forward block. */
  private record Stream(Linear o, Norm norm1, Linear ffn1, Linear ffn2, Norm norm2) {
    Stream(Context ctx, Config cfg, SplittableRandom rng) {
      this(new Linear(ctx, cfg.channels(), cfg.channels(), true, rng),
          new Norm(ctx, cfg.norm(), cfg.channels()),
          new Linear(ctx, cfg.channels(), 2 * cfg.channels(), true, rng),
          new Linear(ctx, 2 * cfg.channels(), cfg.channels(), true, rng),
          new Norm(ctx, cfg.norm(), cfg.channels()));
    }

    /** Norm2(y + FFN(y)) with y = Norm1(in + O(attended)). */
    Tensor update(Tensor in, Tensor attended, boolean residual) {
      Tensor y = o.forward(attended);
      y = norm1.forward(residual ? in.add(y) : y);
      Tensor f = ffn2.forward(ffn1.forward(y).relu());
      return norm2.forward(residual ? y.add(f) : f);
    }

    void addTo(Map<String, Tensor> m, String suffix) {
      Module.addAll(m, "O_" + suffix, o);
      Module.addAll(m, "norm1_" + suffix, norm1);
      Module.addAll(m, "FFN_" + suffix + "_layer1", ffn1);
      Module.addAll(m, "FFN_" + suffix + "_layer2", ffn2);
      Module.addAll(m, "norm2_" + suffix, norm2);
    }

    void train(boolean on) {
      norm1.train(on);
      norm2.train(on);
    }
  }

  public GraphTransformerLayer(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    int c = cfg.channels();
    this.q = new Linear(ctx, c, c, false, rng);
    this.k = new Linear(ctx, c, c, false, rng);
    this.v = new Linear(ctx, c, c, false, rng);
    this.projE = cfg.edgeFeatures() ? new Linear(ctx, c, c, false, rng) : null;
    this.node = new Stream(ctx, cfg, rng);
    this.edge = cfg.edgeFeatures() ? new Stream(ctx, cfg, rng) : null;
  }

  public Config config() {
    return cfg;
  }

  /** Training mode (batch norm uses batch statistics) or eval mode (running statistics). */
  @Override
  public void train(boolean on) {
    node.train(on);
    if (edge != null) edge.train(on);
  }

  /**
   * The layer without edge features.
   *
   * @param h [N, C]
   * @return h'' [N, C]
   * @throws IllegalArgumentException if the layer was configured with edge features
   */
  private Tensor forwardNodes(Tensor h, EdgeIndex edges) {
    if (cfg.edgeFeatures()) {
      throw new IllegalArgumentException(NAME + ": edge features are required (configured with"
          + " edgeFeatures = true) but none were given; give edge features");
    }
    checkNodes(h, edges);
    int n = h.dim(0);
    int d = cfg.channels() / cfg.heads();
    Tensor qh = heads(q.forward(h), n);                                 // [N, H, d]
    Tensor kh = heads(k.forward(h), n);
    float scale = (float) (1 / Math.sqrt(d));
    Tensor att = GraphAttention.apply(edges, qh, kh, heads(v.forward(h), n), scale); // [N, H, d]
    if (recorder != null) {
      recorder.record(NAME, h.ctx(), edges, cfg.heads(),
          () -> GraphAttention.weights(edges, qh, kh, null, null, scale));
    }
    return node.update(h, att.view(n, cfg.channels()), cfg.residual());
  }

  /**
   * The layer with edge features.
   *
   * @param h [N, C]
   * @param e [E, C], one row per edge of the graph (null when configured without edge features)
   * @return h'' [N, C] and e'' [E, C]
   * @throws IllegalArgumentException on missing edge features, mismatching shapes, or edge
   *     features given to a layer configured without them (a null e is then accepted and the
   *     result has no edge stream)
   */
  @Override
  public Output forwardWithEdges(Tensor h, Graph graph, Tensor e) {
    EdgeIndex edges = graph.edges();
    if (!cfg.edgeFeatures()) {
      if (e == null) return new Output(forwardNodes(h, edges), null);
      throw new IllegalArgumentException(NAME + ": edge features given but the layer was"
          + " configured with edgeFeatures = false");
    }
    checkNodes(h, edges);
    int c = cfg.channels();
    if (e == null) {
      throw new IllegalArgumentException(NAME + ": edge features are required (expected e of"
          + " shape [" + edges.numEdges() + ", " + c + "]) but none were given");
    }
    if (e.rank() != 2 || e.dim(0) != edges.numEdges() || e.dim(1) != c) {
      throw new IllegalArgumentException(NAME + ": e has shape " + e.shape() + ", expected ["
          + edges.numEdges() + ", " + c + "]");
    }
    int n = h.dim(0);
    int numEdges = edges.numEdges();
    int d = c / cfg.heads();
    Tensor qh = heads(q.forward(h), n);                                 // [N, H, d]
    Tensor kh = heads(k.forward(h), n);
    Tensor vh = heads(v.forward(h), n);
    Tensor pe = heads(projE.forward(e), numEdges);                      // [E, H, d]
    Tensor wHat = Gather.dst(qh, edges).mul(Gather.src(kh, edges))
        .mul((float) (1 / Math.sqrt(d))).mul(pe);                       // [E, H, d]
    Tensor alpha = EdgeSoftmax.apply(wHat.sum(2), edges);               // [E, H]
    if (recorder != null) recorder.record(NAME, h.ctx(), edges, cfg.heads(), () -> alpha);
    Tensor att = Spmm.aggregate(edges, alpha, vh);                      // [N, H, d]
    Tensor hOut = node.update(h, att.view(n, c), cfg.residual());
    Tensor eOut = edge.update(e, wHat.view(numEdges, c), cfg.residual());
    return new Output(hOut, eOut);
  }

  private Tensor heads(Tensor x, int rows) {
    return x.view(rows, cfg.heads(), cfg.channels() / cfg.heads());
  }

  private void checkNodes(Tensor h, EdgeIndex edges) {
    if (h == null || h.rank() != 2 || h.dim(0) != edges.numDstNodes()
        || h.dim(0) != edges.numSrcNodes() || h.dim(1) != cfg.channels()) {
      throw new IllegalArgumentException(NAME + ": h has shape "
          + (h == null ? "null" : h.shape().toString()) + ", expected [" + edges.numDstNodes()
          + ", " + cfg.channels() + "] for a graph of " + edges.numDstNodes() + " nodes");
    }
  }

  @Override
  public void recordAttention(AttentionRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "attention.Q", q);
    Module.addAll(m, "attention.K", k);
    Module.addAll(m, "attention.V", v);
    if (projE != null) Module.addAll(m, "attention.proj_e", projE);
    node.addTo(m, "h");
    if (edge != null) edge.addTo(m, "e");
    return m;
  }
}
