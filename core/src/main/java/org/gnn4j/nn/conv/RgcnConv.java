package org.gnn4j.nn.conv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.Init;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.ops.MatMul;
import org.gnn4j.ops.Reshape;
import org.gnn4j.ops.Spmm;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Relational graph convolution (Schlichtkrull et al., arXiv:1703.06103), numerically PyG's
 * RGCNConv with {@code aggr="mean"}: x'_i = b + x_i Θ_root + Σ_r mean_{j -> i, type r}(x_j) W_r,
 * the mean taken per relation over the in-edges of that relation (a relation without in-edges at
 * i adds 0). W_r is a free [F_in, F_out] matrix, a basis combination W_r = Σ_b comp[r, b]
 * weight[b] ({@code numBases}), or block-diagonal with {@code numBlocks} blocks weight[r, k].
 * Parameters as PyG's state_dict: {@code weight}, {@code comp}, {@code root}, {@code bias};
 * weights multiply from the right (y = x W), unlike Linear.
 *
 * <p>How relations reach the layer. Two forms, one computation. (1) Homogeneous, PyG's
 * {@code forward(x, edge_index, edge_type)}: {@link #forward(Tensor, Graph, int[])} with the
 * relation of every edge, or as a {@link GraphLayer} with those ids passed as {@code edgeAttr}
 * [E] (whole numbers in [0, R)), which is how PyG hands over {@code edge_type} too and lets a
 * model stack RGCN with other graph layers unchanged. (2) Heterogeneous ({@link HeteroLayer}):
 * each relation of the {@link HeteroGraph} is already its own edge set with local ids, so the
 * layer aggregates straight from the source type's features; no {@code homogeneous()} copy of
 * all features is made and split again. Relation r is the r-th of the relations given at
 * construction (or of the graph, when none were given); every node type must have F_in features.
 *
 * <p>Speed: per relation the features are aggregated first (mean weights cached per graph) and
 * multiplied afterwards; the [E, F] messages are never built. All products of a target type
 * run as one GEMM: [agg_0 | .. | agg_R-1 | x_i] [N, (R+1) F_in] times [W_0; ..; W_R-1; Θ_root].
 * On a homogeneous graph the aggregates come from one SpMM onto (node, relation) rows, laid out
 * so that its output is already that GEMM input (no concatenation). In the basis form, when the
 * inputs are wide against the edges ({@link #basesFirst}: cora's 1,433 features, not the bench's
 * 64), the bases are applied first instead, x [N, F_in] times [F_in, (B + 1) F_out], and one SpMM
 * whose edge weights carry comp sums the messages: fewer multiply-adds when B < R, for B
 * entries per edge.
 */
public final class RgcnConv implements GraphLayer, HeteroLayer {
  private static final String OP = "RgcnConv";
  /**
   * An SpMM entry's cost per feature against a product's multiply-add ({@link #basesFirst}),
   * from the bench's rgcn workload timed in both forms (docs/bench/layers.md, session 12): with 64
   * input features and ten edges per node bases first was the slower, its B entries per edge
   * gathered and dotted again in the backward, and with cora's 1,433 features the faster.
   */
  static final long EDGE_COST = 32;

  /** Constructor arguments, named as PyG's; at most one of numBases and numBlocks is > 0. */
  public record Config(int inChannels, int outChannels, int numRelations, int numBases,
                       int numBlocks, boolean rootWeight, boolean bias) {
    public Config {
      if (inChannels < 1 || outChannels < 1 || numRelations < 1 || numBases < 0
          || numBlocks < 0) {
        throw new IllegalArgumentException(OP + ": need inChannels, outChannels, numRelations"
            + " >= 1 and numBases, numBlocks >= 0 (got " + inChannels + ", " + outChannels + ", "
            + numRelations + ", " + numBases + ", " + numBlocks + ")");
      }
      if (numBases > 0 && numBlocks > 0) {
        throw new IllegalArgumentException(OP + ": numBases and numBlocks are exclusive (got "
            + numBases + " and " + numBlocks + ", expected at most one > 0)");
      }
      if (numBlocks > 0 && (inChannels % numBlocks != 0 || outChannels % numBlocks != 0)) {
        throw new IllegalArgumentException(OP + ": numBlocks must divide inChannels and"
            + " outChannels (got " + numBlocks + " for " + inChannels + " -> " + outChannels + ")");
      }
    }

    /** PyG's defaults: full W_r per relation, root weight, bias. */
    public static Config of(int inChannels, int outChannels, int numRelations) {
      return new Config(inChannels, outChannels, numRelations, 0, 0, true, true);
    }

    public Config withBases(int b) {
      return new Config(inChannels, outChannels, numRelations, b, 0, rootWeight, bias);
    }

    public Config withBlocks(int k) {
      return new Config(inChannels, outChannels, numRelations, 0, k, rootWeight, bias);
    }

    public Config withRootWeight(boolean on) {
      return new Config(inChannels, outChannels, numRelations, numBases, numBlocks, on, bias);
    }

    public Config withBias(boolean on) {
      return new Config(inChannels, outChannels, numRelations, numBases, numBlocks, rootWeight,
          on);
    }
  }

  private final Config cfg;
  private final List<Relation> relations;  // relation r of the hetero form, or null: graph order
  // weight: [R, F_in, F_out]; bases [B, F_in, F_out]; blocks [R, K, F_in/K, F_out/K]
  private final Tensor weight;
  private final Tensor comp;      // [R, B] or null
  private final Tensor root;      // [F_in, F_out] or null
  private final Tensor bias;      // [F_out] or null
  private final Tensor blockMask; // [K, 1, K, 1] identity, constant; null without blocks
  private Object cachedFor;       // the graph (and edge types) the cached split belongs to
  private int[] cachedTypes;
  private Split cached;
  private BasisSplit cachedBasis;               // the basis form's edges, for the cached split
  private Map<Relation, Tensor> cachedHetero;   // mean weights [E_r] of each relation
  private Tensor cachedAttr;                    // the edgeAttr last read as relation ids
  private int[] cachedAttrTypes;

  /** Per relation r: its edges and the mean weight 1 / in-degree_r(target) of each edge [E_r]. */
  /**
   * The relations of a homogeneous graph as one edge set onto "virtual rows": edge j -> i of
   * relation r goes to row i (R + 1) + r with weight 1 / (in-degree of i in r), and row
   * i (R + 1) + R holds i's own features (a loop of weight 1, when there is a root weight). One
   * SpMM then writes [N (R + 1), F_in], which read as [N, (R + 1) F_in] is [agg_0 | .. | agg_R-1
   * | x]: the GEMM's input with no concatenation.
   */
  private record Split(EdgeIndex edges, Tensor weight) {}

  /** A layer for the homogeneous form (and the hetero form in the graph's relation order). */
  public RgcnConv(Context ctx, Config cfg, SplittableRandom rng) {
    this(ctx, cfg, null, rng);
  }

  /**
   * A layer whose relation r is {@code relations.get(r)} in the hetero form.
   *
   * @throws IllegalArgumentException if the list does not have numRelations distinct entries
   */
  public RgcnConv(Context ctx, Config cfg, List<Relation> relations, SplittableRandom rng) {
    this.cfg = cfg;
    int r = cfg.numRelations();
    if (relations != null && (relations.size() != r || Set.copyOf(relations).size() != r)) {
      throw new IllegalArgumentException(OP + ": relations must be numRelations distinct ones"
          + " (got " + relations + ", expected " + r + ")");
    }
    this.relations = relations == null ? null : List.copyOf(relations);
    int in = cfg.inChannels();
    int out = cfg.outChannels();
    if (cfg.numBases() > 0) {
      int b = cfg.numBases();
      weight = glorot(ctx, rng, in, out, b, in, out);
      comp = glorot(ctx, rng, r, b, r, b);
    } else if (cfg.numBlocks() > 0) {
      int k = cfg.numBlocks();
      weight = glorot(ctx, rng, in / k, out / k, r, k, in / k, out / k);
      comp = null;
    } else {
      weight = glorot(ctx, rng, in, out, r, in, out);
      comp = null;
    }
    root = cfg.rootWeight() ? glorot(ctx, rng, in, out, in, out) : null;
    bias = cfg.bias() ? Init.zeros(ctx, out) : null;
    blockMask = cfg.numBlocks() > 0 ? identityMask(ctx, cfg.numBlocks()) : null;
  }

  /** PyG's glorot on the last two dims (fan in, fan out), over a tensor of shape {@code dims}. */
  private static Tensor glorot(Context ctx, SplittableRandom rng, int fanIn, int fanOut,
                               int... dims) {
    float a = (float) Math.sqrt(6.0 / (fanIn + fanOut));
    return ctx.uniform(rng, -a, a, dims).requiresGrad(true);
  }

  private static Tensor identityMask(Context ctx, int k) {
    Tensor m = ctx.zeros(k, 1, k, 1);
    for (int i = 0; i < k; i++) m.data()[i * k + i] = 1f;
    return m;
  }

  public Config config() {
    return cfg;
  }

  // ---- homogeneous form ------------------------------------------------------------------

  /**
   * @param x [N, F_in]
   * @param graph one node set of N nodes
   * @param edgeType [E] relation of every edge, in [0, R); not modified, and not to be modified
   *     while the layer may reuse it for the same graph
   * @return [N, F_out]
   * @throws IllegalArgumentException on a bipartite graph, wrong x shape, or an edge type of the
   *     wrong length or out of range (naming its position)
   */
  public Tensor forward(Tensor x, Graph graph, int[] edgeType) {
    if (graph.isBipartite()) {
      throw new IllegalArgumentException(OP + ": the homogeneous form needs one node set (got a"
          + " bipartite " + graph.edges() + "; use the HeteroLayer form for typed node sets)");
    }
    checkFeatures("x", x, graph.numNodes());
    return comp != null && basesFirst(graph.numNodes(), graph.numEdges())
        ? forwardBasesFirst(x, graph, edgeType) : forwardAggregatesFirst(x, graph, edgeType);
  }

  /**
   * Whether the basis form runs bases first: when its estimated work is the smaller, counting a
   * product's multiply-add as 1 and an SpMM entry's as {@link #EDGE_COST} per feature (a gathered
   * row costs more than a multiply-add in a GEMM's cache-blocked tiles).
   */
  boolean basesFirst(int n, int e) {
    long in = cfg.inChannels();
    long out = cfg.outChannels();
    long loops = root == null ? 0 : n;
    long aggregates = (long) n * (cfg.numRelations() + (root == null ? 0 : 1)) * in * out
        + EDGE_COST * (e + loops) * in;
    long bases = (long) n * in * (cfg.numBases() + (root == null ? 0 : 1)) * out
        + EDGE_COST * ((long) e * cfg.numBases() + loops) * out;
    return bases < aggregates;
  }

  /** The general form: per-relation aggregates, then one product with every W_r stacked. */
  Tensor forwardAggregatesFirst(Tensor x, Graph graph, int[] edgeType) {
    Split s = split(graph, edgeType);
    int r = cfg.numRelations();
    int blocks = root == null ? r : r + 1;
    Tensor a = Spmm.aggregate(s.edges(), s.weight(), x)
        .view(graph.numNodes(), blocks * cfg.inChannels());       // [N, (R+1) F_in]
    Tensor w = relationWeights().view(r * cfg.inChannels(), cfg.outChannels());
    return project(a, root == null ? w : Concat.concat(0, w, root));  // [(R+1) F_in, F_out]
  }

  /**
   * The {@link GraphLayer} form: {@code edgeAttr} carries the relation of every edge as [E] (or
   * [E, 1]) whole numbers, as PyG passes {@code edge_type}. Passing the same tensor again (and
   * the same graph) reuses the per-relation edge sets, so a training loop splits once.
   *
   * @throws IllegalArgumentException if edgeAttr is missing, of the wrong shape, or holds a value
   *     that is not a relation id
   */
  @Override
  public Tensor forward(Tensor x, Graph graph, Tensor edgeAttr) {
    int e = graph.numEdges();
    if (edgeAttr == null || edgeAttr.numel() != e || edgeAttr.rank() > 2
        || (edgeAttr.rank() == 2 && edgeAttr.dim(1) != 1)) {
      throw new IllegalArgumentException(OP + ": edgeAttr must hold the relation of every edge"
          + " (got " + (edgeAttr == null ? "null" : edgeAttr.shape()) + ", expected [" + e
          + "] relation ids)");
    }
    if (edgeAttr == cachedAttr) return forward(x, graph, cachedAttrTypes);  // split reused
    float[] v = edgeAttr.data();
    int[] types = new int[e];
    for (int k = 0; k < e; k++) {
      types[k] = (int) v[k];
      if (types[k] != v[k]) {
        throw new IllegalArgumentException(OP + ": edgeAttr[" + k + "] is not a relation id (got "
            + v[k] + ", expected a whole number in [0, " + cfg.numRelations() + "))");
      }
    }
    Tensor y = forward(x, graph, types);
    cachedAttr = edgeAttr;
    cachedAttrTypes = types;
    return y;
  }

  private Split split(Graph graph, int[] edgeType) {
    if (cached != null && cachedFor == graph && cachedTypes == edgeType) return cached;
    EdgeIndex ei = graph.edges();
    int e = ei.numEdges();
    int r = cfg.numRelations();
    if (edgeType == null || edgeType.length != e) {
      throw new IllegalArgumentException(OP + ": edgeType must give the relation of every edge"
          + " (got " + (edgeType == null ? "null" : "length " + edgeType.length) + ", expected "
          + e + ")");
    }
    for (int k = 0; k < e; k++) {
      if (edgeType[k] < 0 || edgeType[k] >= r) {
        throw new IllegalArgumentException(OP + ": edgeType[" + k + "] is out of range (got "
            + edgeType[k] + ", expected 0 <= edgeType < " + r + " relations)");
      }
    }
    int n = ei.numNodes();
    int blocks = root == null ? r : r + 1;
    int loops = root == null ? 0 : n;
    int[] src = new int[e + loops];
    int[] dst = new int[e + loops];
    for (int k = 0; k < e; k++) {
      src[k] = ei.src()[k];
      dst[k] = Math.addExact(Math.multiplyExact(ei.dst()[k], blocks), edgeType[k]);
    }
    for (int i = 0; i < loops; i++) {
      src[e + i] = i;
      dst[e + i] = i * blocks + r;
    }
    EdgeIndex virtual = EdgeIndex.bipartite(src, dst, n, Math.multiplyExact(n, blocks));
    cached = new Split(virtual, meanWeights(weight.ctx(), virtual));
    cachedBasis = null;
    cachedFor = graph;
    cachedTypes = edgeType;
    return cached;
  }

  /**
   * The basis form with the bases applied before the edges: h_jb = x_j weight[b] for every
   * node j and basis b (and x_j root as one more slot), then x'_i = Σ_{j -> i, type r} (1 /
   * in-degree_r(i)) Σ_b comp[r, b] h_jb + x_i root as one SpMM whose edge weights carry comp. The
   * product is [N, F_in] times [F_in, (B + 1) F_out] where the aggregate-first form multiplies
   * [N, (R + 1) F_in] by [(R + 1) F_in, F_out]: (B + 1) / (R + 1) of its multiply-adds, forward
   * and backward alike, for B SpMM entries per edge instead of one.
   */
  Tensor forwardBasesFirst(Tensor x, Graph graph, int[] edgeType) {
    BasisSplit s = basisSplit(graph, edgeType);
    int n = graph.numNodes();
    int in = cfg.inChannels();
    int out = cfg.outChannels();
    int b = cfg.numBases();
    int slots = root == null ? b : b + 1;
    Tensor w = root == null ? weight : Concat.concat(0, weight, root.view(1, in, out));
    Tensor wAll = Reshape.permute(w, 1, 0, 2).view(in, slots * out);    // [F_in, slots F_out]
    Tensor h = MatMul.matmul(x, wAll).view(n * slots, out);              // row j slots + b
    // edge weight of entry e B + b: mean_e comp[r_e, b]; the root's loops weigh 1
    Tensor coef = Elementwise.mul(IndexSelect.rows(comp.view(cfg.numRelations() * b),
        s.compIndex()), s.mean());
    Tensor ew = root == null ? coef : Concat.concat(0, coef, s.loopWeights());
    Tensor y = Spmm.aggregate(s.edges(), ew, h);                         // [N, F_out]
    return bias == null ? y : Elementwise.add(y, bias);
  }

  /**
   * The basis form's edge set: entry e B + b takes row src_e slots + b of h to dst_e with
   * weight mean_e comp[type_e, b] (compIndex = type_e B + b, mean = 1 / in-degree of dst_e in
   * its relation); with a root weight, N loops then take row i slots + B to i with weight 1.
   * Entries of one edge are adjacent, so the SpMM reads an edge's B rows of h as one run.
   */
  private record BasisSplit(EdgeIndex edges, int[] compIndex, Tensor mean, Tensor loopWeights) {}

  private BasisSplit basisSplit(Graph graph, int[] edgeType) {
    if (cachedBasis != null && cachedFor == graph && cachedTypes == edgeType) return cachedBasis;
    Split rel = split(graph, edgeType);          // validates edgeType; its weights are the means
    EdgeIndex ei = graph.edges();
    int e = ei.numEdges();
    int n = ei.numNodes();
    int b = cfg.numBases();
    int slots = root == null ? b : b + 1;
    int loops = root == null ? 0 : n;
    int entries = Math.addExact(Math.multiplyExact(e, b), loops);
    int[] src = new int[entries];
    int[] dst = new int[entries];
    int[] compIndex = new int[e * b];
    float[] mean = new float[e * b];
    float[] relMean = rel.weight().data();      // [E + loops]: edge k's mean weight first
    for (int k = 0; k < e; k++) {
      for (int c = 0; c < b; c++) {
        int at = k * b + c;
        src[at] = ei.src()[k] * slots + c;
        dst[at] = ei.dst()[k];
        compIndex[at] = edgeType[k] * b + c;
        mean[at] = relMean[k];
      }
    }
    for (int i = 0; i < loops; i++) {
      src[e * b + i] = i * slots + b;
      dst[e * b + i] = i;
    }
    Context ctx = weight.ctx();
    float[] ones = new float[loops];
    Arrays.fill(ones, 1f);
    cachedBasis = new BasisSplit(EdgeIndex.bipartite(src, dst, Math.multiplyExact(n, slots), n),
        compIndex, ctx.tensor(mean, mean.length), ctx.tensor(ones, loops));
    return cachedBasis;
  }

  /** w[e] = 1 / in-degree(dst[e]): SpMM with these weights is the mean over in-edges. */
  private static Tensor meanWeights(Context ctx, EdgeIndex edges) {
    float[] w = EdgeWeights.mean(edges);                       // w: [E_r]
    return ctx.tensor(w, w.length);
  }

  // ---- heterogeneous form ----------------------------------------------------------------

  /**
   * Every node type of the graph needs [N_t, F_in] features; outputs [N_t, F_out] for the types
   * some relation ends at.
   *
   * @throws IllegalArgumentException naming the relation the layer does not know (or when the
   *     graph has more relations than the layer), or the node type whose features are missing
   *     or of the wrong shape
   */
  @Override
  public Map<String, Tensor> forward(Map<String, Tensor> x, HeteroGraph graph,
                                     Map<Relation, Tensor> edgeAttr) {
    for (String t : graph.nodeTypes()) {
      checkFeatures("x['" + t + "']", x.get(t), graph.numNodes(t));
    }
    List<Relation> rels = graph.relations();
    int[] index = relationIndices(rels);
    Map<Relation, Tensor> weights = heteroMeanWeights(graph);
    // w: R x [1, F_in, F_out]
    Tensor[] w = Concat.split(relationWeights(), 0, ones(cfg.numRelations()));
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (String t : graph.nodeTypes()) {
      List<Tensor> parts = new ArrayList<>();
      List<Tensor> ws = new ArrayList<>();
      if (root != null) parts.add(x.get(t));
      for (int k = 0; k < rels.size(); k++) {
        Relation rel = rels.get(k);
        if (!rel.dst().equals(t)) continue;
        parts.add(Spmm.aggregate(graph.edges(rel), weights.get(rel), x.get(rel.src())));
        ws.add(w[index[k]].view(cfg.inChannels(), cfg.outChannels()));
      }
      if (ws.isEmpty()) continue;
      Tensor stacked = ws.size() == 1 ? ws.get(0) : Concat.concat(0, ws.toArray(Tensor[]::new));
      out.put(t, combine(parts, stacked));
    }
    return out;
  }

  private int[] relationIndices(List<Relation> rels) {
    int[] index = new int[rels.size()];
    if (relations == null) {
      if (rels.size() > cfg.numRelations()) {
        throw new IllegalArgumentException(OP + ": the graph has more relations than the layer"
            + " (got " + rels + ", expected at most " + cfg.numRelations() + ")");
      }
      for (int k = 0; k < index.length; k++) index[k] = k;
      return index;
    }
    for (int k = 0; k < index.length; k++) {
      index[k] = relations.indexOf(rels.get(k));
      if (index[k] < 0) {
        throw new IllegalArgumentException(OP + ": relation " + rels.get(k) + " is not one the"
            + " layer was built for (expected one of " + relations + ")");
      }
    }
    return index;
  }

  private Map<Relation, Tensor> heteroMeanWeights(HeteroGraph graph) {
    if (cachedFor == graph && cachedHetero != null) return cachedHetero;
    Map<Relation, Tensor> m = new LinkedHashMap<>();
    for (Relation rel : graph.relations()) m.put(rel, meanWeights(weight.ctx(), graph.edges(rel)));
    cachedFor = graph;
    cached = null;
    cachedBasis = null;
    cachedHetero = m;
    return m;
  }

  private static int[] ones(int n) {
    int[] a = new int[n];
    Arrays.fill(a, 1);
    return a;
  }

  // ---- shared ----------------------------------------------------------------------------

  /**
   * W_r for every relation as the forward multiplies them (bases combined, blocks laid out
   * block-diagonally): [R, F_in, F_out]. For engines that run the layer's equation themselves
   * (layer-wise inference on Spark).
   */
  public Tensor relationWeights() {
    int r = cfg.numRelations();
    int in = cfg.inChannels();
    int out = cfg.outChannels();
    if (comp != null) {                                        // W_r = Σ_b comp[r, b] weight[b]
      return MatMul.matmul(comp, weight.view(cfg.numBases(), in * out)).view(r, in, out);
    }
    if (blockMask != null) {
      // weight [R, K, a, 1, b] * δ [K, 1, K, 1] = [R, K, a, K, b]: block (k, k) of a dense
      // [R, K a, K b] matrix holds weight[r, k], the other blocks are 0
      int k = cfg.numBlocks();
      return Elementwise.mul(weight.view(r, k, in / k, 1, out / k), blockMask).view(r, in, out);
    }
    return weight;
  }

  /** [parts...] [N, n F_in] @ w [n F_in, F_out] (+ bias), root rows prepended to w. */
  private Tensor combine(List<Tensor> parts, Tensor w) {
    Tensor a = parts.size() == 1 ? parts.get(0) : Concat.concat(1, parts.toArray(Tensor[]::new));
    return project(a, root == null ? w : Concat.concat(0, root, w));
  }

  /** a [N, K] @ wAll [K, F_out] + bias: the one product both forms end in. */
  private Tensor project(Tensor a, Tensor wAll) {
    Tensor y = MatMul.matmul(a, wAll);                        // [N, F_out]
    return bias == null ? y : Elementwise.add(y, bias);
  }

  private void checkFeatures(String name, Tensor x, int n) {
    if (x == null || x.rank() != 2 || x.dim(0) != n || x.dim(1) != cfg.inChannels()) {
      throw new IllegalArgumentException(OP + ": " + name + " has shape "
          + (x == null ? "null (missing)" : x.shape()) + ", expected [" + n + ", "
          + cfg.inChannels() + "]");
    }
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("weight", weight);
    if (comp != null) m.put("comp", comp);
    if (root != null) m.put("root", root);
    if (bias != null) m.put("bias", bias);
    return m;
  }
}
