package org.gnn4j.graph;

/**
 * PyG's self-loop rule for GCN and GAT: drop every existing self-loop (duplicates too) and
 * append exactly one loop per node, in node order, after the remaining edges. {@link Graph}
 * keeps the result.
 */
final class SelfLoops {
  private SelfLoops() {}

  /** Positions of the edges {@link #replace} keeps (all but self-loops), in order. */
  static int[] kept(EdgeIndex edges) {
    int[] s = edges.src();
    int[] d = edges.dst();
    int count = 0;
    for (int k = 0; k < s.length; k++) if (s[k] != d[k]) count++;
    int[] kept = new int[count];
    for (int k = 0, p = 0; k < s.length; k++) if (s[k] != d[k]) kept[p++] = k;
    return kept;
  }

  static EdgeIndex replace(EdgeIndex edges) {
    int n = edges.numNodes();
    int e = edges.numEdges();
    int[] s = edges.src();
    int[] d = edges.dst();
    int kept = 0;
    for (int k = 0; k < e; k++) if (s[k] != d[k]) kept++;
    int[] src = new int[kept + n];
    int[] dst = new int[kept + n];
    for (int k = 0, p = 0; k < e; k++) {
      if (s[k] != d[k]) {
        src[p] = s[k];
        dst[p++] = d[k];
      }
    }
    for (int i = 0; i < n; i++) {
      src[kept + i] = i;
      dst[kept + i] = i;
    }
    return EdgeIndex.of(src, dst, n);
  }
}
