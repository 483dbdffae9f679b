package org.gnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayerBenchTest {
  @Test
  void everyImplementedLayerBuildsAndStepsOnASmallGraph() {
    try (Context ctx = Context.create()) {
      for (String layer : LayerWorkloads.LAYERS) {
        LayerWorkloads.Size tiny = new LayerWorkloads.Size("tiny", 30, 90, 12);
        if (LayerWorkloads.unsupported(layer, tiny) != null) continue;
        SplittableRandom r = new SplittableRandom(1);
        LayerWorkloads.Built b = LayerWorkloads.build(ctx, layer, 12, r);
        Tensor x = ctx.randn(r, 30, 12);
        if (b.gradToX()) x.requiresGrad(true);
        Tensor ea = b.usesEdgeAttr() ? ctx.randn(r, 90, LayerWorkloads.EDGE_DIM) : null;
        Tensor out = b.forward().apply(new LayerWorkloads.Inputs(x,
            Graph.of(RandomGraph.uniform(30, 90, r)), ea));
        assertEquals(30, out.dim(0), layer);
        assertEquals(layer.equals("lgconv") ? 12 : LayerWorkloads.HIDDEN, out.dim(1), layer);
        out.mul(out).mean().backward();
        if (b.gradToX()) assertTrue(x.gradArray() != null, layer + ": x got no gradient");
        for (var p : b.module().namedParameters().entrySet()) {
          // HGT's skip gates exist per type but act only where in and out widths match (12 != 64)
          if (!p.getValue().requiresGrad() || p.getKey().startsWith("skip.")) continue;
          assertTrue(p.getValue().gradArray() != null, layer + ": " + p.getKey() + " got no gradient");
        }
      }
    }
  }

  @Test
  void lineHasTheSharedFields() {
    String ok = LayerBench.measure("gcn", new LayerWorkloads.Size("tiny", 40, 120, 8), 1, 1, 2, 0)
        .toString();
    for (String f : new String[] {"\"layer\":\"gcn\"", "\"status\":\"ok\"", "\"fwd_bwd_ms_median\"",
        "\"fwd_bwd_ms_min\"", "\"fwd_bwd_ms_max\"", "\"fwd_ms_median\"", "\"bwd_ms_median\"",
        "\"peak_rss_mb\"", "\"params\"", "\"repeats\":2", "\"warmup\":1"}) {
      assertTrue(ok.contains(f), f + " missing in " + ok);
    }
    String performer = LayerBench.measure("gps_gin_performer",
        new LayerWorkloads.Size("tiny", 40, 120, 8), 1, 0, 1, 0).toString();
    assertTrue(performer.contains("\"status\":\"ok\""), performer);
  }

  @Test
  void performerWorkloadsHavePygParameterCounts() {
    try (Context ctx = Context.create()) {
      // PyG 2.6.1's "params" for these workloads at F_in = 64 (shared/bench/pyg-cpu.jsonl)
      assertEquals(90_880, LayerWorkloads.build(ctx, "gps_gin_performer", 64,
          new SplittableRandom(0)).module().numParameters());
      assertEquals(91_968, LayerWorkloads.build(ctx, "gps_gine_performer", 64,
          new SplittableRandom(0)).module().numParameters());
    }
  }

  @Test
  void unknownSizeIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> LayerWorkloads.size("1m"));
    assertTrue(e.getMessage().contains("'1m'") && e.getMessage().contains("200k"), e.getMessage());
  }
}
