package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.io.Json;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.StateDict;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * {@code gnn4j pyg-check FILE.safetensors}: loads a PyG parity fixture (inputs, PyG parameters
 * by state_dict name, the PyG output and gradients), builds the layer its metadata names, runs
 * forward and backward with loss {@code (out * r).sum()}, and prints one JSON line with the
 * largest absolute and relative error of the output and of every gradient, and whether all are
 * within atol 1e-5 / rtol 1e-4.
 */
final class PygCheckCommand {
  private static final double ATOL = 1e-5;
  private static final double RTOL = 1e-4;

  private PygCheckCommand() {}

  @SuppressWarnings("unchecked")
  static int run(String[] argv, PrintStream out) {
    Args a = new Args("pyg-check", argv, 1);
    int threads = a.intOption("threads", 2, "worker threads");
    if (a.wantsHelp() || a.positional().size() != 1) {
      out.println("usage: gnn4j pyg-check FILE.safetensors [options]");
      out.print(a.usage());
      return a.wantsHelp() ? 0 : 2;
    }
    a.checkNoUnknown();
    Path file = Path.of(a.positional().get(0));
    if (!Files.isRegularFile(file)) throw new CliException("pyg-check: no such file: " + file);
    Safetensors st = Safetensors.read(file);
    Map<String, String> meta = st.metadata();
    String layer = meta.get("layer");
    if (layer == null || meta.get("kwargs") == null) {
      throw new CliException("pyg-check: " + file + " has no 'layer'/'kwargs' metadata (not a"
          + " pyg-parity-fixture)");
    }
    Map<String, Object> kwargs = (Map<String, Object>) Json.parse(meta.get("kwargs"), file + " kwargs");
    JsonLine line = new JsonLine().put("file", file.getFileName().toString()).put("layer", layer);
    try (Context ctx = Context.builder().threads(threads).build()) {
      GraphLayer l = build(ctx, layer, kwargs);
      List<String> unused = StateDict.load(l, st, "param.", file.toString());
      l.train("train".equals(meta.get("mode")));
      Tensor x = tensor(ctx, st, "x").requiresGrad(true);
      Tensor edgeAttr = st.has("edge_attr") ? tensor(ctx, st, "edge_attr").requiresGrad(true) : null;
      EdgeIndex edges = edges(st, x.dim(0));
      Graph graph = st.has("batch") ? Graph.fromBatchVector(edges, ints(st, "batch"))
          : Graph.of(edges);
      Tensor result = l.forward(x, graph, edgeAttr);
      Autograd.backward(result, st.get("r").floats());
      boolean ok = compare(line, "out", st, result.data());
      ok &= compare(line, "grad.x", st, x.gradArray());
      if (edgeAttr != null) ok &= compare(line, "grad.edge_attr", st, edgeAttr.gradArray());
      for (Map.Entry<String, Tensor> p : l.namedParameters().entrySet()) {
        if (st.has("grad.param." + p.getKey())) {
          ok &= compare(line, "grad.param." + p.getKey(), st, p.getValue().gradArray());
        }
      }
      line.put("unused", String.join(",", unused.stream()
          .filter(k -> !k.endsWith("num_batches_tracked")).toList()));
      out.println(line.put("ok", ok));
      return ok ? 0 : 1;
    }
  }

  /** The fixture's layer; every parameter is loaded from the file afterwards. */
  private static GraphLayer build(Context ctx, String layer, Map<String, Object> kwargs) {
    try {
      return LayerFactory.create(ctx, layer, kwargs, ctx.newRandom());
    } catch (IllegalArgumentException e) {
      throw new CliException("pyg-check: " + e.getMessage());
    }
  }

  /** Adds {key}_max_abs / {key}_max_rel and returns whether every element is in tolerance. */
  private static boolean compare(JsonLine line, String key, Safetensors st, float[] got) {
    float[] want = st.get(key).floats();
    if (got == null) got = new float[want.length];
    if (got.length != want.length) {
      line.put(key + "_error", "length " + got.length + " vs " + want.length);
      return false;
    }
    double maxAbs = 0;
    double maxRel = 0;
    boolean ok = true;
    for (int i = 0; i < want.length; i++) {
      double d = Math.abs((double) want[i] - got[i]);
      maxAbs = Math.max(maxAbs, d);
      if (want[i] != 0) maxRel = Math.max(maxRel, d / Math.abs(want[i]));
      ok &= d <= ATOL + RTOL * Math.abs(want[i]);
    }
    line.put(key + "_max_abs", maxAbs).put(key + "_max_rel", maxRel);
    return ok;
  }

  private static Tensor tensor(Context ctx, Safetensors st, String key) {
    Safetensors.Entry e = st.get(key);
    if (e.floats() == null) {
      throw new CliException("pyg-check: tensor '" + key + "' must be F32 (got " + e.dtype() + ")");
    }
    return ctx.tensor(e.floats(), e.shape());
  }

  private static int[] ints(Safetensors st, String key) {
    long[] l = st.get(key).longs();
    if (l == null) throw new CliException("pyg-check: tensor '" + key + "' must be I64");
    int[] r = new int[l.length];
    for (int i = 0; i < l.length; i++) r[i] = Math.toIntExact(l[i]);
    return r;
  }

  private static EdgeIndex edges(Safetensors st, int n) {
    Safetensors.Entry e = st.get("edge_index");
    if (e.longs() == null || e.shape().length != 2 || e.shape()[0] != 2) {
      throw new CliException("pyg-check: edge_index must be I64 [2, E] (got " + e.dtype() + " "
          + java.util.Arrays.toString(e.shape()) + ")");
    }
    int m = e.shape()[1];
    int[] src = new int[m];
    int[] dst = new int[m];
    for (int k = 0; k < m; k++) {
      src[k] = Math.toIntExact(e.longs()[k]);
      dst[k] = Math.toIntExact(e.longs()[m + k]);
    }
    return EdgeIndex.of(src, dst, n);
  }
}
