package org.gnn4j.explain;

import java.util.Map;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.ops.EdgeSoftmax;
import org.gnn4j.ops.Gather;
import org.gnn4j.ops.MatMul;
import org.gnn4j.tensor.Tensor;

/**
 * Attention as explanation (PyG's {@code AttentionExplainer}, here with the mean instead of its
 * default max): the attention coefficient of every edge in every GAT layer, averaged over heads
 * and layers. The coefficients are recomputed from each layer's input and its PyG-named
 * parameters ({@code lin.weight}, {@code att_src}, {@code att_dst}) with the unfused ops, as
 * GATConv defines them: alpha = softmax over the in-edges (with one self-loop per node) of
 * LeakyReLU(a_src . W x_j + a_dst . W x_i, 0.2). A self-loop's coefficient is not an edge of
 * the graph and is left out.
 */
public final class AttentionExplanation {
  private static final float NEGATIVE_SLOPE = 0.2f;   // GATConv's default, which configs keep

  private AttentionExplanation() {}

  public static Explanation explain(Explainable e) {
    GraphModel model = e.model();
    if (model.spec().layer() != ModelSpec.Layer.GAT) {
      throw new IllegalArgumentException("explain: --method attention reads GAT layers (model.layer:"
          + " gat); this model's layers are '" + model.spec().layer() + "' (use gnnexplainer,"
          + " saliency or ig)");
    }
    Graph g = e.graph();
    EdgeIndex looped = g.selfLooped();
    int kept = looped.numEdges() - g.numNodes();
    int[] keptIds = keptEdges(g.edges());
    float[] sum = new float[g.numEdges()];
    int[] layers = {0};
    try (var s = e.ctx().noGrad()) {
      model.train(false);
      model.forward(new org.gnn4j.model.ModelInput(e.x(), e.input().nodeTypes(), g, e.input().edgeAttr(),
          e.input().edgeTypes(), e.input().pe()), (layer, in, out) -> {
            float[] alpha = meanAlpha(model.layers().get(layer).namedParameters(), in, looped);
            for (int k = 0; k < kept; k++) sum[keptIds[k]] += alpha[k];
            layers[0]++;
          });
    }
    for (int k = 0; k < sum.length; k++) sum[k] /= Math.max(1, layers[0]);
    return new Explanation("attention", e.nodeLevel(), e.id(), e.predicted(),
        Explanation.scatter(sum, e.edgeMap(), e.fullEdges(), 1), null, 0);
  }

  /** [E'] head-averaged attention of one GAT layer on the self-looped edges. */
  private static float[] meanAlpha(Map<String, Tensor> p, Tensor x, EdgeIndex looped) {
    Tensor w = p.get("lin.weight");                                   // [H*C, F]
    Tensor attSrc = p.get("att_src");                                 // [1, H, C]
    Tensor attDst = p.get("att_dst");
    if (w == null || attSrc == null || attDst == null) {
      throw new IllegalStateException("explain: a GAT layer lacks lin.weight/att_src/att_dst");
    }
    int heads = attSrc.dim(1);
    int c = attSrc.dim(2);
    Tensor h = MatMul.matmul(x, w, false, true).view(x.dim(0), heads, c);  // [N, H, C]
    Tensor ss = h.mul(attSrc).sum(2);                                       // [N, H]
    Tensor sd = h.mul(attDst).sum(2);                                       // [N, H]
    Tensor logits = Gather.src(ss, looped).add(Gather.dst(sd, looped));    // [E', H]
    float[] alpha = EdgeSoftmax.apply(logits.leakyRelu(NEGATIVE_SLOPE), looped).data();
    float[] mean = new float[looped.numEdges()];
    for (int k = 0; k < mean.length; k++) {
      for (int hh = 0; hh < heads; hh++) mean[k] += alpha[k * heads + hh] / heads;
    }
    return mean;
  }

  private static int[] keptEdges(EdgeIndex e) {
    int[] s = e.src();
    int[] d = e.dst();
    int n = 0;
    for (int k = 0; k < s.length; k++) if (s[k] != d[k]) n++;
    int[] out = new int[n];
    for (int k = 0, p = 0; k < s.length; k++) if (s[k] != d[k]) out[p++] = k;
    return out;
  }
}
