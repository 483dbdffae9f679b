package org.gnn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gnn4j.cli.plot.GraphDrawing;
import org.gnn4j.cli.plot.HeatMap;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.model.ModelAttention;
import org.gnn4j.model.ModelInput;
import org.gnn4j.nn.AttentionWeights;
import org.gnn4j.tensor.Tensor;

/**
 * The files of {@code gnn4j attention}: the CSV of the recorded weights (restricted to the
 * drawn edges) and, per recorded layer, a drawing of the nodes with the weights on their edges
 * and, for one graph, a heat map of its attention matrix. Node mode draws the {@code hops}-hop
 * in-neighbourhood of the node (fewer hops when that exceeds {@value #MAX_DRAWN} nodes), coloured
 * by predicted class, with the edges into the nodes inside the outermost hop (whose whole
 * in-neighbourhood is drawn, so each target's weights there sum to 1); graph mode draws the whole graph, coloured by node type. For attention
 * over all pairs of a graph's nodes, the drawing shows each query's strongest key (the heat
 * map shows them all).
 */
final class AttentionPictures {
  static final int MAX_DRAWN = 150;
  private static final long LAYOUT_SEED = 7;

  private final AttentionCommand.Request req;
  private final String dataName;
  private final List<String> typeNames;   // node label names of the data, or null
  private final ModelInput input;
  private final ModelAttention.Recorded rec;
  private final PrintStream err;
  private int[] targets;   // >= 0 for nodes whose in-edges are drawn, by node id
  private int usedHops;    // node mode: the radius drawn

  AttentionPictures(AttentionCommand.Request req, String dataName, List<String> typeNames,
                    ModelInput input, ModelAttention.Recorded rec, PrintStream err) {
    this.req = req;
    this.dataName = dataName;
    this.typeNames = typeNames;
    this.input = input;
    this.rec = rec;
    this.err = err;
  }

  /** Writes everything into the output directory; returns the CSV's row count. */
  int writeAll(List<String> files) {
    int[] nodes = req.node() != null ? neighbourhood() : allNodes();
    int[] local = new int[input.graph().numNodes()];
    Arrays.fill(local, -1);
    for (int i = 0; i < nodes.length; i++) local[nodes[i]] = i;
    if (targets == null) targets = local;
    try {
      Files.createDirectories(req.out());
    } catch (IOException e) {
      throw new CliException("attention: cannot create --out " + req.out() + " ("
          + IoErrors.reason(e) + ")");
    }
    int rows = writeCsv(local, files);
    for (AttentionWeights w : rec.attention()) {
      if (req.head() != null && req.head() >= w.heads()) {
        err.println("gnn4j: layer " + w.layer() + " has " + w.heads() + " head"
            + (w.heads() == 1 ? "" : "s") + ", no head " + req.head() + ": not drawn");
        continue;
      }
      draw(w, nodes, local, files);
      if (req.graph() != null) heatMap(w, nodes.length, files);
    }
    return rows;
  }

  private int[] allNodes() {
    int[] all = new int[input.graph().numNodes()];
    for (int i = 0; i < all.length; i++) all[i] = i;
    return all;
  }

  /** Nodes within hops in-hops of the node, the node first; fewer hops if too many. */
  private int[] neighbourhood() {
    Csr byDst = input.graph().edges().csrByDst();
    for (int hops = req.hops(); ; hops--) {
      int[] found = bfs(byDst, req.node(), hops);
      if (found.length <= MAX_DRAWN || hops == 1) {
        targets = new int[byDst.rows()];
        Arrays.fill(targets, -1);
        for (int v : bfs(byDst, req.node(), hops - 1)) targets[v] = 0;
        usedHops = hops;
        if (hops < req.hops()) {
          err.println("gnn4j: " + req.hops() + " hops around node " + req.node() + " hold more"
              + " than " + MAX_DRAWN + " nodes; drawing " + hops + " hop" + (hops > 1 ? "s" : ""));
        }
        return found;
      }
    }
  }

