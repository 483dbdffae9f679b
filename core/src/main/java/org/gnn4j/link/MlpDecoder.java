package org.gnn4j.link;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * An MLP on the pair: s(u, v) = MLP([z_u || z_v]) with ReLUs between its layers and one output.
 * Unlike the dot product it can learn scores that are not a similarity, and it is not symmetric:
 * (u, v) and (v, u) may score differently, which suits directed links.
 */
public final class MlpDecoder implements LinkDecoder {
  private final Mlp mlp;

  /**
   * @param dim width D of the embeddings
   * @param hidden widths of the hidden layers (may be empty: one linear layer 2D -> 1)
   */
  public MlpDecoder(Context ctx, int dim, int[] hidden, SplittableRandom rng) {
    int[] widths = new int[hidden.length + 2];
    widths[0] = 2 * dim;
    System.arraycopy(hidden, 0, widths, 1, hidden.length);
    widths[widths.length - 1] = 1;
    this.mlp = new Mlp(ctx, rng, widths);
  }

  @Override
  public Tensor score(Tensor z, NodePairs pairs, int[] relations) {
    Tensor pair = Concat.concat(1, IndexSelect.rows(z, pairs.src()), IndexSelect.rows(z, pairs.dst())); // [P, 2D]
    return mlp.forward(pair).view(pairs.size());            // [P]
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new java.util.LinkedHashMap<>();
    Module.addAll(m, "mlp", mlp);
    return m;
  }
}
