package org.gnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gnn4j.tensor.Tensor;

/**
 * A trainable piece of a model. Its parameters are named exactly as the matching PyTorch
 * Geometric module's {@code state_dict} keys ({@code lin.weight}, {@code bias}, ...), so
 * weights move between PyG and gnn4j by name.
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
