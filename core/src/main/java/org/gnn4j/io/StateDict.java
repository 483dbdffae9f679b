package org.gnn4j.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * Loads PyTorch state_dict tensors (from a {@link Safetensors} file) into a gnn4j module by
 * name: every parameter and buffer the module has must be present with the same shape and
 * dtype F32; extra entries (such as BatchNorm's {@code num_batches_tracked}) are reported, not
 * loaded. Errors name the key, the shapes, and the file.
 */
public final class StateDict {
  private StateDict() {}

  /**
   * Copies {@code prefix + name} for every named parameter of {@code m}.
   *
   * @return the keys under {@code prefix} that the module has no use for
   * @throws Gnn4jConfigException on a missing key, a shape or dtype mismatch
   */
  public static List<String> load(Module m, Safetensors st, String prefix, String file) {
    Map<String, Tensor> params = m.namedParameters();
    for (Map.Entry<String, Tensor> p : params.entrySet()) {
      String key = prefix + p.getKey();
      if (!st.has(key)) {
        throw new Gnn4jConfigException(file, 0, "missing tensor '" + key + "' (the module needs"
            + " shape " + p.getValue().shape() + ")");
      }
      Safetensors.Entry e = st.get(key);
      if (e.floats() == null) {
        throw new Gnn4jConfigException(file, 0, "tensor '" + key + "' has dtype " + e.dtype()
            + ", expected F32");
      }
      if (!java.util.Arrays.equals(e.shape(), p.getValue().shape().toArray())) {
        throw new Gnn4jConfigException(file, 0, "tensor '" + key + "' has shape "
            + java.util.Arrays.toString(e.shape()) + ", the module expects "
            + p.getValue().shape());
      }
      System.arraycopy(e.floats(), 0, p.getValue().data(), 0, e.floats().length);
    }
    List<String> unused = new ArrayList<>();
    for (String k : st.tensors().keySet()) {
      if (k.startsWith(prefix) && !params.containsKey(k.substring(prefix.length()))) unused.add(k);
    }
    return unused;
  }
}
