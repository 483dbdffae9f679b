package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Activations;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.Scatter;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Residual gated graph convolution (Bresson & Laurent, "Residual Gated Graph ConvNets",
 * arXiv:1711.07553), numerically PyG's ResGatedGraphConv with its sigmoid gate:
 * x'_i = W_skip x_i + sum_{j -> i} sigmoid(k_i + q_j) * v_j + b, with k = lin_key(x),
 * q = lin_query(x), v = lin_value(x). With {@code edgeDim > 0} the edge's features join each
 * projection's input, as in PyG: k_i = lin_key([x_i, e_ji]), q_j = lin_query([x_j, e_ji]),
 * v_j = lin_value([x_j, e_ji]). This is the gated local layer of GatedGCN-style GPS models; it
 * plugs into {@code GpsLayer} like GIN and GINE. Its messages are [E, C] tensors (no fused
 * kernel yet), so it is meant for molecule-sized graphs rather than the 4M-edge workloads.
 */
public final class ResGatedGraphConv implements GraphLayer {
  private final int inChannels;
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
    if (inChannels <= 0 || outChannels <= 0 || edgeDim < 0) {
      throw new IllegalArgumentException("ResGatedGraphConv: need inChannels, outChannels > 0 and"
          + " edgeDim >= 0 (got " + inChannels + ", " + outChannels + ", " + edgeDim + ")");
    }
    this.inChannels = inChannels;
    this.edgeDim = edgeDim;
    this.linKey = new Linear(ctx, inChannels + edgeDim, outChannels, true, rng);
    this.linQuery = new Linear(ctx, inChannels + edgeDim, outChannels, true, rng);
    this.linValue = new Linear(ctx, inChannels + edgeDim, outChannels, true, rng);
    this.linSkip = rootWeight ? new Linear(ctx, inChannels, outChannels, false, rng) : null;
    this.bias = bias ? ctx.zeros(outChannels).requiresGrad(true) : null;
  }

  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.nodeFeatures("ResGatedGraphConv", x, edges, inChannels);
    Tensor msg;
    if (edgeDim == 0) {
      Tensor k = Gather.dst(linKey.forward(x), edges);               // [E, C]
      Tensor q = Gather.src(linQuery.forward(x), edges);
      Tensor v = Gather.src(linValue.forward(x), edges);
      msg = Activations.sigmoid(k.add(q)).mul(v);
    } else {
      Checks.edgeFeatures("ResGatedGraphConv", edgeAttr, edges, edgeDim);
      Tensor xi = Concat.concat(1, Gather.dst(x, edges), edgeAttr);   // [E, F + D]
      Tensor xj = Concat.concat(1, Gather.src(x, edges), edgeAttr);
      msg = Activations.sigmoid(linKey.forward(xi).add(linQuery.forward(xj)))
          .mul(linValue.forward(xj));
    }
    Tensor out = Scatter.sum(msg, edges);                             // [N, C]
    if (linSkip != null) out = out.add(linSkip.forward(x));
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
