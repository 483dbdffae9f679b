package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.io.Json;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.StateDict;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.Module;
import org.gnn4j.nn.models.LightGcn;
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
      boolean ok = check(ctx, st, meta, layer, kwargs, line, file.toString());
      out.println(line.put("ok", ok));
      return ok ? 0 : 1;
    } catch (IllegalArgumentException e) {
      throw new CliException("pyg-check: " + file + ": " + e.getMessage());
    }
  }

  /** Builds, loads, runs forward and backward, and compares; the kind follows the tensors. */
  private static boolean check(Context ctx, Safetensors st, Map<String, String> meta,
                               String layer, Map<String, Object> kwargs, JsonLine line,
                               String source) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();   // fixture name of d loss / d input
    Module module;
    Tensor out;                                            // the single output of the layer
    if (layer.equals("LightGCN")) {
      int n = Integer.parseInt(meta.get("num_nodes"));
      Graph graph = Graph.of(edges(st, "edge_index", n, n));
      LightGcn m = new LightGcn(ctx, graph.numNodes(), asInt(kwargs, "embedding_dim"),
          asInt(kwargs, "num_layers"), ctx.newRandom());
      module = m;
      load(m, st, source, line);
      out = m.getEmbedding(graph);
    } else if (meta.containsKey("node_types")) {
      HeteroGraph graph = heteroGraph(st, meta);
      HeteroLayer m = LayerFactory.createHetero(ctx, layer, kwargs, ctx.newRandom());
      module = m;
      load(m, st, source, line);
      Map<String, Tensor> x = new LinkedHashMap<>();
      for (String t : graph.nodeTypes()) {
        x.put(t, tensor(ctx, st, "x." + t).requiresGrad(true));
        inputs.put("grad.x." + t, x.get(t));
      }
      m.train("train".equals(meta.get("mode")));
      Map<String, Tensor> outs = m.forward(x, graph);
      // one scalar loss summed over the types, one backward: PyG's loss
      Tensor loss = null;
      for (var e : outs.entrySet()) {
        Tensor term = weighted(e.getValue(), st, "r." + e.getKey());
        loss = loss == null ? term : loss.add(term);
      }
      loss.backward();
      boolean ok = true;
      for (var e : outs.entrySet()) ok &= compare(line, "out." + e.getKey(), st, e.getValue().data());
      return compareGradients(line, st, module, inputs) && ok;
    } else {
      // every parameter is loaded from the file, so any stream serves the init
      GraphLayer m = LayerFactory.create(ctx, layer, kwargs, ctx.newRandom());
      module = m;
      load(m, st, source, line);
      m.train("train".equals(meta.get("mode")));
      if (st.has("x_src")) {
        Tensor xs = tensor(ctx, st, "x_src").requiresGrad(true);
        Tensor xd = tensor(ctx, st, "x_dst").requiresGrad(true);
        inputs.put("grad.x_src", xs);
        inputs.put("grad.x_dst", xd);
        if (!(m instanceof BipartiteLayer b)) {
          throw new CliException("pyg-check: " + layer + " does not run on bipartite graphs");
        }
        out = b.forward(xs, xd, Graph.bipartite(edges(st, "edge_index", xs.dim(0), xd.dim(0))),
            null);
      } else {
        Tensor x = tensor(ctx, st, "x").requiresGrad(true);
        inputs.put("grad.x", x);
        Tensor edgeAttr = null;
        if (st.has("edge_attr")) {
          edgeAttr = tensor(ctx, st, "edge_attr").requiresGrad(true);
          inputs.put("grad.edge_attr", edgeAttr);
        } else if (st.has("edge_type")) {
          int[] types = ints(st, "edge_type");
          float[] f = new float[types.length];
          for (int i = 0; i < f.length; i++) f[i] = types[i];
          edgeAttr = ctx.tensor(f, f.length);          // RGCN reads relation ids here
        }
        EdgeIndex edges = edges(st, "edge_index", x.dim(0), x.dim(0));
        Graph graph = st.has("batch") ? Graph.fromBatchVector(edges, ints(st, "batch"))
            : Graph.of(edges);
        out = m.forward(x, graph, edgeAttr);
      }
    }
    weighted(out, st, "r").backward();
    boolean ok = compare(line, "out", st, out.data());
    return compareGradients(line, st, module, inputs) && ok;
  }

  /** (t * r).sum(), the fixtures' loss. */
  private static Tensor weighted(Tensor t, Safetensors st, String rKey) {
    Tensor r = tensor(t.ctx(), st, rKey);
    return t.view(r.shape().toArray()).mul(r).sum();
  }

  private static boolean compareGradients(JsonLine line, Safetensors st, Module module,
                                          Map<String, Tensor> inputs) {
    boolean ok = true;
    for (var e : inputs.entrySet()) ok &= compare(line, e.getKey(), st, e.getValue().gradArray());
    for (Map.Entry<String, Tensor> p : module.namedParameters().entrySet()) {
      if (st.has("grad.param." + p.getKey())) {
        ok &= compare(line, "grad.param." + p.getKey(), st, p.getValue().gradArray());
      }
    }
    return ok;
  }

  private static void load(Module m, Safetensors st, String source, JsonLine line) {
    List<String> unused = StateDict.load(m, st, "param.", source);
    line.put("unused", String.join(",", unused.stream()
        .filter(k -> !k.endsWith("num_batches_tracked")).toList()));
  }

  @SuppressWarnings("unchecked")
  private static HeteroGraph heteroGraph(Safetensors st, Map<String, String> meta) {
    Object types = Json.parse(meta.get("node_types"), "node_types");
    Object rels = Json.parse(meta.get("edge_types"), "edge_types");
    Map<String, Object> counts = (Map<String, Object>) Json.parse(meta.get("num_nodes_by_type"),
        "num_nodes_by_type");
    HeteroGraph.Builder b = HeteroGraph.builder();
    for (Object t : (List<Object>) types) b.nodes(String.valueOf(t), asInt(counts, String.valueOf(t)));
    for (Object r : (List<Object>) rels) {
      Relation rel = r instanceof List<?> l
          ? new Relation(String.valueOf(l.get(0)), String.valueOf(l.get(1)), String.valueOf(l.get(2)))
          : Relation.parse(String.valueOf(r));
      EdgeIndex e = edges(st, "edge_index." + rel, asInt(counts, rel.src()), asInt(counts, rel.dst()));
      b.edges(rel, e.src(), e.dst());
    }
    return b.build();
  }

  private static int asInt(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof Number num) return num.intValue();
    throw new CliException("pyg-check: '" + key + "' must be an integer (got " + v + ")");
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

  private static EdgeIndex edges(Safetensors st, String key, int nSrc, int nDst) {
    Safetensors.Entry e = st.get(key);
    if (e.longs() == null || e.shape().length != 2 || e.shape()[0] != 2) {
      throw new CliException("pyg-check: " + key + " must be I64 [2, E] (got " + e.dtype() + " "
          + java.util.Arrays.toString(e.shape()) + ")");
    }
    int m = e.shape()[1];
    int[] src = new int[m];
    int[] dst = new int[m];
    for (int k = 0; k < m; k++) {
      src[k] = Math.toIntExact(e.longs()[k]);
      dst[k] = Math.toIntExact(e.longs()[m + k]);
    }
    return EdgeIndex.bipartite(src, dst, nSrc, nDst);
  }
}
