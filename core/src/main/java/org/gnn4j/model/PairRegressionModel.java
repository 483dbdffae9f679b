package org.gnn4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Regression on pairs of nodes of two types (the rating a user gives a movie): a heterogeneous
 * GNN ({@link HeteroGraphModel} without a head) encodes both endpoints, and an MLP decodes
 * {@code [h_a, h_b, h_a * h_b]} to one number, added to a fixed offset (the mean training target,
 * so the untrained model starts at the global-mean baseline). Parameter names: {@code encoder.*}
 * as {@link HeteroGraphModel}'s, {@code decoder.*} as {@link Mlp}'s.
 */
public final class PairRegressionModel implements Module {
  private final HeteroGraphModel encoder;
  private final Mlp decoder;
  private final String typeA;
  private final String typeB;
  private final float offset;

  /** @param shape the data's shape with no target type */
  public PairRegressionModel(Context ctx, ModelSpec spec, HeteroGraphModel.DataShape shape, String typeA,
                             String typeB, float offset, SplittableRandom rng) {
    this.encoder = new HeteroGraphModel(ctx, spec, shape, rng);
    int h = spec.hidden();
    this.decoder = new Mlp(ctx, rng, 3 * h, h, 1);
    this.typeA = typeA;
    this.typeB = typeB;
    this.offset = offset;
  }

  /**
   * @param a [E] local ids of the first endpoints in {@code in}'s {@code typeA} nodes (b likewise)
   * @return [E, 1] predictions
   */
  public Tensor forward(HeteroInput in, int[] a, int[] b) {
    Map<String, Tensor> h = encoder.embed(in);
    Tensor ha = IndexSelect.rows(h.get(typeA), a); // [E, hidden]
    Tensor hb = IndexSelect.rows(h.get(typeB), b); // [E, hidden]
    return decoder.forward(Concat.concat(1, ha, hb, ha.mul(hb))).add(offset);
  }

  @Override
  public void train(boolean on) {
    encoder.train(on);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    Module.addAll(m, "encoder", encoder);
    Module.addAll(m, "decoder", decoder);
    return m;
  }
}
