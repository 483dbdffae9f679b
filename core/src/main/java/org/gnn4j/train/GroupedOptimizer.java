package org.gnn4j.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.optim.Optimizer;
import org.gnn4j.tensor.Tensor;

/**
 * Several optimisers stepping as one, as torch's parameter groups: the same kind of update with
 * different settings per group (Kipf &amp; Welling's weight decay on the first layer only). The
 * learning rate is shared: setting it sets every group's. State entries are prefixed
 * {@code g<i>.} by group.
 */
final class GroupedOptimizer implements Optimizer {
  private final List<Optimizer> groups;

  GroupedOptimizer(List<Optimizer> groups) {
    this.groups = List.copyOf(groups);
  }

  @Override
  public List<Tensor> params() {
    List<Tensor> all = new ArrayList<>();
    for (Optimizer o : groups) all.addAll(o.params());
    return all;
  }

  @Override
  public void step() {
    for (Optimizer o : groups) o.step();
  }

  @Override
  public float lr() {
    return groups.get(0).lr();
  }

  @Override
  public void setLr(float lr) {
    for (Optimizer o : groups) o.setLr(lr);
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      for (var e : groups.get(g).state().entrySet()) m.put("g" + g + "." + e.getKey(), e.getValue());
    }
    return m;
  }

  @Override
  public void loadState(Map<String, float[]> state) {
    List<Map<String, float[]>> parts = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) parts.add(new HashMap<>());
    for (var e : state.entrySet()) {
      String k = e.getKey();
      int dot = k.indexOf('.');
      int g = -1;
      if (k.startsWith("g") && dot > 1) {
        try {
          g = Integer.parseInt(k.substring(1, dot));
        } catch (NumberFormatException ignored) {
          g = -1;
        }
      }
      if (g < 0 || g >= groups.size()) {
        throw new IllegalArgumentException("optimizer state: unexpected entry '" + k + "' (expected g0.. g"
            + (groups.size() - 1) + " prefixes)");
      }
      parts.get(g).put(k.substring(dot + 1), e.getValue());
    }
    for (int g = 0; g < groups.size(); g++) groups.get(g).loadState(parts.get(g));
  }
}
