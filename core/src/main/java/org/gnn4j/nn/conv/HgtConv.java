package org.gnn4j.nn.conv;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Activations;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.GraphAttention;
import org.gnn4j.ops.MatMul;
import org.gnn4j.ops.Reshape;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Heterogeneous graph transformer (Hu et al., arXiv:2003.01332), numerically PyG 2.6.1's
 * HGTConv. Per node type t: [k | q | v] = kqv_lin_t(x_t), each [N_t, H, D]. Per relation e
 * (s -> t) and head h: k'_j = k_j[h] W^k_{h,e}, v'_j = v_j[h] W^v_{h,e}; for an edge j -> i of
 * relation e, score = q_i[h] . k'_j * p_e[h] / sqrt(D), softmax per target and head over the
 * in-edges of all relations together; agg_i = ‖_h Σ_j α v'_j[h]; o_t = out_lin_t(gelu(agg));
 * where x_t is F wide, out_t = σ(skip_t) o_t + (1 - σ(skip_t)) x_t, else out_t = o_t (and
 * skip_t stays unused). Parameters as PyG's state_dict: {@code kqv_lin.lins.<t>.*},
 * {@code out_lin.lins.<t>.*}, {@code k_rel.weight} and {@code v_rel.weight} [H E_T, D, D]
 * (row h E_T + e, y = x W), {@code skip.<t>} [1], {@code p_rel.<src__rel__dst>} [1, H].
 *
 * <p>How: the per-head D x D matrices of a relation become one block-diagonal [F, F] matrix
 * with p_e folded into its key columns (parameter-sized work), so k' and v' are one GEMM per
 * relation. For each target type the transformed keys and values of its relations are stacked
 * into one source set, and the relations' edges, shifted to that stacking, form one bipartite
 * edge set (built once per graph): one fused {@link GraphAttention} call then computes the joint
 * softmax and aggregation without any [E, H, D] tensor.
 */
public final class HgtConv implements HeteroLayer {
  private static final String OP = "HgtConv";
  private final Map<String, Integer> inChannels;
  private final List<Relation> relations;
  private final int outChannels;
  private final int heads;
  private final Map<String, Linear> kqvLin = new LinkedHashMap<>();   // F_t -> 3F
  private final Map<String, Linear> outLin = new LinkedHashMap<>();   // F -> F
  private final Tensor kRel;                                        // [H E_T, D, D]
  private final Tensor vRel;                                        // [H E_T, D, D]
  private final Map<String, Tensor> skip = new LinkedHashMap<>();     // [1] per node type
  private final Map<Relation, Tensor> pRel = new LinkedHashMap<>();   // [1, H] per relation
  private final Tensor headMask;                                    // [H, 1, H, 1] identity
  private final Map<HeteroGraph, Map<String, Stacked>> cache = new IdentityHashMap<>();

  /** The relations into one target type, their sources stacked in relation order. */
  private record Stacked(List<Relation> relations, EdgeIndex edges) {}

