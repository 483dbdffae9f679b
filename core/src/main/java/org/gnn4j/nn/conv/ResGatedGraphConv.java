package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Activations;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.Scatter;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Residual gated graph convolution (Bresson &amp; Laurent, "Residual Gated Graph ConvNets",
 * arXiv:1711.07553), numerically PyG's ResGatedGraphConv with its sigmoid gate:
 * x'_i = W_skip x_i + sum_{j -> i} sigmoid(k_i + q_j) * v_j + b, with k = lin_key(x),
 * q = lin_query(x), v = lin_value(x). With {@code edgeDim > 0} the edge's features join each
 * projection's input, as in PyG: k_i = lin_key([x_i, e_ji]), q_j = lin_query([x_j, e_ji]),
 * v_j = lin_value([x_j, e_ji]). This is the gated local layer of GatedGCN-style GPS models; it
 * plugs into {@code GpsLayer} like GIN and GINE. Its messages are [E, C] tensors (no fused
 * kernel yet), so it is meant for molecule-sized graphs rather than the 4M-edge workloads.
 *
 * <p>On a bipartite graph (PyG's tuple in_channels {@code (F_src, F_dst)}, called with
 * {@code (x_src, x_dst)}): lin_key and lin_skip read the targets x_i [N_dst, F_dst], lin_query
 * and lin_value the sources x_j [N_src, F_src].
 */
public final class ResGatedGraphConv implements BipartiteLayer {
  private static final String OP = "ResGatedGraphConv";
  private final int inSrc;
  private final int inDst;
  private final int edgeDim;
  private final Linear linKey;     // [C, F (+ D)]
  private final Linear linQuery;
  private final Linear linValue;
  private final Linear linSkip;    // [C, F], no bias; null without root weight
  private final Tensor bias;       // [C] or null

  /**
   * @param edgeDim width of the edge features, or 0 for none (PyG's {@code edge_dim=None})
   * @param rootWeight PyG's {@code root_weight}: add {@code lin_skip(x_i)}
   * @param bias PyG's {@code bias}: add a learned bias, initialised to zero as in PyG
   */
  public ResGatedGraphConv(Context ctx, int inChannels, int outChannels, int edgeDim,
                           boolean rootWeight, boolean bias, SplittableRandom rng) {
    this(ctx, inChannels, inChannels, outChannels, edgeDim, rootWeight, bias, rng);
  }

  /** PyG's tuple in_channels {@code (inSrc, inDst)}; otherwise as the other constructor. */
  public ResGatedGraphConv(Context ctx, int inSrc, int inDst, int outChannels, int edgeDim,
                           boolean rootWeight, boolean bias, SplittableRandom rng) {
    if (inSrc <= 0 || inDst <= 0 || outChannels <= 0 || edgeDim < 0) {
      throw new IllegalArgumentException(OP + ": need in_channels (" + inSrc + ", " + inDst
          + "), outChannels " + outChannels + " > 0 and edgeDim " + edgeDim + " >= 0");
    }
    this.inSrc = inSrc;
    this.inDst = inDst;
    this.edgeDim = edgeDim;
    this.linKey = new Linear(ctx, inDst + edgeDim, outChannels, true, rng);
    this.linQuery = new Linear(ctx, inSrc + edgeDim, outChannels, true, rng);
    this.linValue = new Linear(ctx, inSrc + edgeDim, outChannels, true, rng);
    this.linSkip = rootWeight ? new Linear(ctx, inDst, outChannels, false, rng) : null;
    this.bias = bias ? ctx.zeros(outChannels).requiresGrad(true) : null;
  }

  /**
   * @param xSrc [N_src, inSrc]; xDst [N_dst, inDst] (the same tensor on an ordinary graph)
   * @param edgeAttr [E, edgeDim] when edgeDim > 0, else ignored
   * @return [N_dst, outChannels]
   */
  @Override
  public Tensor forward(Tensor xSrc, Tensor xDst, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.bipartiteFeatures(OP, xSrc, xDst, edges, inSrc, inDst);
    Tensor msg;
    if (edgeDim == 0) {
      Tensor k = Gather.dst(linKey.forward(xDst), edges);            // [E, C]
      Tensor q = Gather.src(linQuery.forward(xSrc), edges);
      Tensor v = Gather.src(linValue.forward(xSrc), edges);
      msg = Activations.sigmoid(k.add(q)).mul(v);
    } else {
      Checks.edgeFeatures(OP, edgeAttr, edges, edgeDim);
      Tensor xi = Concat.concat(1, Gather.dst(xDst, edges), edgeAttr); // [E, F_dst + D]
      Tensor xj = Concat.concat(1, Gather.src(xSrc, edges), edgeAttr); // [E, F_src + D]
      msg = Activations.sigmoid(linKey.forward(xi).add(linQuery.forward(xj)))
          .mul(linValue.forward(xj));
    }
    Tensor out = Scatter.sum(msg, edges);                             // [N, C]
    if (linSkip != null) out = out.add(linSkip.forward(xDst));
    if (bias != null) out = out.add(bias);
    return out;
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    if (bias != null) m.put("bias", bias);
    Module.addAll(m, "lin_key", linKey);
    Module.addAll(m, "lin_query", linQuery);
    Module.addAll(m, "lin_value", linValue);
    if (linSkip != null) Module.addAll(m, "lin_skip", linSkip);
    return m;
  }
}