  private static int[] bfs(Csr byDst, int start, int hops) {
    int[] depth = new int[byDst.rows()];
    Arrays.fill(depth, -1);
    depth[start] = 0;
    List<Integer> order = new ArrayList<>(List.of(start));
    ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      int v = queue.poll();
      if (depth[v] == hops) continue;
      for (int p = byDst.rowPtr()[v]; p < byDst.rowPtr()[v + 1]; p++) {
        int u = byDst.col()[p];
        if (depth[u] < 0) {
          depth[u] = depth[v] + 1;
          order.add(u);
          queue.add(u);
        }
      }
    }
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private int writeCsv(int[] local, List<String> files) {
    StringBuilder csv = new StringBuilder("source,target,layer,head,weight\n");
    int rows = 0;
    for (AttentionWeights w : rec.attention()) {
      EdgeIndex e = w.edges();
      for (int i = 0; i < e.numEdges(); i++) {
        if (!drawnEdge(e, i, local)) continue;
        for (int h = 0; h < w.heads(); h++) {
          csv.append(e.src()[i]).append(',').append(e.dst()[i]).append(',').append(w.layer())
              .append(',').append(h).append(',')
              .append(String.format(Locale.ROOT, "%.6g", w.weight(i, h))).append('\n');
          rows++;
        }
      }
    }
    PredictCommand.writeAtomically(req.out().resolve("attention.csv"), csv.toString());
    files.add("attention.csv");
    return rows;
  }

  /** The drawn weight of edge i: the asked head's, or the mean over heads. */
  private double weight(AttentionWeights w, int i) {
    if (req.head() != null) return w.weight(i, req.head());
    double s = 0;
    for (int h = 0; h < w.heads(); h++) s += w.weight(i, h);
    return s / w.heads();
  }

  private String headName(AttentionWeights w) {
    return req.head() != null ? "head " + req.head() + " of " + w.heads()
        : w.heads() == 1 ? "1 head" : "mean of " + w.heads() + " heads";
  }

  private String fileName(AttentionWeights w, String kind) {
    return "layer" + w.layer() + (req.head() != null ? "_head" + req.head() : "") + "_" + kind
        + ".png";
  }

  private void draw(AttentionWeights w, int[] nodes, int[] local, List<String> files) {
    int[][] struct = structure(local);
    EdgeIndex e = w.edges();
    boolean global = e.numEdges() > 2L * (input.graph().edges().numEdges() + nodes.length);
    List<Integer> drawn = new ArrayList<>();
    if (global) {
      drawn.addAll(strongestKeys(w, local));
    } else {
      for (int i = 0; i < e.numEdges(); i++) if (drawnEdge(e, i, local)) drawn.add(i);
    }
    int[] src = new int[drawn.size()];
    int[] dst = new int[drawn.size()];
    double[] wt = new double[drawn.size()];
    for (int k = 0; k < drawn.size(); k++) {
      int i = drawn.get(k);
      src[k] = local[e.src()[i]];
      dst[k] = local[e.dst()[i]];
      wt[k] = weight(w, i);
    }
    String[] labels = new String[nodes.length];
    for (int i = 0; i < nodes.length; i++) labels[i] = Integer.toString(nodes[i]);
    boolean nodeMode = req.node() != null;
    int[] classes = nodeMode ? predictions(nodes) : nodeTypes(nodes);
    Path file = req.out().resolve(fileName(w, "graph"));
    GraphDrawing.Spec spec = new GraphDrawing.Spec(title(w), subtitle(w, nodes.length,
        struct[0].length), labels, classes, classNames(classes),
        nodeMode ? "predicted class" : (input.nodeTypes() == null ? "node type (none)" : "node type"),
        nodeMode ? 0 : -1, struct[0], struct[1], src, dst, wt, notes(global), LAYOUT_SEED);
    GraphDrawing.write(file, spec);   // a failed write is one line (Png)
    files.add(file.getFileName().toString());
  }

  /** The graph's edges among the drawn nodes, once per connected pair: {a[], b[]}. */
  private int[][] structure(int[] local) {
    EdgeIndex g = input.graph().edges();
    List<int[]> struct = new ArrayList<>();
    for (int i = 0; i < g.numEdges(); i++) {
      int a = local[g.src()[i]];
      int b = local[g.dst()[i]];
      if (a >= 0 && b >= 0 && a != b && (a < b || !hasEdge(g, g.dst()[i], g.src()[i]))) {
        struct.add(new int[] {a, b});
      }
    }
    return new int[][] {struct.stream().mapToInt(p -> p[0]).toArray(),
        struct.stream().mapToInt(p -> p[1]).toArray()};
  }

  private String[] classNames(int[] classes) {
    boolean nodeMode = req.node() != null;
    int numClasses = nodeMode ? rec.output().dim(1) : maxPlusOne(classes);
    String[] names = new String[Math.max(numClasses, 0)];
    for (int k = 0; k < names.length; k++) {
      names[k] = nodeMode ? "class " + k : typeNames != null && k < typeNames.size()
          ? typeNames.get(k) + " (" + k + ")" : "type " + k;
    }
    return names;
  }

