package org.gnn4j.train;

import java.util.Locale;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelSpec;

/**
 * The checks of a {@code model:} section that need the data: a graph readout (graph token,
 * GN globals) on a node-level task, or a Laplacian encoding wider than the smallest graph has
 * eigenvectors. Each is one config error naming the key, its line and what is valid, before a
 * model is built.
 */
final class ModelDataChecks {
  private ModelDataChecks() {}

  /**
   * @param model the config's {@code model} section
   * @throws org.gnn4j.io.Gnn4jConfigException for the first option the data does not allow
   */
  static void check(ConfigNode model, ModelSpec spec, Task<GraphModel> task) {
    GraphModel.DataShape shape = DatasetSpec.shapeOf(task);
    String level = task instanceof MaskedNodeTask ? "node-level (masked node pre-training)"
        : "node-level (node classification)";
    if (!shape.graphLevel() && spec.options().graphToken()) {
      throw model.error("graph_token", "a graph token is read out for graph-level tasks, and this"
          + " task is " + level + " (remove graph_token; valid with graph classification or"
          + " regression datasets)");
    }
    ModelSpec.Pooling p = spec.pooling();
    if (!shape.graphLevel() && (p == ModelSpec.Pooling.TOKEN || p == ModelSpec.Pooling.GLOBALS)) {
      throw model.error("pooling", "'" + p.name().toLowerCase(Locale.ROOT) + "' is a graph"
          + " readout, and this task is " + level + " (valid here: none)");
    }
    if (spec.pe() == ModelSpec.Pe.LAP && task instanceof GraphTask g) {
      GraphDataset data = g.data();
      int[] start = data.nodeStart();
      int smallest = 0;
      for (int i = 1; i < data.numGraphs(); i++) {
        if (start[i + 1] - start[i] < start[smallest + 1] - start[smallest]) smallest = i;
      }
      int n = data.numGraphs() == 0 ? Integer.MAX_VALUE : start[smallest + 1] - start[smallest];
      if (spec.peK() > n) {
        throw model.section("encoder").error("pe_k", "Laplacian encodings of " + spec.peK()
            + " eigenvectors, and graph " + smallest + " of " + data.name() + " has only " + n
            + " nodes, so " + n + " eigenvectors at most (valid pe_k: 1 to " + n + ", the"
            + " smallest graph's node count; or pe: rwse, which any graph allows)");
      }
    }
  }
}
