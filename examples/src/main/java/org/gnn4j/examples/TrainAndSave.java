package org.gnn4j.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.TrainCheckpoints;
import org.gnn4j.train.Trainer;

/**
 * Builds a two-layer GCN in code (no config file), trains it on the embedded karate club
 * dataset and saves it as a {@code model.ckpt} that {@code gnn4j eval}/{@code predict} and
 * {@link PredictFromCheckpoint} read. The model section is written inline, so the checkpoint
 * carries the description the model is rebuilt from.
 */
public final class TrainAndSave {
  private TrainAndSave() {}

  /** The whole run as written into the checkpoint: data, model, training. */
  static final String CONFIG = """
      dataset: {name: karate}
      model: {layer: gcn, layers: 2, hidden: 16, head: {type: conv}}
      train: {epochs: 60, seed: 1}
      """;

  /**
   * Trains and writes {@code file}.
   *
   * @return the metrics of the selected epoch (train/val/test accuracy and loss)
   */
  public static Map<String, Double> run(Path file, int epochs) {
    ConfigNode config = ConfigNode.parse(CONFIG, "TrainAndSave.CONFIG");
    long seed = 1;
    try (Context ctx = Context.builder().threads(2).seed(seed).build()) {
      var task = new NodeClassificationTask(ctx, NodeDatasetReader.karate(), null);
      ModelSpec spec = ModelSpec.from(config.section("model"));
      GraphModel model = new GraphModel(ctx, spec, task.shape(), new SplittableRandom(seed));
      var adam = new Adam(model.parameters(), Adam.Config.of(0.01f, 5e-4f));
      Trainer.Result result = new Trainer(model, task, adam, seed, Trainer.Options.of(epochs)).fit();
      TrainCheckpoints.saveModel(file, model, config, result.metrics());
      return result.metrics();
    }
  }

  public static void main(String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "karate-model.ckpt");
    System.out.println(run(file, 60) + " -> " + file);
  }
}
