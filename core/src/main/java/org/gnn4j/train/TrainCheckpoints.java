package org.gnn4j.train;

import java.nio.file.Path;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.optim.Optimizer;

/** WIP: replaced once Checkpoint lands. */
public final class TrainCheckpoints {
  private TrainCheckpoints() {}

  static boolean exists(Path runDir) {
    return false;
  }

  static Trainer.TrainState load(Path runDir, GraphModel model, Optimizer opt) {
    throw new UnsupportedOperationException();
  }

  static void save(Path runDir, GraphModel model, Optimizer opt, Trainer.TrainState state) {}

  public static void saveModel(Path file, GraphModel model, ConfigNode config, Map<String, Double> metrics) {}

  public static ConfigNode readConfig(Path file) {
    throw new UnsupportedOperationException();
  }

  public static void loadWeights(Path file, GraphModel model) {
    throw new UnsupportedOperationException();
  }
}
