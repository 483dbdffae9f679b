package org.gnn4j.graph;

import java.util.concurrent.ConcurrentHashMap;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The structure of one graph or of a batch of graphs joined into one disconnected graph
 * (jraph's {@code GraphsTuple} without the features, PyG's {@code edge_index} + {@code ptr}):
 * the edges and how many nodes each graph owns. It is the one value layers, models, encodings
 * and loaders pass around; features travel beside it. Validated once at construction (every
 * edge stays inside its graph), and the views layers derive from it are computed on first use
 * and kept, the way {@link EdgeIndex} keeps its CSR: the batch vector, the self-looped edges of
 * GCN and GAT, GCN's normalisation and Graphormer's shortest paths. So a graph reused across
 * layers and steps pays for each view once.
 *
 * <p>A bipartite graph ({@link #bipartite}) has a source and a target node set; it is one graph,
 * and the views that need a single node set refuse it. Immutable and safe to share between
 * threads (a view may be computed twice by a race, never observed half-built).
 */
public final class Graph {
  private static final String OP = "Graph";
  private final EdgeIndex edges;
  private final int[] graphPtr;                  // [G + 1] node offsets
  private volatile int[] batch;                  // [N] graph of every node
  private volatile EdgeIndex selfLooped;
  private volatile GcnNorm gcnNorm;
  private final ConcurrentHashMap<Integer, ShortestPaths> paths;
  private final Tensor edgeMask;                 // [E] soft mask on messages, or null
  private volatile int[] loopFree;               // [E' - N] edges kept by selfLooped()

  private Graph(EdgeIndex edges, int[] graphPtr) {
    this.edges = edges;
    this.graphPtr = graphPtr;
    this.paths = new ConcurrentHashMap<>();
    this.edgeMask = null;
  }

  /** The same graph with a mask; the views already computed are shared, not recomputed. */
  private Graph(Graph g, Tensor edgeMask) {
    this.edges = g.edges;
    this.graphPtr = g.graphPtr;
    this.paths = g.paths;
    this.batch = g.batch;
    this.selfLooped = g.selfLooped;
    this.gcnNorm = g.gcnNorm;
    this.loopFree = g.loopFree;
    this.edgeMask = edgeMask;
  }

  /** One graph over the nodes of {@code edges}. */
  public static Graph of(EdgeIndex edges) {
    return new Graph(edges, new int[] {0, edges.numNodes()});
  }

  /** One graph of {@code numNodes} nodes and the given edges. */
  public static Graph of(int[] src, int[] dst, int numNodes) {
    return of(EdgeIndex.of(src, dst, numNodes));
  }

  /**
   * A batch of graphs with the given node counts; graph g owns the nodes after those of graphs
   * 0 .. g-1.
   *
   * @throws IllegalArgumentException if a count is negative, the counts do not add up to the
   *     node count of {@code edges}, or an edge joins two graphs
   */
  public static Graph batched(EdgeIndex edges, int... nodesPerGraph) {
    int[] ptr = BatchVector.offsets(OP, edges.numNodes(), nodesPerGraph);
    Graph g = new Graph(edges, ptr);
    if (ptr.length > 2) g.checkEdgesInsideGraphs();
    return g;
  }

  /**
   * A batch given by its sorted batch vector (PyG's {@code batch}).
   *
   * @throws IllegalArgumentException if the vector is unsorted, negative, of the wrong length,
   *     or an edge joins two graphs
   */
  public static Graph fromBatchVector(EdgeIndex edges, int[] batch) {
    if (batch.length != edges.numNodes()) {
      throw new IllegalArgumentException(OP + ": batch has the wrong length (got " + batch.length
          + ", expected one graph id per node: " + edges.numNodes() + ")");
    }
    Graph g = new Graph(edges, BatchVector.offsets(OP, batch));
    g.batch = batch.clone();
    if (g.numGraphs() > 1) g.checkEdgesInsideGraphs();
    return g;
  }

  /** Edges from a set of sources to a different set of targets (PyG's {@code (x_src, x_dst)}). */
  public static Graph bipartite(EdgeIndex edges) {
    return new Graph(edges, new int[] {0, edges.numDstNodes()});
  }

  private void checkEdgesInsideGraphs() {
    int[] b = batch();
    int[] src = edges.src();
    int[] dst = edges.dst();
    for (int e = 0; e < src.length; e++) {
      if (b[src[e]] != b[dst[e]]) {
        throw new IllegalArgumentException(OP + ": edge " + e + " (" + src[e] + " -> " + dst[e]
            + ") joins graph " + b[src[e]] + " to graph " + b[dst[e]]
            + " (expected every edge inside one graph)");
      }
    }
  }

  /** The edges, node ids in [0, N) (sources and targets of their own sets when bipartite). */
  public EdgeIndex edges() {
    return edges;
  }

  /** Whether sources and targets are different node sets. */
  public boolean isBipartite() {
    return edges.numSrcNodes() != edges.numDstNodes();
  }

  /** N, the number of nodes of all graphs (of the targets when bipartite). */
  public int numNodes() {
    return edges.numDstNodes();
  }

  public int numEdges() {
    return edges.numEdges();
  }

  /** G, the number of graphs. */
  public int numGraphs() {
    return graphPtr.length - 1;
  }

  /** [G + 1] node offsets: graph g owns nodes graphPtr[g] .. graphPtr[g+1]-1; do not modify. */
  public int[] graphPtr() {
    return graphPtr;
  }

  /** [G] node count of every graph. */
  public int[] nodesPerGraph() {
    int[] c = new int[numGraphs()];
    for (int g = 0; g < c.length; g++) c[g] = graphPtr[g + 1] - graphPtr[g];
    return c;
  }

  /** [N] the graph of every node, ascending (PyG's {@code batch}); do not modify. */
  public int[] batch() {
    int[] b = batch;
    if (b == null) batch = b = BatchVector.fromOffsets(graphPtr);
    return b;
  }

  /**
   * The edges with PyG's self-loop rule for GCN and GAT: every existing self-loop dropped
   * (duplicates too), then one loop per node appended in node order after the other edges.
   */
  public EdgeIndex selfLooped() {
    EdgeIndex l = selfLooped;
    if (l == null) selfLooped = l = SelfLoops.replace(singleNodeSet("selfLooped"));
    return l;
  }

  /**
   * GCN's symmetric normalisation (PyG's {@code gcn_norm} with add_remaining_self_loops and unit
   * weights) on {@link #selfLooped()}: w[e] = deg_j^-1/2 deg_i^-1/2, deg = in-degree with the
   * loop. The tensor is made once per context.
   *
   * @return weights [E'] aligned with {@link #selfLooped()}
   */
  public Tensor gcnWeights(Context ctx) {
    GcnNorm n = gcnNorm;
    if (n == null || n.ctx() != ctx) {
      float[] w = gcnNorm(selfLooped());
      gcnNorm = n = new GcnNorm(ctx, ctx.tensor(w, w.length));
    }
    return n.weight();
  }

  private record GcnNorm(Context ctx, Tensor weight) {}

  private static float[] gcnNorm(EdgeIndex looped) {
    int n = looped.numNodes();
    int total = looped.numEdges();
    int[] src = looped.src();
    int[] dst = looped.dst();
    float[] deg = new float[n];                                      // deg: [N] in-degree
    for (int k = 0; k < total; k++) deg[dst[k]]++;
    float[] w = new float[total];                                    // w: [E']
    for (int k = 0; k < total; k++) {
      w[k] = (float) (1.0 / Math.sqrt((double) deg[src[k]] * deg[dst[k]]));
    }
    return w;
  }

  /**
   * This graph with a soft mask on its edges, the seam explainers use (PyG's explain mode of
   * MessagePassing): layers that support masks multiply the message of edge e by mask[e];
   * self-loops the layers add are not masked. The mask is an ordinary tensor, so gradients
   * flow to it.
   *
   * @param mask [E] one weight per edge of {@link #edges()}, or null for none
   * @throws IllegalArgumentException if the mask has the wrong shape
   */
  public Graph withEdgeMask(Tensor mask) {
    if (mask != null && (mask.rank() != 1 || mask.dim(0) != numEdges())) {
      throw new IllegalArgumentException(OP + ".withEdgeMask: mask must be [E] (got "
          + mask.shape() + ", expected [" + numEdges() + "])");
    }
    if (mask != null) selfLooped();       // computed once on this graph, then shared
    return new Graph(this, mask);
  }

  /** The soft edge mask of {@link #withEdgeMask}, [E], or null. */
  public Tensor edgeMask() {
    return edgeMask;
  }

  /**
   * The edge mask aligned with {@link #selfLooped()}: the mask of every kept edge, then 1 for
   * each appended loop (loops are never masked); null when the graph has no mask.
   *
   * @return [E'] or null
   */
  public Tensor selfLoopedEdgeMask() {
    if (edgeMask == null) return null;
    int[] kept = loopFree;
    if (kept == null) loopFree = kept = SelfLoops.kept(edges);
    Context ctx = edgeMask.ctx();
    Tensor keptMask = IndexSelect.rows(edgeMask.view(numEdges(), 1), kept);  // [E'-N, 1]
    Tensor loops = ctx.ones(numNodes(), 1);                                  // [N, 1]
    return Concat.concat(0, keptMask, loops).view(kept.length + numNodes());
  }

  /** Graphormer's shortest-path tables of every graph, distances capped at {@code maxDist}. */
  public ShortestPaths shortestPaths(int maxDist) {
    singleNodeSet("shortestPaths");
    return paths.computeIfAbsent(maxDist, d -> ShortestPaths.compute(this, d));
  }

  private EdgeIndex singleNodeSet(String view) {
    if (isBipartite()) {
      throw new IllegalStateException(OP + "." + view + ": needs one node set (got a bipartite "
          + edges + ")");
    }
    return edges;
  }

  @Override
  public String toString() {
    return "Graph[G=" + numGraphs() + ", " + edges + "]";
  }
}