  /**
   * @param inChannels node type -> input width, in PyG's metadata node-type order
   * @param relations the edge types, in PyG's metadata order (fixes k_rel/v_rel rows)
   * @throws IllegalArgumentException if heads does not divide outChannels, a width is &lt; 1, or a
   *     relation names a node type without an input width
   */
  public HgtConv(Context ctx, Map<String, Integer> inChannels, List<Relation> relations,
                 int outChannels, int heads, SplittableRandom rng) {
    if (outChannels < 1 || heads < 1 || outChannels % heads != 0) {
      throw new IllegalArgumentException(OP + ": heads must divide outChannels (got heads "
          + heads + ", outChannels " + outChannels + ")");
    }
    for (Relation r : relations) {
      for (String t : List.of(r.src(), r.dst())) {
        if (!inChannels.containsKey(t)) {
          throw new IllegalArgumentException(OP + ": relation " + r + " names node type '" + t
              + "' without an input width (known: " + inChannels.keySet() + ")");
        }
      }
    }
    this.inChannels = new LinkedHashMap<>(inChannels);
    this.relations = List.copyOf(relations);
    this.outChannels = outChannels;
    this.heads = heads;
    int d = outChannels / heads;
    for (var e : inChannels.entrySet()) {
      if (e.getValue() < 1) {
        throw new IllegalArgumentException(OP + ": node type '" + e.getKey() + "' has width "
            + e.getValue() + " (expected >= 1)");
      }
      kqvLin.put(e.getKey(), new Linear(ctx, e.getValue(), 3 * outChannels, true, rng));
    }
    for (String t : inChannels.keySet()) {
      outLin.put(t, new Linear(ctx, outChannels, outChannels, true, rng));
    }
    float a = (float) (1 / Math.sqrt(d));
    int types = heads * relations.size();
    kRel = ctx.uniform(rng, -a, a, types, d, d).requiresGrad(true);
    vRel = ctx.uniform(rng, -a, a, types, d, d).requiresGrad(true);
    for (String t : inChannels.keySet()) skip.put(t, ctx.ones(1).requiresGrad(true));
    for (Relation r : relations) pRel.put(r, ctx.ones(1, heads).requiresGrad(true));
    headMask = ctx.zeros(heads, 1, heads, 1);
    for (int h = 0; h < heads; h++) headMask.data()[h * heads + h] = 1f;
  }

  /**
   * @param x node type -> [N_t, F_t] for every node type of the graph
   * @return node type -> [N_t, F] for the types some relation of the graph ends at
   * @throws IllegalArgumentException naming the relation or node type the layer was not built
   *     for, or the node type whose features are missing or of the wrong shape
   */
  @Override
  public Map<String, Tensor> forward(Map<String, Tensor> x, HeteroGraph graph,
                                     Map<Relation, Tensor> edgeAttr) {
    check(x, graph);
    int n = outChannels;
    Map<String, Tensor[]> kqv = new LinkedHashMap<>();               // type -> k, q, v [N_t, F]
    for (String t : graph.nodeTypes()) {
      kqv.put(t, Concat.split(kqvLin.get(t).forward(x.get(t)), 1, n, n, n));
    }
    Tensor[] wk = relationMatrices(kRel, true);                     // E_T x [F, F]
    Tensor[] wv = relationMatrices(vRel, false);
    Map<String, Stacked> stacked = stacked(graph);
    Map<String, Tensor> out = new LinkedHashMap<>();
    int d = n / heads;
    for (var e : stacked.entrySet()) {
      String t = e.getKey();
      Stacked s = e.getValue();
      Tensor[] keys = new Tensor[s.relations().size()];
      Tensor[] values = new Tensor[keys.length];
      for (int i = 0; i < keys.length; i++) {
        Relation r = s.relations().get(i);
        int ri = relations.indexOf(r);
        keys[i] = MatMul.matmul(kqv.get(r.src())[0], wk[ri]);        // [N_src, F]
        values[i] = MatMul.matmul(kqv.get(r.src())[2], wv[ri]);
      }
      Tensor k = keys.length == 1 ? keys[0] : Concat.concat(0, keys);   // [M, F]
      Tensor v = values.length == 1 ? values[0] : Concat.concat(0, values);
      int nt = graph.numNodes(t);
      Tensor agg = GraphAttention.apply(s.edges(), kqv.get(t)[1].view(nt, heads, d),
          k.view(k.dim(0), heads, d), v.view(v.dim(0), heads, d), (float) (1 / Math.sqrt(d)));
      Tensor o = outLin.get(t).forward(Activations.gelu(agg.view(nt, n)));   // [N_t, F]
      if (inChannels.get(t) == n) {
        Tensor a = skip.get(t).sigmoid();                            // [1]
        o = Elementwise.add(Elementwise.mul(a, o), Elementwise.mul(a.neg().add(1f), x.get(t)));
      }
      out.put(t, o);
    }
    return out;
  }

