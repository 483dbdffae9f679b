package org.gnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * A trainable piece of a model. Its parameters are named exactly as the matching PyTorch
 * Geometric module's {@code state_dict} keys ({@code lin.weight}, {@code bias}, ...), so
 * weights move between PyG and gnn4j by name. A module carries its train/eval mode; forward
 * calls take data only.
 */
public interface Module {
  /** Parameters (and buffers) by state_dict name, in a stable order. */
  Map<String, Tensor> namedParameters();

  /** The trainable parameters, in {@link #namedParameters()} order. */
  default List<Tensor> parameters() {
    List<Tensor> ps = new ArrayList<>();
    for (Tensor t : namedParameters().values()) if (t.requiresGrad()) ps.add(t);
    return ps;
  }

  /**
   * Training mode (dropout active, batch norm on batch statistics) or evaluation mode, for this
   * module and the modules inside it, as PyTorch's {@code train()}/{@code eval()}. Modules start
   * in training mode; those without such behaviour ignore the call. Dropout draws from the
   * context's current random stream ({@code Context#random}).
   */
  default void train(boolean on) {}

  /** Evaluation mode: {@code train(false)}. */
  default void eval() {
    train(false);
  }

  /** Number of trainable scalars. */
  default long numParameters() {
    long n = 0;
    for (Tensor t : parameters()) n += t.numel();
    return n;
  }

  /** Prefixes every name of {@code child} with {@code prefix + "."} into {@code into}. */
  static void addAll(Map<String, Tensor> into, String prefix, Module child) {
    for (var e : child.namedParameters().entrySet()) into.put(prefix + "." + e.getKey(), e.getValue());
  }
}
