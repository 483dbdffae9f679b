package org.gnn4j.spark.sign;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Dropout;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * SIGN's classifier (Frasca et al., arXiv:2004.11198), trained on precomputed hop features: one
 * linear map per hop, the results concatenated, then ReLU, dropout and a linear output,
 * Y = Ω σ(X_0 Θ_0 ‖ X_1 Θ_1 ‖ ... ‖ X_K Θ_K). It never sees the graph: all propagation
 * happened in the precomputation, so its mini-batches are rows of a table, in any order.
 * Parameters are named {@code hops.k.weight}, {@code out.weight} and so on.
 */
public final class SignModel implements Module {
  /**
   * @param hops K + 1 inputs (hop 0 is the raw features)
   * @param inFeatures F of each hop
   * @param hidden width of each hop's map
   * @param classes C
   * @param inputDropout dropout on each hop's input
   * @param dropout dropout after the concatenation
   */
  public record Config(int hops, int inFeatures, int hidden, int classes, float inputDropout,
                       float dropout) {
    public Config {
      if (hops < 1 || inFeatures < 1 || hidden < 1 || classes < 2) {
        throw new IllegalArgumentException("SignModel: need hops >= 1, inFeatures >= 1, hidden"
            + " >= 1 and classes >= 2 (got " + hops + ", " + inFeatures + ", " + hidden + ", "
            + classes + ")");
      }
      if (!(inputDropout >= 0 && inputDropout < 1 && dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("SignModel: dropouts must be in [0, 1) (got "
            + inputDropout + ", " + dropout + ")");
      }
    }
  }

  private final Config cfg;
  private final Linear[] perHop;
  private final Linear out;

  public SignModel(Context ctx, Config cfg, SplittableRandom rng) {
    this.cfg = cfg;
    this.perHop = new Linear[cfg.hops()];
    for (int k = 0; k < perHop.length; k++) {
      perHop[k] = new Linear(ctx, cfg.inFeatures(), cfg.hidden(), true, rng);
    }
    this.out = new Linear(ctx, cfg.hops() * cfg.hidden(), cfg.classes(), true, rng);
  }

  public Config config() {
    return cfg;
  }

  /**
   * @param hops K + 1 tensors [B, F]
   * @param rng dropout's stream when training, null in evaluation
   * @return logits [B, C]
   */
  public Tensor forward(Tensor[] hops, SplittableRandom rng) {
    if (hops.length != perHop.length) {
      throw new IllegalArgumentException("SignModel: got " + hops.length + " hop inputs (expected "
          + perHop.length + ")");
    }
    boolean training = rng != null;
    Tensor[] z = new Tensor[hops.length];
    for (int k = 0; k < hops.length; k++) {
      z[k] = perHop[k].forward(Dropout.apply(hops[k], cfg.inputDropout(), training, rng));
    }
    Tensor h = Dropout.apply(Concat.concat(1, z).relu(), cfg.dropout(), training, rng);
    return out.forward(h);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int k = 0; k < perHop.length; k++) Module.addAll(m, "hops." + k, perHop[k]);
    Module.addAll(m, "out", out);
    return m;
  }
}
