package org.gnn4j.link;

import java.util.Map;
import org.gnn4j.ops.Sddmm;
import org.gnn4j.tensor.Tensor;

/**
 * The inner-product decoder of graph auto-encoders (Kipf &amp; Welling, arXiv:1611.07308) and of
 * PyG's link-prediction example: s(u, v) = z_u . z_v. No parameters; symmetric. The pairs are
 * scored as the edges of an {@link Sddmm}, one fused dot product per pair, so no [P, D] copies
 * of the embeddings are made in either direction.
 */
public final class DotDecoder implements LinkDecoder {
  @Override
  public Tensor score(Tensor z, NodePairs pairs, int[] relations) {
    return Sddmm.dot(pairs.asEdges(z.dim(0), false), z, z);   // [P]
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return Map.of();
  }
}
