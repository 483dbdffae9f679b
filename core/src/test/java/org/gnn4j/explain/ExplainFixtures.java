package org.gnn4j.explain;

import java.util.SplittableRandom;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.tensor.Context;

/** Small models and graphs the explainer tests share. */
final class ExplainFixtures {
  private ExplainFixtures() {}

  /** A 12-node graph: a ring 0..9 with chords, plus an edge pair 10-11 far from node 0. */
  static Graph graph() {
    int[][] und = {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}, {6, 7}, {7, 8}, {8, 9}, {9, 0},
        {0, 5}, {2, 7}, {10, 11}};
    int[] src = new int[2 * und.length];
    int[] dst = new int[2 * und.length];
    for (int k = 0; k < und.length; k++) {
      src[2 * k] = und[k][0];
      dst[2 * k] = und[k][1];
      src[2 * k + 1] = und[k][1];
      dst[2 * k + 1] = und[k][0];
    }
    return Graph.of(src, dst, 12);
  }

  static ModelInput input(Context ctx, int features, long seed) {
    return ModelInput.of(ctx.randn(new SplittableRandom(seed), 12, features), graph());
  }

  /** A node classifier of {@code layers} layers of the given kind, widths 8, 3 classes. */
  static GraphModel model(Context ctx, ModelSpec.Layer layer, int layers, int features, long seed) {
    ModelSpec spec = new ModelSpec(layer, layers, 8, 1, 1, 0f, 0f, 0f, ModelSpec.Activation.RELU,
        false, ModelSpec.NormKind.NONE, ModelSpec.Encoder.NONE, ModelSpec.Encoder.NONE,
        ModelSpec.Pe.NONE, 8, 0, ModelSpec.Pooling.NONE, ModelSpec.Head.CONV, 1, null, null, org.gnn4j.model.ModelOptions.defaults());
    GraphModel m = new GraphModel(ctx, spec, new GraphModel.DataShape(features, 0, 0, 0, 3, false),
        new SplittableRandom(seed));
    m.train(false);
    return m;
  }

  /** A graph classifier: layers of the given kind, mean pooling, a linear head, 2 classes. */
  static GraphModel graphModel(Context ctx, ModelSpec.Layer layer, int features, long seed) {
    ModelSpec spec = new ModelSpec(layer, 2, 8, 1, 1, 0f, 0f, 0f, ModelSpec.Activation.RELU,
        false, ModelSpec.NormKind.NONE, ModelSpec.Encoder.NONE, ModelSpec.Encoder.NONE,
        ModelSpec.Pe.NONE, 8, 0, ModelSpec.Pooling.MEAN, ModelSpec.Head.MLP, 1, null, null, org.gnn4j.model.ModelOptions.defaults());
    GraphModel m = new GraphModel(ctx, spec, new GraphModel.DataShape(features, 0, 0, 0, 2, true),
        new SplittableRandom(seed));
    m.train(false);
    return m;
  }
}
