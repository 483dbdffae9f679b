package org.gnn4j.nn.conv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.nn.SparseInputLayer;
import org.gnn4j.nn.Init;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Graph convolution of Kipf &amp; Welling (arXiv:1609.02907), numerically PyG's GCNConv:
 * x'_i = b + sum_{j -> i} deg_j^{-1/2} deg_i^{-1/2} (W x_j) over the edges plus one self-loop
 * per node replacing any it had (PyG's add_remaining_self_loops), deg_i = in-degree including that loop.
 * The normalised edge set depends only on the graph, so {@link Graph} computes it once and keeps
 * it (PyG's {@code cached=True}). A {@link Graph#withEdgeMask masked graph} multiplies each
 * normalised message by its edge's mask (PyG's explain mode), the normalisation staying that of
 * the unmasked graph.
 */
public final class GcnConv implements SparseInputLayer {
  private final Linear lin;      // lin.weight: [out, in], no bias (PyG keeps the bias apart)
  private final Tensor bias;     // [out]

  public GcnConv(Context ctx, int inChannels, int outChannels, SplittableRandom rng) {
    this.lin = new Linear(inChannels, outChannels, Init.glorot(ctx, rng, outChannels, inChannels),
        null);
    this.bias = Init.zeros(ctx, outChannels);
  }

  /**
   * @param x [N, inChannels]
   * @param edgeAttr ignored (GCN uses unit edge weights)
   * @return [N, outChannels]
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    Checks.nodeFeatures("GcnConv", x, graph.edges(), lin.inFeatures());
    Tensor h = lin.forward(x);                                       // [N, out]
    Tensor w = graph.gcnWeights(x.ctx());                            // [E']
    Tensor mask = graph.selfLoopedEdgeMask();                        // explainers' mask, loops 1
    if (mask != null) w = Elementwise.mul(w, mask);
    return Elementwise.add(Spmm.aggregate(graph.selfLooped(), w, h), bias);
  }

  /** {@link #forward} on features kept sparse: the projection costs their non-zeros. */
  @Override
  public Tensor forwardSparse(SparseFeatures x, Graph graph, Tensor edgeAttr) {
    if (x.rows() != graph.numNodes() || x.cols() != lin.inFeatures()) {
      throw new IllegalArgumentException("GcnConv: sparse features are [" + x.rows() + ", " + x.cols()
          + "], expected [" + graph.numNodes() + ", " + lin.inFeatures() + "]");
    }
    Tensor h = x.timesTransposed(lin.weight());                      // [N, out]
    return Elementwise.add(Spmm.aggregate(graph.selfLooped(), graph.gcnWeights(bias.ctx()), h), bias);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("bias", bias);
    Module.addAll(m, "lin", lin);
    return m;
  }
}
