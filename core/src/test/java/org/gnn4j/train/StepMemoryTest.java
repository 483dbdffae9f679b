package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.HeapBudget;
import org.gnn4j.model.ModelSpec;
import org.junit.jupiter.api.Test;

class StepMemoryTest {
  private static ModelSpec spec(String yaml) {
    return ModelSpec.from(ConfigNode.parse("model: " + yaml + "\n", "m.yaml").section("model"));
  }

  @Test
  void theBoundGrowsWithTheGraphAndCountsPerEdgeTensorsOfAttention() {
    ModelSpec gcn = spec("{layer: gcn, layers: 2, hidden: 64}");
    ModelSpec gat = spec("{layer: gat, layers: 2, hidden: 64, heads: 8}");
    Task.StepSize cora = new Task.StepSize(2708, 10556, 1433);
    Task.StepSize big = new Task.StepSize(100_000, 1_000_000, 128);
    long a = StepMemory.estimate(gcn, cora, 100_000);
    // at least the input features, twice, in float32
    assertTrue(a >= 2708L * 1433 * 2 * 4, "" + a);
    assertTrue(StepMemory.estimate(gcn, big, 100_000) > StepMemory.estimate(gcn,
        new Task.StepSize(100_000, 10, 128), 100_000));
    assertTrue(StepMemory.estimate(gat, big, 100_000) > StepMemory.estimate(gcn, big, 100_000));
    StepMemory.check(gcn, cora, 100_000, "cora");    // fits in any test heap
  }

  @Test
  void aGraphTooLargeForTheHeapIsRefusedWithTheModelAndSizes() {
    ModelSpec gat = spec("{layer: gat, layers: 3, hidden: 256, heads: 8}");
    var e = assertThrows(HeapBudget.Exceeded.class, () -> StepMemory.check(gat,
        new Task.StepSize(2_000_000_000L, 20_000_000_000L, 128), 1_000_000, "huge"));
    assertTrue(e.getMessage().startsWith("one training step of huge (gat x3, hidden 256, on"
        + " 2000000000 nodes and 20000000000 edges) needs about "), e.getMessage());
  }

  @Test
  void theNodeTaskReportsItsFullGraphOrItsLargestSampledBatch() {
    Experiment full = Experiment.of(ConfigNode.parse("dataset: {name: cora}\n", "f.yaml"));
    try (var ctx = org.gnn4j.tensor.Context.builder().threads(1).seed(1).build()) {
      Task.StepSize s = full.task(ctx, null).largestStep();
      assertTrue(s.nodes() == 2708 && s.edges() == 10556 && s.features() == 1433, "" + s);
      Experiment sampled = Experiment.of(ConfigNode.parse(
          "dataset: {name: cora}\ntrain: {fanouts: [2, 2], batch_size: 4}\n", "f.yaml"));
      Task.StepSize b = sampled.task(ctx, null).largestStep();
      assertTrue(b.nodes() == 4 + 8 + 16 && b.edges() == 8 + 16, "" + b);
    }
  }
}
