package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.explain.AttentionExplanation;
import org.gnn4j.explain.Explainable;
import org.gnn4j.explain.Explanation;
import org.gnn4j.explain.Fidelity;
import org.gnn4j.explain.GnnExplainer;
import org.gnn4j.explain.IntegratedGradients;
import org.gnn4j.explain.Saliency;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.train.GraphTask;
import org.gnn4j.train.NodeClassificationTask;

/**
 * {@code gnn4j explain}: why a trained model predicts what it does for one node or one graph.
 * Runs an explainer (GNNExplainer, gradient saliency, integrated gradients, or GAT attention)
 * and writes into a new directory {@code edges.csv} (every edge with non-zero importance, most
 * important first), {@code features.csv} and {@code nodes.csv} (feature importance summed over
 * nodes, and over features), and {@code explanation.png}; prints one JSON line with the
 * prediction and the fidelity of the explanation.
 */
final class ExplainCommand {
  private static final List<String> METHODS = List.of("gnnexplainer", "saliency", "ig", "attention");

  private ExplainCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("explain", argv, 1);
    String ckpt = a.option("checkpoint", null, "model checkpoint written by train");
    String node = a.option("node", null, "node whose prediction to explain (node-level models)");
    String graph = a.option("graph", null, "graph whose prediction to explain (graph-level models)");
    String method = a.option("method", "gnnexplainer", "explainer: " + String.join(", ", METHODS));
    String dir = a.option("out", null, "new or empty output directory");
    String data = a.option("data", null, "dataset directory (default: the training data)");
    int epochs = a.intOption("epochs", 200, "GNNExplainer optimisation steps");
    int steps = a.intOption("steps", 50, "integrated-gradients path points");
    int seed = a.intOption("seed", 0, "seed of GNNExplainer's initial masks");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j explain --checkpoint FILE (--node V | --graph I) [--method M] --out DIR");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null || dir == null) throw new CliException("explain: --checkpoint FILE and --out DIR are required");
    if ((node == null) == (graph == null)) {
      throw new CliException("explain: give exactly one of --node V (node-level models) or --graph I (graph-level models)");
    }
    if (!METHODS.contains(method)) {
      throw new CliException("explain: unknown --method '" + method + "' (valid: " + String.join(", ", METHODS) + ")");
    }
    int id = parseId(node != null ? "--node" : "--graph", node != null ? node : graph);
    Path outDir = Path.of(dir);
    OutputPaths.requireNewOrEmptyDirectory("explain", "--out", outDir);
    OutputPaths.refuseInputs("explain", "--out", outDir, Path.of(ckpt), data == null ? null : Path.of(data));
    EvalCommand.Loaded l = EvalCommand.load(Path.of(ckpt), data, threads);
    try (var ctx = l.ctx()) {
      if (!(l.model() instanceof GraphModel model)) {
        throw new CliException("explain: heterogeneous models are not supported (explain a homogeneous model)");
      }
      // attention is one inference pass: on the whole graph, where every weight is exact
      Explainable e = explainable(l, model, node != null, id, !method.equals("attention"));
      Explanation x = switch (method) {
        case "gnnexplainer" -> new GnnExplainer(new GnnExplainer.Config(epochs, 0.01f, 0.005f, 1f, 1f, 0.1f))
            .explain(e, new SplittableRandom(seed));
        case "saliency" -> Saliency.explain(e);
        case "ig" -> IntegratedGradients.explain(e, steps);
        default -> AttentionExplanation.explain(e);
      };
      EdgeIndex edges = inputOf(l, model, node != null, id).graph().edges();
      write(outDir, edges, x, e, method);
      JsonLine line = new JsonLine().put("method", method).put(node != null ? "node" : "graph", id)
          .put("predicted", e.predicted());
      if (Fidelity.applies(e, x)) {
        Fidelity f = Fidelity.of(e, x);
        line.put("fidelity_plus", f.complementChanged() ? 1 : 0).put("fidelity_minus", f.explanationChanged() ? 1 : 0);
      }
      out.println(line.put("edges_with_importance", count(x.edgeMask())).put("out", dir));
    }
    return 0;
  }

  private static int parseId(String option, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException ex) {
      throw new CliException("explain: " + option + " must be an integer id (got '" + v + "')");
    }
  }

  private static ModelInput inputOf(EvalCommand.Loaded l, GraphModel model, boolean nodeLevel, int id) {
    if (nodeLevel) {
      if (!(l.task() instanceof NodeClassificationTask t)) {
        throw new CliException("explain: --node needs a node-level model; this checkpoint predicts whole graphs (use --graph)");
      }
      return t.input();
    }
    if (!(l.task() instanceof GraphTask t)) {
      throw new CliException("explain: --graph needs a graph-level model; this checkpoint predicts nodes (use --node)");
    }
    return t.inputOf(id);
  }

  private static Explainable explainable(EvalCommand.Loaded l, GraphModel model, boolean nodeLevel,
                                        int id, boolean restrict) {
    ModelInput in = inputOf(l, model, nodeLevel, id);
    if (nodeLevel) return Explainable.node(model, in, id, restrict, false);
    boolean regression = ((GraphTask) l.task()).data().isRegression();
    return Explainable.graph(model, in, id, regression);
  }

  private static void write(Path dir, EdgeIndex edges, Explanation x, Explainable e, String method) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException ex) {
      throw new CliException("explain: cannot create " + dir + " (" + ex.getMessage() + ")");
    }
    float[] em = x.edgeMask();
    if (em != null) {
      List<Integer> order = new ArrayList<>();
      for (int k = 0; k < em.length; k++) if (em[k] != 0f) order.add(k);
      order.sort((p, q) -> Float.compare(Math.abs(em[q]), Math.abs(em[p])));
      StringBuilder csv = new StringBuilder("edge,src,dst,importance\n");
      for (int k : order) {
        csv.append(k).append(',').append(edges.src()[k]).append(',').append(edges.dst()[k]).append(',')
            .append(String.format(Locale.ROOT, "%.6g", em[k])).append('\n');
      }
      PredictCommand.writeAtomically(dir.resolve("edges.csv"), csv.toString());
      String what = e.nodeLevel() ? "node " + e.id() : "graph " + e.id();
      String pred = e.regression() ? "" : ", predicted class " + e.predicted();
      ExplanationPicture.write(dir.resolve("explanation.png"), edges, em, e.nodeLevel() ? e.id() : -1,
          method + ": " + what + pred);
    }
    float[] feats = x.featureImportance();
    if (feats != null) {
      StringBuilder csv = new StringBuilder("feature,importance\n");
      for (int c = 0; c < feats.length; c++) csv.append(c).append(',').append(String.format(Locale.ROOT, "%.6g", feats[c])).append('\n');
      PredictCommand.writeAtomically(dir.resolve("features.csv"), csv.toString());
      float[] nodes = x.nodeImportance();
      StringBuilder nc = new StringBuilder("node,importance\n");
      for (int i = 0; i < nodes.length; i++) {
        if (nodes[i] != 0f) nc.append(i).append(',').append(String.format(Locale.ROOT, "%.6g", nodes[i])).append('\n');
      }
      PredictCommand.writeAtomically(dir.resolve("nodes.csv"), nc.toString());
    }
  }

  private static int count(float[] v) {
    if (v == null) return 0;
    int n = 0;
    for (float f : v) if (f != 0f) n++;
    return n;
  }
}
