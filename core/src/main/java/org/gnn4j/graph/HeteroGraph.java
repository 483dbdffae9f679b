package org.gnn4j.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structure of a heterogeneous graph (PyG's {@code HeteroData} without the features, DGL's
 * canonical edge types): node types, each with its own node count and local ids 0 .. n-1, and
 * relations {@code (source type, name, target type)}, each with its own edges from local source
 * ids to local target ids. Each relation is a {@link Graph}: an ordinary one when both ends are
 * of one type, a bipartite one otherwise, so every homogeneous and bipartite layer runs on a
 * relation as it stands. Types and relations keep the order they were added in (it fixes
 * parameter order and the summation order of per-type results). Validated when built; immutable.
 * A homogeneous graph is the one-type, one-relation case.
 */
public final class HeteroGraph {
  private static final String OP = "HeteroGraph";
  private final Map<String, Integer> numNodes;
  private final Map<Relation, Graph> relations;
  private volatile Homogeneous homogeneous;

  private HeteroGraph(Map<String, Integer> numNodes, Map<Relation, Graph> relations) {
    this.numNodes = Collections.unmodifiableMap(numNodes);
    this.relations = Collections.unmodifiableMap(relations);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects node types and relations; {@link #build} checks nothing is left dangling. */
  public static final class Builder {
    private final Map<String, Integer> numNodes = new LinkedHashMap<>();
    private final Map<Relation, Graph> relations = new LinkedHashMap<>();

    /**
     * Adds a node type with {@code count} nodes.
     *
     * @throws IllegalArgumentException on a repeated type, an empty or '__'-containing name, or a
     *     negative count
     */
    public Builder nodes(String type, int count) {
      if (type == null || type.isEmpty() || type.contains("__")) {
        throw new IllegalArgumentException(OP + ": node type '" + type + "' must be a non-empty"
            + " name without '__'");
      }
      if (count < 0) {
        throw new IllegalArgumentException(OP + ": node type '" + type + "' has a negative count"
            + " (got " + count + ", expected >= 0)");
      }
      if (numNodes.putIfAbsent(type, count) != null) {
        throw new IllegalArgumentException(OP + ": node type '" + type + "' is given twice");
      }
      return this;
    }

    /** Adds the edges of relation {@code src__name__dst}; see {@link #edges(Relation, int[], int[])}. */
    public Builder edges(String src, String name, String dst, int[] from, int[] to) {
      return edges(new Relation(src, name, dst), from, to);
    }

    /**
     * Adds the edges of a relation: edge e runs from source-type node {@code from[e]} to
     * target-type node {@code to[e]}, local ids. Node types must be added first.
     *
     * @throws IllegalArgumentException naming the relation when it repeats, names an unknown
     *     node type, or an id is outside its type's range
     */
    public Builder edges(Relation r, int[] from, int[] to) {
      int ns = count(r, r.src());
      int nd = count(r, r.dst());
      if (relations.containsKey(r)) {
        throw new IllegalArgumentException(OP + ": relation " + r + " is given twice");
      }
      EdgeIndex e;
      try {
        e = EdgeIndex.bipartite(from, to, ns, nd);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(OP + ": relation " + r + ": " + ex.getMessage()
            .replace("EdgeIndex: ", "").replace("src[", r.src() + " id src[")
            .replace("dst[", r.dst() + " id dst["), ex);
      }
      relations.put(r, r.sameType() ? Graph.of(e) : Graph.bipartite(e));
      return this;
    }

    private int count(Relation r, String type) {
      Integer n = numNodes.get(type);
      if (n == null) {
        throw new IllegalArgumentException(OP + ": relation " + r + " names unknown node type '"
            + type + "' (known: " + String.join(", ", numNodes.keySet()) + ")");
      }
      return n;
    }

    public HeteroGraph build() {
      return new HeteroGraph(new LinkedHashMap<>(numNodes), new LinkedHashMap<>(relations));
    }
  }

  /** Node types in the order they were added. */
  public List<String> nodeTypes() {
    return List.copyOf(numNodes.keySet());
  }

  public boolean hasNodeType(String type) {
    return numNodes.containsKey(type);
  }

  /** Number of nodes of a type. */
  public int numNodes(String type) {
    Integer n = numNodes.get(type);
    if (n == null) {
      throw new IllegalArgumentException(OP + ": unknown node type '" + type + "' (known: "
          + String.join(", ", numNodes.keySet()) + ")");
    }
    return n;
  }

  /** Relations in the order they were added. */
  public List<Relation> relations() {
    return List.copyOf(relations.keySet());
  }

  /** The relations whose edges end at nodes of {@code type}, in order. */
  public List<Relation> relationsInto(String type) {
    List<Relation> out = new ArrayList<>();
    for (Relation r : relations.keySet()) if (r.dst().equals(type)) out.add(r);
    return out;
  }

  /** The edges of one relation as a graph (bipartite when its two ends differ in type). */
  public Graph graph(Relation r) {
    Graph g = relations.get(r);
    if (g == null) {
      throw new IllegalArgumentException(OP + ": unknown relation " + r + " (known: "
          + relations.keySet() + ")");
    }
    return g;
  }

  /** The edges of one relation. */
  public EdgeIndex edges(Relation r) {
    return graph(r).edges();
  }

  /** Total number of nodes of all types. */
  public int totalNodes() {
    long n = 0;
    for (int c : numNodes.values()) n += c;
    return Math.toIntExact(n);
  }

  /** Total number of edges of all relations. */
  public int totalEdges() {
    long e = 0;
    for (Graph g : relations.values()) e += g.numEdges();
    return Math.toIntExact(e);
  }

  /**
   * All nodes and edges as one homogeneous graph (PyG's {@code to_homogeneous}): node types laid
   * out one after the other in type order, relations' edges one after the other in relation
   * order, each node and edge tagged with its type index. Computed once.
   */
  public Homogeneous homogeneous() {
    Homogeneous h = homogeneous;
    if (h == null) homogeneous = h = Homogeneous.of(this);
    return h;
  }

  /**
   * The homogeneous view: {@code graph} over all nodes, {@code nodeType} [N] and
   * {@code edgeType} [E] type indices, {@code nodeOffset} [T + 1] first global id of each node
   * type, {@code edgeOffset} [R + 1] first global edge of each relation.
   */
  public record Homogeneous(Graph graph, int[] nodeType, int[] edgeType, int[] nodeOffset,
                            int[] edgeOffset) {
    static Homogeneous of(HeteroGraph h) {
      List<String> types = h.nodeTypes();
      int[] nodeOffset = new int[types.size() + 1];
      for (int t = 0; t < types.size(); t++) {
        nodeOffset[t + 1] = Math.addExact(nodeOffset[t], h.numNodes(types.get(t)));
      }
      List<Relation> rels = h.relations();
      int[] edgeOffset = new int[rels.size() + 1];
      for (int r = 0; r < rels.size(); r++) {
        edgeOffset[r + 1] = Math.addExact(edgeOffset[r], h.edges(rels.get(r)).numEdges());
      }
      int n = nodeOffset[types.size()];
      int e = edgeOffset[rels.size()];
      int[] nodeType = new int[n];
      for (int t = 0; t < types.size(); t++) {
        java.util.Arrays.fill(nodeType, nodeOffset[t], nodeOffset[t + 1], t);
      }
      int[] src = new int[e];
      int[] dst = new int[e];
      int[] edgeType = new int[e];
      for (int r = 0; r < rels.size(); r++) {
        Relation rel = rels.get(r);
        EdgeIndex ei = h.edges(rel);
        int so = nodeOffset[types.indexOf(rel.src())];
        int dof = nodeOffset[types.indexOf(rel.dst())];
        for (int k = 0; k < ei.numEdges(); k++) {
          src[edgeOffset[r] + k] = ei.src()[k] + so;
          dst[edgeOffset[r] + k] = ei.dst()[k] + dof;
        }
        java.util.Arrays.fill(edgeType, edgeOffset[r], edgeOffset[r + 1], r);
      }
      return new Homogeneous(Graph.of(EdgeIndex.of(src, dst, n)), nodeType, edgeType, nodeOffset,
          edgeOffset);
    }
  }

  @Override
  public String toString() {
    return OP + numNodes + " " + relations.keySet();
  }
}
