package org.gnn4j.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.testing.OpAssert;
import org.gnn4j.testing.PygFixture;
import org.junit.jupiter.api.Test;

/**
 * The explain-bashapes classifier's training against PyG 2.6.1's (fixture
 * {@code bashapes_gcn_training}, written by {@code bashapes_training_fixture.py}): started from
 * the initial weights PyG draws for seed 0, gnn4j's training must follow PyG's loss epoch by
 * epoch and end at PyG's weights and predictions. With this and {@link GnnExplainerPygTest},
 * the two sides of the benchmark differ only in their random draws (initial weights and masks).
 */
class BaShapesTrainingPygTest {
  private final Context ctx = Context.builder().threads(1).seed(0).build();

  @Test
  void trainsAsPygFromTheSameInitialWeights() {
    PygFixture fx = PygFixture.load("bashapes_gcn_training");
    assertEquals("{\"epochs\": 2000, \"lr\": 0.001, \"weight_decay\": 0.005}",
        fx.metadata().get("kwargs"));
    BaShapes data = BaShapes.reference();
    BaShapesRun.Config cfg = BaShapesRun.Config.defaults();
    GraphModel model = BaShapesRun.model(ctx, cfg, new SplittableRandom(0));
    for (var p : model.namedParameters().entrySet()) {
      float[] init = fx.floats("init." + p.getKey());
      System.arraycopy(init, 0, p.getValue().data(), 0, init.length);
    }
    ModelInput in = ModelInput.of(ctx.ones(data.numNodes(), cfg.features()), Graph.of(data.edges()));
    List<Double> losses = new ArrayList<>();
    BaShapesRun.train(model, in, data, cfg, losses::add);
    float[] loss = new float[losses.size()];
    for (int i = 0; i < loss.length; i++) loss[i] = losses.get(i).floatValue();
    OpAssert.assertClose("training loss per epoch", fx.floats("loss"), loss, 1e-4, 1e-4);
    for (var p : model.namedParameters().entrySet()) {
      OpAssert.assertClose("trained " + p.getKey(), fx.floats("param." + p.getKey()),
          p.getValue().data(), 1e-3, 1e-3);
    }
    int[] pred = new int[data.numNodes()];
    try (var s = ctx.noGrad()) {
      Tensor logits = model.forward(in);
      for (int i = 0; i < pred.length; i++) {
        float[] row = new float[logits.dim(1)];
        System.arraycopy(logits.data(), i * row.length, row, 0, row.length);
        pred[i] = Explainable.argmax(row);
      }
    }
    assertArrayEquals(fx.ints("pred"), pred, "predictions of the trained model");
  }
}
