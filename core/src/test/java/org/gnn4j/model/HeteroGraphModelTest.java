package org.gnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.HeteroNeighborSampler;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeteroGraphModelTest {
  private static ModelSpec spec(String layer) {
    String hetero = layer.equals("hgt") || layer.equals("rgcn") ? "{}" : "{aggr: mean}";
    return ModelSpec.from(ConfigNode.parse("layer: " + layer + "\nlayers: 2\nhidden: 8\nheads: 2\n"
        + "dropout: 0.5\nhetero: " + hetero + "\n", "m.yaml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sage", "graphconv", "resgated", "gat", "gatv2", "transformer", "hgt",
      "rgcn"})
  void fullAndSampledForwardGiveTargetLogitsAndGradientsReachEveryEncoder(String layer) {
    HeteroDataset d = Datasets.hetero("user_item");
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      HeteroGraphModel m = new HeteroGraphModel(ctx, spec(layer), HeteroGraphModel.DataShape.of(d),
          new SplittableRandom(0));
      var names = m.namedParameters();
      assertArrayEquals(new int[] {8, 2}, names.get("encoders.user.weight").shape().toArray());
      assertArrayEquals(new int[] {8, 8}, names.get("encoders.tag.weight").shape().toArray());
      assertArrayEquals(new int[] {3, 8}, names.get("head.weight").shape().toArray());
      if (layer.equals("sage")) assertNotNull(names.get("layers.1.convs.<user___rates___item>.lin_l.weight"), names.keySet().toString());
      Tensor logits = m.forward(HeteroInput.of(d.graph(), d.xTensors(ctx)));
      assertArrayEquals(new int[] {120, 3}, logits.shape().toArray());
      Autograd.backward(CrossEntropy.apply(logits, d.y(), d.train()));
      // tags are the source of no relation, so their embedding cannot reach the users
      assertNotNull(names.get("encoders.user.weight").grad());
      assertNotNull(names.get("encoders.item.weight").grad(), "items reach users over item__rated_by__user");

      HeteroNeighborSampler.Subgraph sg = HeteroNeighborSampler.uniform(d.graph(), 4, 3)
          .sample("user", new int[] {0, 5, 7}, new SplittableRandom(1));
      Tensor sampled = m.forward(new HeteroInput(sg.graph(), sg.xTensors(d, ctx), sg.nodes()));
      assertEquals(sg.graph().numNodes("user"), sampled.dim(0));
      assertTrue(sampled.dim(0) >= 3);
    }
  }
}
