package org.gnn4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.data.InteractionDataset;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;
import org.gnn4j.model.GraphModel;
import org.gnn4j.nn.models.LightGcn;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.gnn4j.train.GraphTask;
import org.gnn4j.train.NodeClassificationTask;
import org.gnn4j.train.RecommendationTask;

/**
 * {@code gnn4j embed}: writes a trained model's vector for every node (or every graph of a
 * graph-level model), for vector search and other downstream use. Which vectors: a LightGCN
 * checkpoint gives the final embeddings it scores with (users, then items); a node or graph
 * model gives what its prediction head reads ({@link GraphModel#representations}: for Kipf's
 * GCN with {@code head: conv}, the hidden layer the output layer reads). A CSV file has a header
 * and one row per node ({@code id} first; LightGCN adds {@code type} and the original
 * {@code original_id}); a {@code .safetensors} file holds {@code embeddings} [rows, D] (F32)
 * and, for LightGCN, {@code user_ids} and {@code item_ids} (I64). The output never names an
 * input and an existing file is only replaced with {@code --force}.
 */
final class EmbedCommand {
  private EmbedCommand() {}

  /** The vectors and how rows are named. */
  private record Rows(float[] vectors, int rows, int dim, String what, InteractionDataset interactions) {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("embed", argv, 1);
    String ckpt = a.option("checkpoint", null, "model checkpoint written by train");
    String file = a.option("out", null, "output file: .csv, or .safetensors");
    String data = a.option("data", null, "dataset directory to embed (default: the training data)");
    boolean force = a.flag("force", "replace --out if it exists");
    int threads = a.threadsOption(err);
    if (a.wantsHelp()) {
      out.println("usage: gnn4j embed --checkpoint FILE --out FILE.csv|FILE.safetensors [--data DIR] [--force]");
      out.print(a.usage());
      return 0;
    }
    a.checkNoUnknown();
    if (ckpt == null || file == null) throw new CliException("embed: --checkpoint FILE and --out FILE are required");
    Path target = Path.of(file);
    OutputPaths.refuseInputs("embed", "--out", target, Path.of(ckpt), data == null ? null : Path.of(data));
    if (Files.exists(target) && !force) {
      throw new CliException("embed: --out " + file + " exists; add --force to replace it, or choose another path");
    }
    if (Files.isDirectory(target)) throw new CliException("embed: --out " + file + " is a directory; expected a file");
    EvalCommand.Loaded l = EvalCommand.load(Path.of(ckpt), data, threads);
    OutputPaths.refuseInputs("embed", "--out", target, l.exp().dataset().directory());
    Rows r;
    try (Context ctx = l.ctx()) {
      r = vectors(l);
    }
    err.println("gnn4j: embedding " + l.dataDescription() + ": " + r.what());
    boolean st = file.endsWith(".safetensors");
    write(target, o -> {
      if (st) writeSafetensors(o, r, ckpt);
      else writeCsv(o, r);
    });
    out.println(new JsonLine().put("out", file).put("rows", r.rows()).put("dim", r.dim())
        .put("format", st ? "safetensors" : "csv").put("vectors", r.what()));
    return 0;
  }

  private static Rows vectors(EvalCommand.Loaded l) {
    if (l.task() instanceof RecommendationTask t) {
      Tensor e = t.embeddings((LightGcn) l.model());
      return new Rows(e.data(), e.dim(0), e.dim(1), "LightGCN final embeddings (mean of the layer"
          + " outputs), users then items", t.data());
    }
    if (l.task() instanceof NodeClassificationTask t) {
      GraphModel m = (GraphModel) l.model();
      m.train(false);
      try (var g = l.ctx().noGrad()) {
        Tensor h = m.representations(t.input());
        return new Rows(h.data(), h.dim(0), h.dim(1), headInput(m) + ", one row per node", null);
      }
    }
    if (l.task() instanceof GraphTask t) {
      GraphModel m = (GraphModel) l.model();
      int count = t.data().numGraphs();
      List<float[]> chunks = new ArrayList<>();
      int dim = 0;
      for (int from = 0; from < count; from += 1024) {
        int[] ids = java.util.stream.IntStream.range(from, Math.min(count, from + 1024)).toArray();
        float[] v = t.representations(m, ids);
        dim = v.length / ids.length;
        chunks.add(v);
      }
      float[] all = new float[count * dim];
      int at = 0;
      for (float[] c : chunks) {
        System.arraycopy(c, 0, all, at, c.length);
        at += c.length;
      }
      return new Rows(all, count, dim, headInput(m) + ", pooled: one row per graph", null);
    }
    throw new CliException("embed: " + l.exp().dataset().describe() + " is heterogeneous; embed"
        + " writes node and graph models and LightGCN, not heterogeneous models yet");
  }

  private static String headInput(GraphModel m) {
    int layers = m.spec().layers();
    if (m.spec().head() != org.gnn4j.model.ModelSpec.Head.CONV) return "the input of the MLP head, after the last layer";
    return layers == 1 ? "the input of the output layer: the encoded node features (the model has one layer)"
        : "the input of the output layer " + (layers - 1) + ": layer " + (layers - 2) + "'s output after its activation";
  }

  private static void writeCsv(OutputStream o, Rows r) throws IOException {
    StringBuilder sb = new StringBuilder(r.interactions() != null ? "id,type,original_id" : "id");
    for (int c = 0; c < r.dim(); c++) sb.append(",e").append(c);
    sb.append('\n');
    InteractionDataset d = r.interactions();
    for (int i = 0; i < r.rows(); i++) {
      sb.append(i);
      if (d != null) {
        boolean user = i < d.numUsers();
        sb.append(user ? ",user," : ",item,").append(user ? d.userId(i) : d.itemId(i - d.numUsers()));
      }
      for (int c = 0; c < r.dim(); c++) sb.append(',').append(r.vectors()[i * r.dim() + c]);
      sb.append('\n');
      if (sb.length() > 1 << 16) {
        o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        sb.setLength(0);
      }
    }
    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void writeSafetensors(OutputStream o, Rows r, String ckpt) throws IOException {
    List<Safetensors.Entry> entries = new ArrayList<>();
    entries.add(new Safetensors.Entry("embeddings", "F32", new int[] {r.rows(), r.dim()}, r.vectors(), null));
    InteractionDataset d = r.interactions();
    if (d != null) {
      long[] users = new long[d.numUsers()];
      for (int u = 0; u < users.length; u++) users[u] = d.userId(u);
      long[] items = new long[d.numItems()];
      for (int i = 0; i < items.length; i++) items[i] = d.itemId(i);
      entries.add(new Safetensors.Entry("user_ids", "I64", new int[] {users.length}, null, users));
      entries.add(new Safetensors.Entry("item_ids", "I64", new int[] {items.length}, null, items));
    }
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("checkpoint", ckpt);
    meta.put("vectors", r.what());
    if (d != null) meta.put("rows", "embeddings row k: user k for k < " + d.numUsers() + ", else item k - " + d.numUsers());
    SafetensorsWriter.write(o, entries, meta);
  }

  /** The one atomic write of the codebase ({@link AtomicFiles}): no half-written output. */
  private static void write(Path target, AtomicFiles.Body body) {
    try {
      Path dir = target.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      AtomicFiles.write(target, body);
    } catch (IOException e) {
      throw new CliException("cannot write " + target + " (" + IoErrors.reason(e) + ")");
    }
  }
}
