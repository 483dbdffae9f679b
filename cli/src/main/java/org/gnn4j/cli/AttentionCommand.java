package org.gnn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.data.DataSource;
import org.gnn4j.io.Json;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelAttention;
import org.gnn4j.model.ModelInput;
import org.gnn4j.nn.AttentionRecorder;
import org.gnn4j.nn.AttentionWeights;
import org.gnn4j.tensor.Context;
import org.gnn4j.train.GraphTask;
import org.gnn4j.train.NodeClassificationTask;

/**
 * {@code gnn4j attention}: what a trained model attends to. Rebuilds a checkpoint's model as
 * {@code eval} does, runs it once with attention recording on the asked layers, and writes to a
 * new directory {@code attention.csv} (source, target, layer, head, weight) and pictures: for
 * {@code --node V} a drawing of V's neighbourhood with the weights on its edges; for
 * {@code --graph I} a heat map of the attention matrix and a drawing of the graph
 * ({@link AttentionPictures}). Bad ids, layers or heads are one line naming what is valid.
 */
final class AttentionCommand {
  private AttentionCommand() {}

  /** The parsed and checked request. */
  record Request(Path checkpoint, Integer graph, Integer node, Integer layer, Integer head,
                 Path out, int hops) {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("attention", argv, 1);
    String ckpt = a.option("checkpoint", null, "model checkpoint written by train");
    String graph = a.option("graph", null, "graph id (graph datasets): its attention matrix and drawing");
    String node = a.option("node", null, "node id (node datasets): attention in its neighbourhood");
    String layer = a.option("layer", null, "attention layer index (default: every attention layer)");
    String head = a.option("head", null, "head to draw (default: the mean over heads; the CSV has all)");
    String dir = a.option("out", null, "new or empty directory for attention.csv and the PNGs");
    String data = a.option("data", null, "dataset directory (default: the data the checkpoint names)");
    int hops = a.intOption("hops", 2, "neighbourhood radius drawn around --node");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j attention --checkpoint FILE (--graph I | --node V) [--layer L]"
          + " [--head H] --out DIR");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null || dir == null) {
      throw new CliException("attention: --checkpoint FILE and --out DIR are required");
    }
    if ((graph == null) == (node == null)) {
      throw new CliException("attention: give exactly one of --graph I (graph datasets) and"
          + " --node V (node datasets)");
    }
    if (hops < 1) throw new CliException("attention: --hops must be >= 1 (got " + hops + ")");
    Request req = new Request(Path.of(ckpt), integer("--graph", graph), integer("--node", node),
        integer("--layer", layer), integer("--head", head), Path.of(dir), hops);
    OutputPaths.refuseInputs("attention", "--out", req.out(), req.checkpoint(),
        data == null ? null : Path.of(data));
    OutputPaths.requireNewOrEmptyDirectory("attention", "--out", req.out());
    EvalCommand.Loaded l = EvalCommand.load(req.checkpoint(), data, threads);
    try (Context ctx = l.ctx()) {
      if (!(l.model() instanceof GraphModel model)) {
        throw new CliException("attention: " + ckpt + " holds a heterogeneous model; attention"
            + " maps are drawn for homogeneous models only");
      }
      List<Integer> layers = layers(req, model, ckpt);
      ModelInput input = input(req, l);
      ModelAttention.Recorded rec = ModelAttention.record(ctx, model, input, layers,
          AttentionRecorder.DEFAULT_MAX_WEIGHTS);
      checkHead(req, rec.attention());
      err.println("gnn4j: read attention on " + l.dataDescription());
      String source = data != null ? data : l.exp().dataset().directory() != null
          ? l.exp().dataset().directory().toString() : l.exp().dataset().name();
      AttentionPictures pictures = new AttentionPictures(req, l.exp().dataset().describe(),
          nodeLabelNames(source), input, rec, err);
      List<String> files = new ArrayList<>();
      int rows = pictures.writeAll(files);
      out.println(new JsonLine().put("out", dir).put("rows", rows)
          .put("files", String.join(" ", files)));
    }
    return 0;
  }

  private static Integer integer(String option, String value) {
    if (value == null) return null;
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new CliException("attention: " + option + " must be an integer (got '" + value + "')");
    }
  }

  private static List<Integer> layers(Request req, GraphModel model, String ckpt) {
    List<Integer> att = ModelAttention.attentionLayers(model);
    if (att.isEmpty()) {
      throw new CliException("attention: the model in " + ckpt + " (layer: "
          + model.spec().layer().toString().toLowerCase(Locale.ROOT) + ") has no attention"
          + " layers; attention is recorded for gat, gatv2, transformer, gps_gin, gps_gine,"
          + " gps_resgated (multihead), graph_transformer, graphormer and transformer_encoder");
    }
    if (req.layer() == null) return att;
    if (!att.contains(req.layer())) {
      throw new CliException("attention: --layer " + req.layer() + " is not an attention layer"
          + " of this model (valid: " + join(att) + "; the model has " + model.layers().size()
          + " layers)");
    }
    return List.of(req.layer());
  }

  private static ModelInput input(Request req, EvalCommand.Loaded l) {
    if (l.task() instanceof NodeClassificationTask nt) {
      int n = nt.input().graph().numNodes();
      if (req.node() == null) {
        throw new CliException("attention: --graph is for graph datasets; this checkpoint's data"
            + " is one graph of " + n + " nodes: give --node V with V in 0.." + (n - 1));
      }
      if (req.node() < 0 || req.node() >= n) {
        throw new CliException("attention: --node " + req.node() + " is outside the data"
            + " (valid: 0.." + (n - 1) + ")");
      }
      return nt.input();
    }
    if (l.task() instanceof GraphTask gt) {
      int g = gt.data().numGraphs();
      if (req.graph() == null) {
        throw new CliException("attention: --node is for node datasets; this checkpoint's data"
            + " has " + g + " graphs: give --graph I with I in 0.." + (g - 1));
      }
      if (req.graph() < 0 || req.graph() >= g) {
        throw new CliException("attention: --graph " + req.graph() + " is outside the data"
            + " (valid: 0.." + (g - 1) + ")");
      }
      return gt.inputOf(req.graph());
    }
    throw new CliException("attention: the checkpoint's task is not node or graph"
        + " classification/regression (" + l.task().getClass().getSimpleName() + ")");
  }

  /**
   * --head must exist in the asked layer, or without --layer in at least one recorded layer
   * (layers with fewer heads, like an averaged output layer, are then not drawn).
   */
  private static void checkHead(Request req, List<AttentionWeights> recorded) {
    if (req.head() == null) return;
    StringBuilder heads = new StringBuilder();
    for (AttentionWeights w : recorded) {
      if (req.head() >= 0 && req.head() < w.heads()) return;
      heads.append(heads.length() == 0 ? "" : ", ").append("layer ").append(w.layer())
          .append(" has ").append(w.heads()).append(w.heads() == 1 ? " head" : " heads");
    }
    throw new CliException("attention: --head " + req.head() + " does not exist (" + heads
        + "; heads count from 0)");
  }

  /** The dataset's {@code node_label_names} from its meta.json, or null when it has none. */
  static List<String> nodeLabelNames(String dirOrName) {
    try {
      DataSource src = DataSource.resolve(dirOrName);
      if (!src.has("meta.json")) return null;
      String text;
      try (var in = src.open("meta.json")) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (Json.parse(text, src.describe("meta.json")) instanceof Map<?, ?> m
          && m.get("node_label_names") instanceof List<?> names) {
        List<String> out = new ArrayList<>();
        for (Object o : names) out.add(String.valueOf(o));
        return out;
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return null;   // names only label the legend; the pictures are right without them
    }
  }

  private static String join(List<Integer> xs) {
    StringBuilder b = new StringBuilder();
    for (int x : xs) b.append(b.length() == 0 ? "" : ", ").append(x);
    return b.toString();
  }
}
