package org.gnn4j.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.gnn4j.tensor.Tensor;

/**
 * Export and validated import of an optimizer's state as named float arrays, shared by the
 * optimizers so that every one reports a bad checkpoint the same way.
 */
final class OptimState {
  private OptimState() {}

  /** A step count as two floats of 24 bits each: exact up to 2^48 steps, unlike one float. */
  static float[] encodeStep(long step) {
    return new float[] {(float) (step >>> 24), (float) (step & 0xFFFFFF)};
  }

  static long decodeStep(float[] a) {
    return ((long) a[0] << 24) | (long) a[1];
  }

  static void checkLr(String opt, float lr) {
    if (!(lr >= 0) || Float.isInfinite(lr)) {
      throw new IllegalArgumentException(opt + ": lr must be finite and >= 0 (got " + lr + ")");
    }
  }

  /** The common part: "step" and "lr" plus one buffer per parameter for each name. */
  static Map<String, float[]> export(long step, float lr, List<String> buffers, float[][]... perParam) {
    Map<String, float[]> out = new LinkedHashMap<>();
    out.put("step", encodeStep(step));
    out.put("lr", new float[] {lr});
    for (int b = 0; b < buffers.size(); b++) {
      for (int i = 0; i < perParam[b].length; i++) {
        out.put("state." + i + "." + buffers.get(b), perParam[b][i].clone());
      }
    }
    return out;
  }

  /**
   * Checks that {@code state} has exactly the entries {@link #export} would write for these
   * parameters and buffers, with the right lengths; throws naming the first bad entry.
   */
  static void validate(String opt, Map<String, float[]> state, List<Tensor> params,
                       List<String> buffers) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("step", 2);
    expected.put("lr", 1);
    for (String b : buffers) {
      for (int i = 0; i < params.size(); i++) expected.put("state." + i + "." + b, params.get(i).numel());
    }
    for (var e : expected.entrySet()) {
      float[] a = state.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException(opt + ": state entry '" + e.getKey() + "' is missing"
            + " (expected " + e.getValue() + " values; found entries " + new TreeSet<>(state.keySet()) + ")");
      }
      if (a.length != e.getValue()) {
        throw new IllegalArgumentException(opt + ": state entry '" + e.getKey() + "' has "
            + a.length + " values, expected " + e.getValue() + " (a state from other parameters?)");
      }
    }
    for (String k : state.keySet()) {
      if (!expected.containsKey(k)) {
        throw new IllegalArgumentException(opt + ": unexpected state entry '" + k + "' (expected "
            + "only " + expected.keySet() + "; a state from another optimizer or more parameters?)");
      }
    }
    float lr = state.get("lr")[0];
    checkLr(opt, lr);
  }

  /** Copies {@code state.<i>.<buffer>} into {@code into[i]} (lengths already validated). */
  static void copyInto(Map<String, float[]> state, String buffer, float[][] into) {
    for (int i = 0; i < into.length; i++) {
      float[] src = state.get("state." + i + "." + buffer);
      System.arraycopy(src, 0, into[i], 0, into[i].length);
    }
  }

  /** An immutable copy of an optimizer's parameters, each checked to be a leaf. */
  static List<Tensor> leaves(List<Tensor> params) {
    for (int i = 0; i < params.size(); i++) {
      // a computed tensor (a view of a parameter, say) never keeps its gradient: it would
      // silently never train, so it is refused here rather than skipped at every step
      if (!params.get(i).isLeaf()) {
        throw new IllegalArgumentException("optimizer: parameter " + i + " was computed by "
            + params.get(i).node().name() + "; pass the leaf tensor it came from (only leaves"
            + " keep a gradient)");
      }
    }
    return List.copyOf(params);
  }

  static float[][] zerosLike(List<Tensor> params) {
    float[][] out = new float[params.size()][];
    for (int i = 0; i < out.length; i++) out[i] = new float[params.get(i).numel()];
    return out;
  }
}
