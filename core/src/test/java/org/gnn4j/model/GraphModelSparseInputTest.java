package org.gnn4j.model;

import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.ops.SparseFeatures;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.OpAssert;
import org.junit.jupiter.api.Test;

class GraphModelSparseInputTest {
  @Test
  void aGcnModelGivesTheSameOutputAndGradientsWithSparseFeatures() {
    try (Context ctx = Context.builder().threads(2).seed(1).build()) {
      ModelSpec spec = ModelSpec.from(ConfigNode.parse("layer: gcn\nlayers: 2\nhidden: 8\nhead: {type: conv}\n", "m.yaml"));
      GraphModel m = new GraphModel(ctx, spec, new GraphModel.DataShape(12, 0, 0, 0, 3, false), new SplittableRandom(4));
      SplittableRandom r = new SplittableRandom(5);
      float[] x = new float[7 * 12];
      for (int i = 0; i < x.length; i++) if (r.nextInt(4) == 0) x[i] = 1f;
      Tensor xt = ctx.tensor(x, 7, 12);
      Graph g = Graph.of(EdgeIndex.of(new int[] {0, 1, 2, 3, 4, 5, 6}, new int[] {1, 2, 3, 4, 5, 6, 0}, 7));
      ModelInput dense = ModelInput.of(xt, g);
      ModelInput sparse = dense.withSparseX(SparseFeatures.ofDense(xt));
      float[][] out = new float[2][];
      float[][] grad = new float[2][];
      for (int pass = 0; pass < 2; pass++) {
        m.parameters().forEach(Tensor::zeroGrad);
        Tensor y = m.forward(pass == 0 ? dense : sparse);
        out[pass] = y.data().clone();
        y.sum().backward();
        grad[pass] = m.namedParameters().get("layers.0.lin.weight").gradArray().clone();
      }
      OpAssert.assertClose("output", out[0], out[1], 1e-5, 1e-5);
      OpAssert.assertClose("first-layer weight gradient", grad[0], grad[1], 1e-5, 1e-5);
      // the sparse copy is what the first layer reads: other values there give another output
      Tensor other = m.forward(dense.withSparseX(SparseFeatures.ofDense(ctx.zeros(7, 12))));
      org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(out[0], other.data()));
    }
  }
}
