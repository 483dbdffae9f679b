package org.gnn4j.nn.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.nn.BatchNorm1d;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.LayerNorm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The normalisation a transformer layer is configured with: layer norm over the features of
 * each row (torch.nn.LayerNorm, parameters {@code weight} = 1, {@code bias} = 0, eps 1e-5) or
 * batch norm over the rows ({@link BatchNorm1d}, with its running statistics), behind one
 * {@code forward}. Graph transformers let the user choose (Dwivedi and Bresson report batch norm
 * better on their benchmarks; the standard Transformer uses layer norm).
 */
public final class Norm implements Module {
  /** Which normalisation. */
  public enum Kind { LAYER, BATCH }

  private final Kind kind;
  private final int features;
  private final Tensor weight;       // [F], layer norm only
  private final Tensor bias;         // [F], layer norm only
  private final BatchNorm1d batch;   // batch norm only

  public Norm(Context ctx, Kind kind, int features) {
    if (features < 1) {
      throw new IllegalArgumentException("Norm: features must be >= 1 (got " + features + ")");
    }
    this.kind = kind;
    this.features = features;
    boolean layer = kind == Kind.LAYER;
    this.weight = layer ? ctx.ones(features).requiresGrad(true) : null;
    this.bias = layer ? ctx.zeros(features).requiresGrad(true) : null;
    this.batch = layer ? null : new BatchNorm1d(ctx, features);
  }

  public Kind kind() {
    return kind;
  }

  /** Training or eval mode; only batch norm behaves differently. */
  public void train(boolean on) {
    if (batch != null) batch.train(on);
  }

  /** x: [rows, F] -> [rows, F]. */
  public Tensor forward(Tensor x) {
    if (x.rank() != 2 || x.dim(1) != features) {
      throw new IllegalArgumentException("Norm: input has shape " + x.shape() + ", expected [N, "
          + features + "]");
    }
    return batch != null ? batch.forward(x) : LayerNorm.apply(x, weight, bias,
        LayerNorm.DEFAULT_EPS);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    if (batch != null) return batch.namedParameters();
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    m.put("bias", bias);
    return m;
  }
}
