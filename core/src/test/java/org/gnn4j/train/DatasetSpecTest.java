package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSpecTest {
  @Test
  void tuRawDirectoryTrainsWithCrossValidationFolds(@TempDir Path dir) throws IOException {
    // six two-node graphs, classes 1,1,1,2,2,2 (ranked to 0/1), node labels 5/6 (shifted to 0/1)
    StringBuilder a = new StringBuilder();
    StringBuilder ind = new StringBuilder();
    StringBuilder nl = new StringBuilder();
    for (int g = 0; g < 6; g++) {
      int u = 2 * g + 1;
      a.append(u).append(", ").append(u + 1).append('\n').append(u + 1).append(", ").append(u).append('\n');
      ind.append(g + 1).append('\n').append(g + 1).append('\n');
      nl.append(g < 3 ? "5\n5\n" : "6\n5\n");
    }
    Files.writeString(dir.resolve("TOY_A.txt"), a);
    Files.writeString(dir.resolve("TOY_graph_indicator.txt"), ind);
    Files.writeString(dir.resolve("TOY_node_labels.txt"), nl);
    Files.writeString(dir.resolve("TOY_graph_labels.txt"), "1\n1\n1\n2\n2\n2\n");
    String yaml = """
        dataset: {dir: "%s", folds: 3, fold: 0}
        model: {layer: gin, layers: 1, hidden: 4, encoder: {node: linear}, pooling: mean}
        optim: {lr: 0.01}
        train: {epochs: 1, batch_size: 4}
        """.formatted(dir.toString().replace("\\", "/"));
    Experiment exp = Experiment.of(ConfigNode.parse(yaml, "t.yaml"));
    try (Context ctx = Context.builder().threads(1).seed(1).build()) {
      Task<GraphModel> task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, 1);
      Map<String, Double> m = new Trainer(model, task, exp.optimizer(model), 1,
          exp.trainerOptions(null, false)).fit().metrics();
      assertTrue(Double.isFinite(m.get("train_loss")), m.toString());
    }
  }
}
