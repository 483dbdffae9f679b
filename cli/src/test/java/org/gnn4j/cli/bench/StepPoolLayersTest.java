package org.gnn4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every layer workload computes the same bits when its steps run inside {@link Context#step()}
 * (buffers reused from step to step) as without: no op keeps a pooled buffer beyond its step, and
 * no reused buffer carries values into the next step.
 */
class StepPoolLayersTest {
  private static final int N = 1200;   // large enough that [N, 64] and [E, *] buffers are pooled
  private static final int E = 5000;
  private static final int F = 24;

  private static List<float[]> run(String layer, boolean pooled, int steps) {
    List<float[]> got = new ArrayList<>();
    try (Context ctx = Context.builder().threads(2).seed(4).build()) {
      SplittableRandom r = new SplittableRandom(11);
      Tensor x = ctx.randn(r, N, F);
      Graph g = Graph.of(RandomGraph.uniform(N, E, r));
      LayerWorkloads.Built b = LayerWorkloads.build(ctx, layer, F, r);
      Tensor ea = b.usesEdgeAttr() ? ctx.randn(r, E, LayerWorkloads.EDGE_DIM) : null;
      if (b.gradToX()) x.requiresGrad(true);
      LayerWorkloads.Inputs in = new LayerWorkloads.Inputs(x, g, ea);
      for (int s = 0; s < steps; s++) {
        for (Tensor p : b.module().parameters()) p.zeroGrad();
        x.zeroGrad();
        Context.StepScope scope = pooled ? ctx.step() : null;
        try {
          Tensor out = b.forward().apply(in);
          Tensor loss = out.mul(out).mean();
          loss.backward();
          got.add(new float[] {loss.item()});
          got.add(out.toArray());
        } finally {
          if (scope != null) scope.close();
        }
        if (b.gradToX()) got.add(x.gradArray().clone());
        for (Map.Entry<String, Tensor> p : b.module().namedParameters().entrySet()) {
          float[] gr = p.getValue().gradArray();
          got.add(gr == null ? new float[0] : gr.clone());
        }
      }
    }
    return got;
  }

  @Test
  void everyLayerIsBitIdenticalWithThePoolOnAndOff() {
    for (String layer : LayerWorkloads.LAYERS) {
      List<float[]> plain = run(layer, false, 3);
      List<float[]> pooled = run(layer, true, 3);
      assertEquals(plain.size(), pooled.size(), layer);
      for (int i = 0; i < plain.size(); i++) {
        assertArrayEquals(plain.get(i), pooled.get(i), layer + ": value " + i);
      }
    }
  }
}
