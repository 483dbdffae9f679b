package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.GineMessage;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * GIN with edge features (Hu et al., "Strategies for Pre-training GNNs", arXiv:1905.12265),
 * numerically PyG's GINEConv: x'_i = nn((1 + eps) x_i + sum_{j -> i} relu(x_j + lin(e_ji))),
 * where {@code lin} maps the edge features to the node width. With {@code edgeDim = 0} (PyG's
 * {@code edge_dim=None}) there is no {@code lin}: the edge features must already have the node
 * width, as when an edge encoder precedes the layer (GraphGPS), which saves an [E, F] x [F, F]
 * product per layer.
 */
public final class GineConv implements GraphLayer {
  private final Mlp nn;
  private final Linear lin;    // lin.weight: [F, edgeDim], lin.bias: [F]
  private final Tensor eps;    // [1]
  private final int edgeDim;

  public GineConv(Context ctx, Mlp nn, float eps, boolean trainEps, int edgeDim,
                  SplittableRandom rng) {
    if (edgeDim < 0) {
      throw new IllegalArgumentException("GineConv: edgeDim must be >= 0 (got " + edgeDim + ")");
    }
    this.nn = nn;
    this.edgeDim = edgeDim == 0 ? nn.inChannels() : edgeDim;
    this.lin = edgeDim == 0 ? null : new Linear(ctx, edgeDim, nn.inChannels(), true, rng);
    this.eps = ctx.tensor(new float[] {eps}, 1).requiresGrad(trainEps);
  }

  /**
   * @param x [N, F]
   * @param edgeAttr [E, edgeDim]
   * @return [N, nn.outChannels()]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.nodeFeatures("GineConv", x, edges, nn.inChannels());
    Checks.edgeFeatures("GineConv", edgeAttr, edges, edgeDim);
    if (lin == null && !eps.requiresGrad() && edges.numSrcNodes() == edges.numDstNodes()) {
      // a fixed eps (PyG's default): the self term fused into the message op, same bits
      return nn.forward(GineMessage.withSelf(x, edgeAttr, edges, eps.data()[0] + 1f));
    }
    Tensor aggr = lin == null ? GineMessage.apply(x, edgeAttr, edges)
        : GineMessage.projected(x, edgeAttr, lin.weight(), lin.bias(), edges);
    return nn.forward(x.mul(eps.add(1f)).add(aggr));
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("eps", eps);
    Module.addAll(m, "nn", nn);
    if (lin != null) Module.addAll(m, "lin", lin);
    return m;
  }
}
