package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph isomorphism network layer (Xu et al., arXiv:1810.00826), numerically PyG's GINConv:
 * x'_i = nn((1 + eps) x_i + sum_{j -> i} x_j), no self-loops, duplicates counted. eps is a
 * buffer (state_dict {@code eps}, shape [1]) unless {@code trainEps}, then a parameter. The sum
 * is one SpMM over the CSR by target, never an [E, F] message tensor.
 */
public final class GinConv implements MessagePassing {
  private final Mlp nn;
  private final Tensor eps;    // [1]

  public GinConv(Context ctx, Mlp nn, float eps, boolean trainEps) {
    this.nn = nn;
    this.eps = ctx.tensor(new float[] {eps}, 1).requiresGrad(trainEps);
  }

  /**
   * @param x [N, nn.inChannels()]
   * @return [N, nn.outChannels()]
   */
  public Tensor forward(Tensor x, EdgeIndex edges) {
    Checks.nodeFeatures("GinConv", x, edges, nn.inChannels());
    Tensor agg = Spmm.aggregate(edges, null, x);                     // [N, F]
    return nn.forward(x.mul(eps.add(1f)).add(agg));
  }

  /** As {@link #forward(Tensor, EdgeIndex)}; GIN uses no edge features, so edgeAttr is ignored. */
  @Override
  public Tensor forward(Tensor x, EdgeIndex edges, Tensor edgeAttr) {
    return forward(x, edges);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("eps", eps);
    Module.addAll(m, "nn", nn);
    return m;
  }
}
