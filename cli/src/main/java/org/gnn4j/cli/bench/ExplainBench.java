package org.gnn4j.cli.bench;

import java.io.PrintStream;
import java.util.Arrays;
import org.gnn4j.cli.Args;
import org.gnn4j.cli.CliException;
import org.gnn4j.explain.BaShapes;
import org.gnn4j.explain.BaShapesRun;
import org.gnn4j.explain.GnnExplainer;
import org.gnn4j.tensor.Context;

/**
 * {@code gnn4j bench --task explain-bashapes}: the shared benchmark's GNNExplainer task (train
 * the GCN on BA-Shapes, explain its 60 chosen nodes, score the explanations), one JSON line
 * with the names PyG's side prints. Seed 0 runs on PyG's reference graph (the figure of
 * record); other seeds, or {@code --graph generated}, on a graph generated for the seed.
 */
public final class ExplainBench {
  private ExplainBench() {}

  public static int run(String[] argv, PrintStream out, PrintStream err) {
    long wall0 = System.nanoTime();
    Args a = new Args("bench", argv, 1);
    String task = a.option("task", null, "task: explain-bashapes");
    int seed = a.intOption("seed", 0, "seed: model init and explainer masks; seed 0 uses the reference graph");
    int epochs = a.intOption("epochs", 2000, "training epochs");
    int explainerEpochs = a.intOption("explainer-epochs", 200, "GNNExplainer steps per node");
    String graph = a.option("graph", null, "reference (PyG's seed-0 graph; default for seed 0) or generated (a graph generated for the seed; default otherwise)");
    boolean whole = a.flag("whole-graph", "run the explainer on the whole graph instead of each node's computation subgraph");
    String picture = a.option("picture", null, "also draw the explanation of the first explained node into this PNG");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j bench --task explain-bashapes [--seed N] [options]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (!"explain-bashapes".equals(task)) {
      throw new CliException("bench: unknown --task '" + task + "' (valid: explain-bashapes)");
    }
    if (epochs < 1 || explainerEpochs < 1) {
      throw new CliException("bench: --epochs and --explainer-epochs must be >= 1 (got " + epochs
          + ", " + explainerEpochs + ")");
    }
    if (graph != null && !graph.equals("reference") && !graph.equals("generated")) {
      throw new CliException("bench: unknown --graph '" + graph + "' (valid: reference, generated)");
    }
    boolean reference = graph == null ? seed == 0 : graph.equals("reference");
    BaShapes data = reference ? BaShapes.reference() : BaShapes.generate(seed);
    GnnExplainer.Config d = GnnExplainer.Config.defaults();
    BaShapesRun.Config cfg = new BaShapesRun.Config(epochs, 0.001f, 0.005f, 20, 10,
        new GnnExplainer.Config(explainerEpochs, d.lr(), d.edgeSize(), d.edgeEnt(), d.featSize(),
            d.featEnt()), !whole);
    BaShapesRun.Result r;
    try (Context ctx = Context.builder().threads(threads).seed(seed).build()) {
      r = BaShapesRun.run(ctx, data, cfg, seed);
    }
    if (picture != null) {
      org.gnn4j.explain.Explanation first = r.explanations().get(0);
      org.gnn4j.cli.ExplanationPicture.write(java.nio.file.Path.of(picture), data.edges(), first.edgeMask(),
          first.id(), "GNNExplainer on BA-Shapes: node " + first.id() + " (class " + data.y()[first.id()]
              + "), predicted " + first.predicted(), data.y());
    }
    double trainS = Arrays.stream(r.epochMillis()).sum() / 1e3;
    double explainS = Arrays.stream(r.nodeMillis()).sum() / 1e3;
    out.println(new JsonLine().put("task", task).put("seed", seed)
        .put("graph", reference ? "reference-seed0" : "generated-seed" + seed)
        .put("epochs", epochs).put("explainer_epochs", explainerEpochs).put("threads", threads)
        .put("status", "ok").put("train_accuracy", r.trainAccuracy())
        .put("test_accuracy", r.testAccuracy()).put("explanation_auc", r.explanationAuc())
        .put("explanation_auc_per_node_mean", r.explanationAucPerNodeMean())
        .put("ms_per_node", median(r.nodeMillis()))
        .put("ms_per_node_mean", Arrays.stream(r.nodeMillis()).average().orElse(Double.NaN))
        .put("fidelity_plus", r.fidelityPlus()).put("fidelity_minus", r.fidelityMinus())
        .put("nodes_explained", r.nodesExplained())
        .put("epoch_ms_median", median(r.epochMillis()))
        .put("restricted_to_computation_subgraph", !whole)
        .put("train_loop_s", trainS).put("explain_s", explainS)
        .put("wall_s", (System.nanoTime() - wall0) / 1e9));
    return 0;
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
