package org.gnn4j.link;

import java.util.Map;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Tensor;

/**
 * The inner-product decoder of graph auto-encoders (Kipf &amp; Welling, arXiv:1611.07308) and of
 * PyG's link-prediction example: s(u, v) = z_u . z_v. No parameters; symmetric.
 */
public final class DotDecoder implements LinkDecoder {
  @Override
  public Tensor score(Tensor z, NodePairs pairs, int[] relations) {
    Tensor zu = IndexSelect.rows(z, pairs.src());          // [P, D]
    Tensor zv = IndexSelect.rows(z, pairs.dst());          // [P, D]
    return zu.mul(zv).sum(1);                              // [P]
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return Map.of();
  }
}
