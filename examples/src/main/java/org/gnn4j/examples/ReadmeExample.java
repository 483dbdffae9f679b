package org.gnn4j.examples;

import java.nio.file.Path;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.TrainCheckpoints;

/**
 * The example of the README's "Use from Java" section, kept here so it is compiled and run by
 * the tests: load a trained model and classify the nodes of a graph.
 */
public final class ReadmeExample {
  private ReadmeExample() {}

  // README:BEGIN
  public static int[] run(Path checkpoint) {
    try (Context ctx = Context.builder().threads(4).build()) {
      GraphModel model = TrainCheckpoints.loadGraphModel(checkpoint, ctx);   // eval mode
      NodeDataset club = NodeDatasetReader.karate();        // or your own edges and features
      Graph graph = Graph.of(club.edges());
      Tensor x = ctx.tensor(club.x(), club.numNodes(), club.numFeatures());
      try (var inference = ctx.noGrad()) {                  // no autograd bookkeeping
        Tensor logits = model.forward(ModelInput.of(x, graph));   // [N, classes]
        int[] cls = new int[logits.dim(0)];
        for (int i = 0; i < cls.length; i++) {
          for (int c = 1; c < logits.dim(1); c++) {
            if (logits.get(i, c) > logits.get(i, cls[i])) cls[i] = c;
          }
        }
        return cls;
      }
    }
  }
  // README:END

  public static void main(String[] args) {
    System.out.println(java.util.Arrays.toString(run(Path.of(args[0]))));
  }
}
