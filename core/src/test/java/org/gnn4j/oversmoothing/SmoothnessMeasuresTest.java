package org.gnn4j.oversmoothing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmoothnessMeasuresTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();
  // a path 0 - 1 - 2, both directions
  private final EdgeIndex path = EdgeIndex.of(new int[] {0, 1, 1, 2}, new int[] {1, 0, 2, 1}, 3);

  @Test
  void dirichletEnergyOnHandCases() {
    Tensor constant = ctx.tensor(new float[] {2, -1, 2, -1, 2, -1}, 3, 2);
    assertEquals(0.0, DirichletEnergy.of(constant, path), 0);
    // x = (0, 1, 3): directed edges give 1 + 1 + 4 + 4 = 10, over 3 nodes
    Tensor x = ctx.tensor(new float[] {0, 1, 3}, 3, 1);
    assertEquals(10.0 / 3, DirichletEnergy.of(x, path), 1e-12);
    // degrees 1, 2, 1 (+1 for GCN's loop): edge pairs (0,1) and (1,2), each counted twice
    double a = 0 / Math.sqrt(2) - 1 / Math.sqrt(3);
    double b = 1 / Math.sqrt(3) - 3 / Math.sqrt(2);
    double norm = 2 * (a * a + b * b) / 3;
    assertEquals(norm, DirichletEnergy.normalised(x, path), 1e-9);
    // over the mean squared norm (0 + 1 + 9) / 3, and scale-free
    assertEquals(norm / (10.0 / 3), DirichletEnergy.relative(x, path), 1e-9);
    assertEquals(norm / (10.0 / 3), DirichletEnergy.relative(x.mul(7f), path), 1e-6);
    // GCN's fixed direction, x_i proportional to sqrt(1 + d_i): the plain form sees spread, the normalised none
    Tensor fixed = ctx.tensor(new float[] {(float) Math.sqrt(2), (float) Math.sqrt(3), (float) Math.sqrt(2)}, 3, 1);
    assertEquals(0.0, DirichletEnergy.normalised(fixed, path), 1e-6);
    assertTrue(DirichletEnergy.of(fixed, path) > 0.05);
    // a constant is not GCN's fixed direction when degrees differ
    assertTrue(DirichletEnergy.normalised(constant, path) > 0.01);
  }

  @Test
  void madOnHandCases() {
    Tensor constant = ctx.tensor(new float[] {2, -1, 2, -1, 2, -1}, 3, 2);
    assertEquals(0.0, MeanAverageDistance.of(constant), 0);
    // two orthogonal directions and a copy of the first: distances 1, 0, 1 -> per node
    // averages over the non-zero ones: 1, 1, 1 -> MAD 1
    Tensor x = ctx.tensor(new float[] {1, 0, 0, 3, 2, 0}, 3, 2);
    assertEquals(1.0, MeanAverageDistance.of(x), 1e-6);
    // opposite vectors: distance 2
    Tensor y = ctx.tensor(new float[] {1, 1, -2, -2}, 2, 2);
    assertEquals(2.0, MeanAverageDistance.of(y), 1e-6);
    // a sample of the nodes is still a MAD in [0, 2] and seeded
    Tensor z = ctx.randn(new SplittableRandom(1), 50, 4);
    double a = MeanAverageDistance.of(z, 20, new SplittableRandom(3));
    assertEquals(a, MeanAverageDistance.of(z, 20, new SplittableRandom(3)), 0);
    assertEquals(1.0, a, 0.3);
  }

  @Test
  void probeMeasuresEveryLayer() {
    ModelSpec spec = new ModelSpec(ModelSpec.Layer.GCN, 4, 8, 1, 1, 0f, 0f, 0f, ModelSpec.Activation.RELU,
        false, ModelSpec.NormKind.NONE, ModelSpec.Encoder.NONE, ModelSpec.Encoder.NONE, ModelSpec.Pe.NONE,
        8, 0, ModelSpec.Pooling.NONE, ModelSpec.Head.MLP, 1, null, null, org.gnn4j.model.ModelOptions.defaults());
    GraphModel m = new GraphModel(ctx, spec, new GraphModel.DataShape(3, 0, 0, 0, 2, false), new SplittableRandom(2));
    ModelInput in = ModelInput.of(ctx.randn(new SplittableRandom(4), 3, 3), Graph.of(path));
    LayerSmoothness s = LayerSmoothness.measure(m, in, true);
    assertEquals(4, s.dirichlet().length);
    assertEquals(4, s.mad().length);
    assertEquals(16, s.asMetrics().size());
  }
}
