package org.gnn4j.link;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Init;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * DistMult (Yang et al., arXiv:1412.6575), the decoder of typed relations in R-GCN link
 * prediction: s(u, r, v) = sum_k z_uk r_k z_vk, one learned diagonal {@code rel_emb[r]} per
 * relation type (PyG's {@code DistMult}: Glorot-uniform initialisation). Symmetric in u and v.
 */
public final class DistMultDecoder implements LinkDecoder {
  private final Tensor relEmb;    // [R, D]

  public DistMultDecoder(Context ctx, int numRelations, int dim, SplittableRandom rng) {
    if (numRelations < 1) {
      throw new IllegalArgumentException("DistMultDecoder: numRelations must be >= 1 (got " + numRelations + ")");
    }
    this.relEmb = Init.glorot(ctx, rng, numRelations, dim);
  }

  @Override
  public Tensor score(Tensor z, NodePairs pairs, int[] relations) {
    int[] rel = relations != null ? relations : new int[pairs.size()];
    if (rel.length != pairs.size()) {
      throw new IllegalArgumentException("DistMultDecoder: relations has " + rel.length
          + " entries, expected one per pair (" + pairs.size() + ")");
    }
    Tensor r = IndexSelect.embedding(relEmb, rel);          // [P, D]
    Tensor zu = IndexSelect.rows(z, pairs.src());          // [P, D]
    Tensor zv = IndexSelect.rows(z, pairs.dst());          // [P, D]
    return zu.mul(r).mul(zv).sum(1);                       // [P]
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    return Map.of("rel_emb", relEmb);
  }
}