  private String title(AttentionWeights w) {
    return req.node() != null
        ? dataName + ": attention around node " + req.node() + ", layer " + w.layer()
        : dataName + ": attention in graph " + req.graph() + ", layer " + w.layer();
  }

  private String subtitle(AttentionWeights w, int nodes, int edges) {
    String what = req.node() != null
        ? nodes + " nodes within " + usedHops + " hops; edges into the nodes within "
            + (usedHops - 1) + (usedHops == 2 ? " hop" : " hops")
        : nodes + " nodes, " + edges + " edges";
    return headName(w) + "; " + what + "; " + prediction();
  }

  private static String[] notes(boolean global) {
    List<String> notes = new ArrayList<>(List.of("edge j -> i: curve from j to i,",
        "bending to its right; wider and", "brighter = more attention"));
    if (global) {
      notes.addAll(List.of("global attention: each node's", "strongest other key is drawn;",
          "all pairs: the heat map and CSV"));
    } else {
      notes.add("self-loop weights: see the CSV");
    }
    notes.add("grey lines: the graph's edges");
    return notes.toArray(String[]::new);
  }

  /** Both ends drawn, and the target's in-edges all drawn (it is not on the outermost hop). */
  private boolean drawnEdge(EdgeIndex e, int i, int[] local) {
    return local[e.src()[i]] >= 0 && local[e.dst()[i]] >= 0 && targets[e.dst()[i]] >= 0;
  }

  private static boolean hasEdge(EdgeIndex g, int from, int to) {
    Csr byDst = g.csrByDst();
    for (int p = byDst.rowPtr()[to]; p < byDst.rowPtr()[to + 1]; p++) {
      if (byDst.col()[p] == from) return true;
    }
    return false;
  }

  /** For each drawn query, the edge of its largest weight from another node. */
  private List<Integer> strongestKeys(AttentionWeights w, int[] local) {
    EdgeIndex e = w.edges();
    int[] best = new int[local.length];
    Arrays.fill(best, -1);
    for (int i = 0; i < e.numEdges(); i++) {
      int q = e.dst()[i];
      if (e.src()[i] == q || local[q] < 0 || local[e.src()[i]] < 0) continue;
      if (best[q] < 0 || weight(w, i) > weight(w, best[q])) best[q] = i;
    }
    List<Integer> out = new ArrayList<>();
    for (int b : best) if (b >= 0) out.add(b);
    return out;
  }

  private int[] predictions(int[] nodes) {
    Tensor o = rec.output();
    int k = o.dim(1);
    int[] p = new int[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      int best = 0;
      for (int c = 1; c < k; c++) if (o.data()[nodes[i] * k + c] > o.data()[nodes[i] * k + best]) best = c;
      p[i] = best;
    }
    return p;
  }

  private int[] nodeTypes(int[] nodes) {
    int[] t = new int[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      t[i] = input.nodeTypes() == null ? -1 : input.nodeTypes()[nodes[i]];
    }
    return t;
  }

  private static int maxPlusOne(int[] xs) {
    int m = 0;
    for (int x : xs) m = Math.max(m, x + 1);
    return m;
  }

  /** What the model predicts for the node or the graph, for the subtitle. */
  private String prediction() {
    Tensor o = rec.output();
    int row = req.node() != null ? req.node() : 0;
    int k = o.dim(1);
    if (k == 1) return String.format(Locale.ROOT, "prediction %.4g", o.data()[row]);
    int best = 0;
    for (int c = 1; c < k; c++) if (o.data()[row * k + c] > o.data()[row * k + best]) best = c;
    return "predicted class " + best;
  }

  private void heatMap(AttentionWeights w, int n, List<String> files) {
    EdgeIndex e = w.edges();
    int[] q = e.dst().clone();
    int[] key = e.src().clone();
    double[] wt = new double[e.numEdges()];
    for (int i = 0; i < wt.length; i++) wt[i] = weight(w, i);
    Path file = req.out().resolve(fileName(w, "heatmap"));
    HeatMap.write(file, dataName + ": attention matrix of graph " + req.graph() + ", layer "
        + w.layer(), headName(w) + "; row = query node, column = key node; each row sums to 1; "
        + prediction(), n, q, key, wt, "node", 760, 700);
    files.add(file.getFileName().toString());
  }
}
