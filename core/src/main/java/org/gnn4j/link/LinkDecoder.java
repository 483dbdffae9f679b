package org.gnn4j.link;

import org.gnn4j.tensor.Tensor;

/**
 * Turns node embeddings into one score (a logit) per node pair: the second half of a link
 * predictor, after a GNN encoder has computed z. Decoders with parameters are {@code Module}s
 * whose parameters train with the encoder's. Implementations: {@link DotDecoder} (z_u . z_v),
 * {@link MlpDecoder} (an MLP on [z_u || z_v]) and {@link DistMultDecoder} (z_u . diag(r) . z_v
 * per relation type).
 */
public interface LinkDecoder extends org.gnn4j.nn.Module {
  /**
   * @param z [N, D] node embeddings
   * @param pairs the P pairs to score, node ids in [0, N)
   * @param relations [P] relation type of every pair (typed decoders), or null for type 0
   * @return [P] scores
   */
  Tensor score(Tensor z, NodePairs pairs, int[] relations);

  /** Scores of untyped pairs (relation type 0). */
  default Tensor score(Tensor z, NodePairs pairs) {
    return score(z, pairs, null);
  }
}
