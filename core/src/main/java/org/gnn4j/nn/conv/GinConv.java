package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.GraphLayer;
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
public final class GinConv implements GraphLayer {
  private final Mlp nn;
  private final Tensor eps;    // [1]

  public GinConv(Context ctx, Mlp nn, float eps, boolean trainEps) {
    this.nn = nn;
    this.eps = ctx.tensor(new float[] {eps}, 1).requiresGrad(trainEps);
  }

  /**
   * @param x [N, nn.inChannels()]
   * @param edgeAttr ignored: GIN uses no edge features
   * @return [N, nn.outChannels()]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    EdgeIndex edges = graph.edges();
    Checks.nodeFeatures("GinConv", x, edges, nn.inChannels());
    Tensor agg = Spmm.aggregate(edges, graph.edgeMask(), x);         // [N, F]; mask: explainers
    // a fixed eps of 0 (the default) scales by exactly 1: skipping that pass keeps the bits
    Tensor self = !eps.requiresGrad() && eps.data()[0] == 0f ? x : x.mul(eps.add(1f));
    return nn.forward(self.add(agg));
  }


  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("eps", eps);
    Module.addAll(m, "nn", nn);
    return m;
  }
}
