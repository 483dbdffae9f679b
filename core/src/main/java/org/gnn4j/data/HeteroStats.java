package org.gnn4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Relation;

/**
 * What {@code gnn4j info} prints for a heterogeneous dataset: per node type its count, feature
 * width and (for the target type) classes; per relation its edges, edge-feature width and the
 * in-degree of its target nodes (mean, max, and how many get no message through it, which a
 * relation-wise sum then leaves at zero).
 *
 * @param target the labelled node type, or null
 * @param train split sizes of the target type (val, test likewise)
 */
public record HeteroStats(String name, List<NodeTypeStats> nodeTypes,
                          List<RelationStats> relations, String target, int train, int val,
                          int test) {

  /** @param classCounts [numClasses] nodes per class for the target type, else empty */
  public record NodeTypeStats(String type, int nodes, int features, int numClasses,
                              int[] classCounts) {}

  /**
   * @param isolatedTargets target-type nodes with no in-edge of this relation
   */
  public record RelationStats(Relation relation, int edges, int edgeDim, double meanInDegree,
                              int maxInDegree, int isolatedTargets) {}

  public static HeteroStats of(HeteroDataset d) {
    List<NodeTypeStats> types = new ArrayList<>();
    for (String t : d.graph().nodeTypes()) {
      boolean labelled = t.equals(d.target());
      int[] counts = new int[labelled ? d.numClasses() : 0];
      if (labelled) for (int c : d.y()) counts[c]++;
      types.add(new NodeTypeStats(t, d.graph().numNodes(t), d.numFeatures(t),
          labelled ? d.numClasses() : 0, counts));
    }
    List<RelationStats> rels = new ArrayList<>();
    for (Relation r : d.graph().relations()) {
      EdgeIndex e = d.graph().edges(r);
      int[] in = e.inDegree();
      int max = 0;
      int isolated = 0;
      for (int v : in) {
        max = Math.max(max, v);
        if (v == 0) isolated++;
      }
      rels.add(new RelationStats(r, e.numEdges(), d.edgeDim(r),
          in.length == 0 ? 0 : (double) e.numEdges() / in.length, max, isolated));
    }
    return new HeteroStats(d.name(), List.copyOf(types), List.copyOf(rels), d.target(),
        d.train().length, d.val().length, d.test().length);
  }

  /** One JSON object on one line, snake_case keys. */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    sb.append("{\"name\":").append(quote(name)).append(",\"kind\":\"hetero\",\"node_types\":[");
    for (int i = 0; i < nodeTypes.size(); i++) {
      NodeTypeStats t = nodeTypes.get(i);
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"type\":%s,\"nodes\":%d,\"features\":%d,\"classes\":%d,\"class_counts\":%s}",
          quote(t.type()), t.nodes(), t.features(), t.numClasses(),
          Arrays.toString(t.classCounts()).replace(" ", "")));
    }
    sb.append("],\"relations\":[");
    for (int i = 0; i < relations.size(); i++) {
      RelationStats r = relations.get(i);
      sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"relation\":%s,\"edges\":%d,\"edge_dim\":%d,\"mean_in_degree\":%.4f,"
              + "\"max_in_degree\":%d,\"isolated_targets\":%d}", quote(r.relation().toString()),
          r.edges(), r.edgeDim(), r.meanInDegree(), r.maxInDegree(), r.isolatedTargets()));
    }
    sb.append("],\"target\":").append(target == null ? "null" : quote(target));
    return sb.append(String.format(Locale.ROOT, ",\"train\":%d,\"val\":%d,\"test\":%d}", train,
        val, test)).toString();
  }

  /** Aligned lines for people. */
  public String toText() {
    StringBuilder sb = new StringBuilder(name + " (heterogeneous)\n");
    int w = 9;
    for (NodeTypeStats t : nodeTypes) w = Math.max(w, t.type().length());
    for (RelationStats r : relations) w = Math.max(w, r.relation().toString().length());
    String row = "  %-" + w + "s %9s %9s  %s%n";
    sb.append(String.format(Locale.ROOT, row, "node type", "nodes", "features", "classes"));
    for (NodeTypeStats t : nodeTypes) {
      sb.append(String.format(Locale.ROOT, row, t.type(), t.nodes(), t.features(),
          t.numClasses() == 0 ? "-" : t.numClasses() + " " + Arrays.toString(t.classCounts())));
    }
    String rrow = "  %-" + w + "s %9s %9s %11s %11s %11s%n";
    sb.append(String.format(Locale.ROOT, rrow, "relation", "edges", "edge dim", "mean in-deg",
        "max in-deg", "no in-edge"));
    for (RelationStats r : relations) {
      sb.append(String.format(Locale.ROOT, rrow, r.relation(), r.edges(), r.edgeDim(),
          String.format(Locale.ROOT, "%.2f", r.meanInDegree()), r.maxInDegree(),
          r.isolatedTargets()));
    }
    if (target != null) {
      sb.append(String.format(Locale.ROOT, "  split of %s: train %d / val %d / test %d%n", target,
          train, val, test));
    }
    return sb.toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
