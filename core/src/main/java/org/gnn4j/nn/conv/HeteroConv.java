package org.gnn4j.nn.conv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.nn.BipartiteLayer;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Concat;
import org.gnn4j.ops.Elementwise;
import org.gnn4j.ops.Scatter;
import org.gnn4j.tensor.Tensor;

/**
 * One layer per relation, results combined per target type: PyG's HeteroConv (as in Schlichtkrull
 * et al., arXiv:1703.06103, with any layer per relation). For relation (s, r, t) the layer runs
 * on that relation's edges, bipartite {@code conv(x_s, x_t)} when s != t (it must then be a
 * {@link BipartiteLayer}) and {@code conv(x_s)} when s == t; then per target type
 * out_t = aggr over the relations into t of their outputs (sum, mean or max, taken in the
 * layer's relation order as PyG stacks them; a single relation's output is passed as it is).
 * So every relation contributes its own bias and root term. Relations of the layer that the
 * graph lacks are skipped; a relation of the graph the layer has no layer for is an error.
 * Parameters: {@code convs.<src___rel___dst>.<name>}, PyG's ModuleDict key.
 */
public final class HeteroConv implements HeteroLayer {
  private static final String OP = "HeteroConv";

  /** How the outputs of the relations into one node type combine (PyG's {@code aggr}). */
  public enum Aggr { SUM, MEAN, MAX }

  private final Map<Relation, GraphLayer> convs;
  private final Aggr aggr;

  /**
   * @param convs relation -> its layer, in the order PyG's dict would hold them
   * @throws IllegalArgumentException if there are none, or a relation between two node types
   *     has a layer that cannot run bipartite
   */
  public HeteroConv(Map<Relation, ? extends GraphLayer> convs, Aggr aggr) {
    if (convs.isEmpty()) {
      throw new IllegalArgumentException(OP + ": no relations (got 0 layers, expected >= 1)");
    }
    for (var e : convs.entrySet()) {
      if (!e.getKey().sameType() && !(e.getValue() instanceof BipartiteLayer)) {
        throw new IllegalArgumentException(OP + ": relation " + e.getKey() + " joins two node"
            + " types, so its layer must be a BipartiteLayer (got "
            + e.getValue().getClass().getSimpleName() + ")");
      }
    }
    this.convs = new LinkedHashMap<>(convs);
    this.aggr = aggr;
  }

  /** Sum aggregation, PyG's default. */
  public HeteroConv(Map<Relation, ? extends GraphLayer> convs) {
    this(convs, Aggr.SUM);
  }

  /**
   * @param x node type -> [N_t, F_t], for every type some relation of the graph touches
   * @param edgeAttr relation -> [E_r, D] for the layers that read edge features
   * @return node type -> [N_t, F_out] for the types some relation of the graph ends at
   * @throws IllegalArgumentException naming a relation of the graph without a layer, a node type
   *     without features, or a target type whose relations' outputs differ in shape
   */
  @Override
  public Map<String, Tensor> forward(Map<String, Tensor> x, HeteroGraph graph,
                                     Map<Relation, Tensor> edgeAttr) {
    for (Relation r : graph.relations()) {
      if (!convs.containsKey(r)) {
        throw new IllegalArgumentException(OP + ": relation " + r + " of the graph has no layer"
            + " (expected one of " + convs.keySet() + ")");
      }
    }
    Map<String, List<Tensor>> outs = new LinkedHashMap<>();
    Map<String, List<Relation>> from = new LinkedHashMap<>();
    for (var e : convs.entrySet()) {
      Relation r = e.getKey();
      if (!graph.relations().contains(r)) continue;
      Tensor xs = features(x, r, r.src());
      Graph g = graph.graph(r);
      Tensor ea = edgeAttr.get(r);
      Tensor y = r.sameType() ? e.getValue().forward(xs, g, ea)
          : ((BipartiteLayer) e.getValue()).forward(xs, features(x, r, r.dst()), g, ea);
      outs.computeIfAbsent(r.dst(), k -> new ArrayList<>()).add(y);
      from.computeIfAbsent(r.dst(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Tensor> result = new LinkedHashMap<>();
    for (var e : outs.entrySet()) result.put(e.getKey(), group(e.getValue(), from.get(e.getKey())));
    return result;
  }

  private static Tensor features(Map<String, Tensor> x, Relation r, String type) {
    Tensor t = x.get(type);
    if (t == null) {
      throw new IllegalArgumentException(OP + ": no features for node type '" + type
          + "' (needed by relation " + r + "; got types " + x.keySet() + ")");
    }
    return t;
  }

  /** PyG's {@code group}: stack the [N, F] outputs and reduce over the stack. */
  private Tensor group(List<Tensor> ys, List<Relation> rels) {
    Tensor first = ys.get(0);
    for (int k = 1; k < ys.size(); k++) {
      if (!ys.get(k).shape().equals(first.shape())) {
        throw new IllegalArgumentException(OP + ": relations into '" + rels.get(0).dst()
            + "' give outputs of different shapes (got " + ys.get(k).shape() + " from "
            + rels.get(k) + ", expected " + first.shape() + " as from " + rels.get(0) + ")");
      }
    }
    if (ys.size() == 1) return first;
    return switch (aggr) {
      case SUM -> sum(ys);
      case MEAN -> sum(ys).mul(1f / ys.size());
      case MAX -> {
        // rows k N + i of the stack all reduce onto row i; ties go to the first relation
        int n = first.dim(0);
        int[] index = new int[n * ys.size()];
        for (int k = 0; k < index.length; k++) index[k] = k % n;
        yield Scatter.max(Concat.concat(0, ys.toArray(Tensor[]::new)), index, n);
      }
    };
  }

  private static Tensor sum(List<Tensor> ys) {
    Tensor s = ys.get(0);
    for (int k = 1; k < ys.size(); k++) s = Elementwise.add(s, ys.get(k));
    return s;
  }

  /** The layer of a relation. */
  public GraphLayer conv(Relation r) {
    GraphLayer l = convs.get(r);
    if (l == null) {
      throw new IllegalArgumentException(OP + ": no layer for relation " + r + " (expected one"
          + " of " + convs.keySet() + ")");
    }
    return l;
  }

  @Override
  public void train(boolean on) {
    for (GraphLayer l : convs.values()) l.train(on);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (var e : convs.entrySet()) {
      Relation r = e.getKey();
      String key = "convs.<" + r.src() + "___" + r.name() + "___" + r.dst() + ">";
      Module.addAll(m, key, e.getValue());
    }
    return m;
  }
}