  /**
   * W per relation as one block-diagonal [F, F] matrix over heads: rel [H E_T, D, D] viewed
   * [H, E_T, D, 1, D], permuted to [E_T, H, D, 1, D], times the head identity [H, 1, H, 1] gives
   * [E_T, H, D, H, D] = [E_T, F, F] with block (h, h) = rel[h E_T + e]. For keys, the columns of
   * head h are scaled by p_e[h] (so the score needs no per-edge factor).
   */
  private Tensor[] relationMatrices(Tensor rel, boolean withP) {
    int et = relations.size();
    int d = outChannels / heads;
    int f = outChannels;
    Tensor perm = Reshape.permute(rel.view(heads, et, d, 1, d), 1, 0, 2, 3, 4);
    Tensor dense = Elementwise.mul(perm, headMask);                  // [E_T, H, D, H, D]
    int[] ones = new int[et];
    java.util.Arrays.fill(ones, 1);
    Tensor[] w = Concat.split(dense.view(et, f, f), 0, ones);
    for (int e = 0; e < et; e++) {
      w[e] = w[e].view(f, f);
      if (withP) {
        Tensor p = pRel.get(relations.get(e)).view(1, heads, 1);
        w[e] = Elementwise.mul(w[e].view(f, heads, d), p).view(f, f);
      }
    }
    return w;
  }

  /** Per target type: its relations in graph order and their edges onto stacked sources. */
  private Map<String, Stacked> stacked(HeteroGraph graph) {
    Map<String, Stacked> s = cache.get(graph);
    if (s != null) return s;
    s = new LinkedHashMap<>();
    for (String t : graph.nodeTypes()) {
      List<Relation> into = graph.relationsInto(t);
      if (into.isEmpty()) continue;
      int total = 0;
      int sources = 0;
      for (Relation r : into) total += graph.edges(r).numEdges();
      int[] src = new int[total];
      int[] dst = new int[total];
      int at = 0;
      for (Relation r : into) {
        EdgeIndex ei = graph.edges(r);
        for (int k = 0; k < ei.numEdges(); k++, at++) {
          src[at] = ei.src()[k] + sources;
          dst[at] = ei.dst()[k];
        }
        sources += ei.numSrcNodes();
      }
      s.put(t, new Stacked(into, EdgeIndex.bipartite(src, dst, sources, graph.numNodes(t))));
    }
    cache.clear();                                // keep the structures of the last graph only
    cache.put(graph, s);
    return s;
  }

  private void check(Map<String, Tensor> x, HeteroGraph graph) {
    for (Relation r : graph.relations()) {
      if (!pRel.containsKey(r)) {
        throw new IllegalArgumentException(OP + ": relation " + r + " is not one the layer was"
            + " built for (expected one of " + relations + ")");
      }
    }
    for (String t : graph.nodeTypes()) {
      Integer f = inChannels.get(t);
      if (f == null) {
        throw new IllegalArgumentException(OP + ": node type '" + t + "' is not one the layer"
            + " was built for (expected one of " + inChannels.keySet() + ")");
      }
      Tensor xt = x.get(t);
      int nt = graph.numNodes(t);
      if (xt == null || xt.rank() != 2 || xt.dim(0) != nt || xt.dim(1) != f) {
        throw new IllegalArgumentException(OP + ": x['" + t + "'] has shape "
            + (xt == null ? "null (missing)" : xt.shape()) + ", expected [" + nt + ", " + f
            + "]");
      }
    }
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (var e : kqvLin.entrySet()) Module.addAll(m, "kqv_lin.lins." + e.getKey(), e.getValue());
    for (var e : outLin.entrySet()) Module.addAll(m, "out_lin.lins." + e.getKey(), e.getValue());
    m.put("k_rel.weight", kRel);
    m.put("v_rel.weight", vRel);
    for (var e : skip.entrySet()) m.put("skip." + e.getKey(), e.getValue());
    for (var e : pRel.entrySet()) m.put("p_rel." + e.getKey(), e.getValue());
    return m;
  }
}
