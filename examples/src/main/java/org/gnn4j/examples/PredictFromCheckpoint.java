package org.gnn4j.examples;

import java.nio.file.Path;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.LoadedModel;

/**
 * Opens a trained {@code model.ckpt} as a {@link LoadedModel} (eval mode, no gradients, safe to
 * call from many threads) and predicts the classes of the nodes of a new graph built in code:
 * the karate club model of {@link TrainAndSave} applied to a small club of six members (features:
 * the one-hot member ids the model was trained on).
 */
public final class PredictFromCheckpoint {
  private PredictFromCheckpoint() {}

  /** The predicted class of every node of a six-member club (a ring with one chord). */
  public static int[] run(Path checkpoint) {
    // A service opens the model once and serves many calls, each caller thread with a request
    // context of its own for its inputs; here, one call.
    try (LoadedModel model = LoadedModel.open(checkpoint, 2);
         Context request = model.requestContext(1)) {
      int n = 6;
      // undirected edges, both directions: 0-1-2-3-4-5-0 and 0-3
      int[] src = {0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 0, 0, 3};
      int[] dst = {1, 0, 2, 1, 3, 2, 4, 3, 5, 4, 0, 5, 3, 0};
      Graph graph = Graph.of(src, dst, n);
      int features = model.model().shape().numFeatures();
      float[] x = new float[n * features];
      for (int i = 0; i < n; i++) x[i * features + i] = 1;        // member i's one-hot id
      Tensor logits = model.predict(ModelInput.of(request.tensor(x, n, features), graph));
      int k = logits.dim(1);
      int[] cls = new int[n];
      for (int i = 0; i < n; i++) {
        for (int c = 1; c < k; c++) if (logits.get(i, c) > logits.get(i, cls[i])) cls[i] = c;
      }
      return cls;
    }
  }

  public static void main(String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "karate-model.ckpt");
    System.out.println(java.util.Arrays.toString(run(file)));
  }
}
