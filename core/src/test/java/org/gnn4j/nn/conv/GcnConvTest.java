package org.gnn4j.nn.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GcnConvTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gcn_g1", "gcn_g2"})
  void matchesPygOutputAndGradients(String stem) {
    PygFixture f = PygFixture.load(stem);
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).kernels(kernels).build()) {
        Tensor x = f.tensor(ctx, "x").requiresGrad(true);
        EdgeIndex edges = f.edges(x.dim(0));
        GcnConv conv = new GcnConv(ctx, 16, 8, new SplittableRandom(0));
        f.loadInto(conv);
        Tensor out = conv.forward(x, Graph.of(edges));
        f.assertMatches("out", out.data());
        Autograd.backward(out, f.floats("r"));
        f.assertMatches("grad.x", x.gradArray());
        f.assertMatches("grad.param.lin.weight", conv.namedParameters().get("lin.weight").gradArray());
        f.assertMatches("grad.param.bias", conv.namedParameters().get("bias").gradArray());
      }
    }
  }

  @Test
  void everyNodeGetsExactlyOneSelfLoop() {
    try (Context ctx = Context.create()) {
      // node 1 has two self-loops, node 0 none
      EdgeIndex e = EdgeIndex.of(new int[] {1, 1, 0}, new int[] {1, 1, 1}, 2);
      Graph g = Graph.of(e);
      assertEquals(3, g.selfLooped().numEdges());
      float[] w = g.gcnWeights(ctx).data();
      assertEquals(3, w.length);
      // in-degrees with loops: node0 = 1, node1 = 2 -> w(0->1) = 1/sqrt(2), loops 1 and 1/2
      assertEquals((float) (1 / Math.sqrt(2)), w[0], 1e-7);
      assertEquals(1f, w[1], 1e-7);
      assertEquals(0.5f, w[2], 1e-7);
    }
  }

  @Test
  void rejectsFeatureRowsThatDoNotMatchTheGraph() {
    try (Context ctx = Context.create()) {
      GcnConv conv = new GcnConv(ctx, 4, 2, new SplittableRandom(0));
      var ex = assertThrows(IllegalArgumentException.class,
          () -> conv.forward(ctx.zeros(3, 4), Graph.of(new int[] {0}, new int[] {1}, 5)));
      assertTrue(ex.getMessage().contains("[3, 4]") && ex.getMessage().contains("5 nodes"),
          ex.getMessage());
    }
  }
}
