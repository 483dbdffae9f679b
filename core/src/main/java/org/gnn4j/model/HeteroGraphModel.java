package org.gnn4j.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.graph.Relation;
import org.gnn4j.nn.HeteroLayer;
import org.gnn4j.nn.LayerFactory;
import org.gnn4j.nn.Linear;
import org.gnn4j.nn.Module;
import org.gnn4j.ops.Dropout;
import org.gnn4j.ops.IndexSelect;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * A model over a heterogeneous graph built from a {@link ModelSpec} with {@code model.hetero}:
 * per node type an input encoder to {@code hidden} (a Linear for types with features, a
 * learnable embedding table [N_t, hidden] for featureless ones), then {@code layers} heterogeneous
 * layers, each with activation and dropout after it, and a Linear head on the target type (a
 * model built for data without a target has no head: {@link #embed} gives every type's output).
 * A layer is either PyG's {@code to_hetero} of the config's homogeneous layer (one copy per
 * relation, in_channels (hidden, hidden), combined per target type by a {@code HeteroConv} with
 * {@code hetero.aggr}) or a native heterogeneous layer ({@code hgt}, {@code rgcn}), both built by
 * {@link LayerFactory#createHetero}. A node type no relation ends at keeps its representation.
 * Parameter names: {@code encoders.<type>.weight|bias}, {@code layers.<i>.convs.<s___r___d>...}
 * (or the native layer's own), {@code head.weight|bias}.
 */
public final class HeteroGraphModel implements Module {
  /**
   * The sizes of the heterogeneous data a model is built for.
   *
   * @param numNodes node type -> N_t, in the graph's type order
   * @param numFeatures node type -> F_t (0: featureless, embedded)
   * @param relations the graph's relations, in order (fixes parameter order)
   * @param target the labelled node type; numClasses its classes
   */
  public record DataShape(Map<String, Integer> numNodes, Map<String, Integer> numFeatures,
                          List<Relation> relations, String target, int numClasses) {
    public static DataShape of(HeteroDataset d) {
      Map<String, Integer> n = new LinkedHashMap<>();
      Map<String, Integer> f = new LinkedHashMap<>();
      for (String t : d.graph().nodeTypes()) {
        n.put(t, d.graph().numNodes(t));
        f.put(t, d.numFeatures(t));
      }
      return new DataShape(n, f, d.graph().relations(), d.target(), d.numClasses());
    }
  }

  private final ModelSpec spec;
  private final DataShape shape;
  private final Map<String, Linear> linears = new LinkedHashMap<>();     // F_t -> hidden
  private final Map<String, Tensor> embeddings = new LinkedHashMap<>();  // [N_t, hidden]
  private final List<HeteroLayer> layers = new ArrayList<>();
  private final Linear head;                                            // hidden -> classes, or null
  private boolean training = true;

  /** @throws IllegalArgumentException if the spec has no {@code hetero}, or the target no classes */
  public HeteroGraphModel(Context ctx, ModelSpec spec, DataShape shape, SplittableRandom rng) {
    if (spec.hetero() == null) {
      throw new IllegalArgumentException("HeteroGraphModel: the model spec has no model.hetero");
    }
    if (shape.target() != null && shape.numClasses() < 1) {
      throw new IllegalArgumentException("HeteroGraphModel: the target node type has no classes"
          + " (got target " + shape.target() + ", " + shape.numClasses() + " classes)");
    }
    this.spec = spec;
    this.shape = shape;
    int h = spec.hidden();
    for (var e : shape.numFeatures().entrySet()) {
      String t = e.getKey();
      if (e.getValue() > 0) {
        linears.put(t, new Linear(ctx, e.getValue(), h, true, rng));
      } else {
        // PyG users give featureless types nn.Embedding(N_t, hidden): N(0, 1) rows
        embeddings.put(t, ctx.randn(rng, shape.numNodes().get(t), h).requiresGrad(true));
      }
    }
    for (int i = 0; i < spec.layers(); i++) layers.add(layer(ctx, spec, shape, rng));
    // without a target the model is an encoder (embed), e.g. under an edge decoder
    head = shape.target() == null ? null : new Linear(ctx, h, shape.numClasses(), true, rng);
  }

  private static HeteroLayer layer(Context ctx, ModelSpec spec, DataShape shape, SplittableRandom rng) {
    int h = spec.hidden();
    Map<String, Object> kw = new LinkedHashMap<>();
    switch (spec.layer()) {
      case HGT -> {
        kw.put("in_channels", h);
        kw.put("out_channels", h);
        kw.put("heads", spec.heads());
        kw.put("metadata", metadata(shape));
        return LayerFactory.createHetero(ctx, "hgt", kw, rng);
      }
      case RGCN -> {
        kw.put("in_channels", h);
        kw.put("out_channels", h);
        kw.put("num_relations", shape.relations().size());
        kw.put("metadata", metadata(shape));
        return LayerFactory.createHetero(ctx, "rgcn", kw, rng);
      }
      default -> {
        Map<String, Object> convs = new LinkedHashMap<>();
        for (Relation r : shape.relations()) convs.put(r.toString(), relationLayer(spec, h));
        kw.put("convs", convs);
        kw.put("aggr", spec.hetero().aggr().name().toLowerCase(java.util.Locale.ROOT));
        return LayerFactory.createHetero(ctx, "hetero", kw, rng);
      }
    }
  }

  /**
   * One relation's copy of the config's layer: (hidden, hidden) -> hidden; attention layers
   * concatenate {@code heads} heads of hidden / heads channels and, as PyG's to_hetero examples
   * do, add no self-loops (a relation between two node types has none to add).
   */
  private static Map<String, Object> relationLayer(ModelSpec spec, int h) {
    Map<String, Object> kw = new LinkedHashMap<>();
    kw.put("class", LayerFactory.className(spec.layer().toString()));
    kw.put("in_channels", spec.layer() == ModelSpec.Layer.RESGATED ? (Object) h : List.of(h, h));
    switch (spec.layer()) {
      case GAT, GATV2, TRANSFORMER -> {
        kw.put("out_channels", h / spec.heads());
        kw.put("heads", spec.heads());
        if (spec.layer() != ModelSpec.Layer.TRANSFORMER) kw.put("add_self_loops", false);
        if (spec.layer() != ModelSpec.Layer.TRANSFORMER) kw.put("dropout", spec.attnDropout());
      }
      default -> kw.put("out_channels", h);
    }
    return kw;
  }

  /** PyG's metadata: [node types, [[src, rel, dst], ...]]. */
  private static List<Object> metadata(DataShape shape) {
    List<Object> rels = new ArrayList<>();
    for (Relation r : shape.relations()) rels.add(List.of(r.src(), r.name(), r.dst()));
    return List.of(List.copyOf(shape.numNodes().keySet()), rels);
  }

  public ModelSpec spec() {
    return spec;
  }

  public DataShape shape() {
    return shape;
  }

  @Override
  public void train(boolean on) {
    training = on;
    for (HeteroLayer l : layers) l.train(on);
  }

  /**
   * Dropout, in training mode, draws from the context's current stream ({@code Context#random}).
   *
   * @return [N_target, classes] logits of the target type's nodes of {@code in.graph()}
   */
  public Tensor forward(HeteroInput in) {
    if (head == null) throw new IllegalStateException("HeteroGraphModel: built without a target type; use embed");
    return head.forward(embed(in).get(shape.target()));
  }

  /**
   * The representations of every node type after the last layer (no head): [N_t, hidden] per type.
   */
  public Map<String, Tensor> embed(HeteroInput in) {
    Map<String, Tensor> h = encode(in);
    for (HeteroLayer layer : layers) {
      Map<String, Tensor> out = new LinkedHashMap<>(h);
      for (var e : layer.forward(h, in.graph()).entrySet()) {
        out.put(e.getKey(), Dropout.apply(activate(e.getValue()), spec.dropout(), training));
      }
      h = out;
    }
    return h;
  }

  private Map<String, Tensor> encode(HeteroInput in) {
    Map<String, Tensor> h = new LinkedHashMap<>();
    for (String t : in.graph().nodeTypes()) {
      int n = in.graph().numNodes(t);
      Tensor e;
      if (linears.containsKey(t)) {
        Tensor x = in.x().get(t);
        if (x == null || x.dim(0) != n || x.dim(1) != shape.numFeatures().get(t)) {
          throw new IllegalArgumentException("HeteroGraphModel: node type '" + t + "' needs features ["
              + n + ", " + shape.numFeatures().get(t) + "] (got " + (x == null ? "none" : x.shape()) + ")");
        }
        e = linears.get(t).forward(x);
      } else if (embeddings.containsKey(t)) {
        Tensor table = embeddings.get(t);
        int[] ids = in.nodeIds() == null ? null : in.nodeIds().get(t);
        if (ids == null && n != table.dim(0)) {
          throw new IllegalArgumentException("HeteroGraphModel: node type '" + t + "' has " + n
              + " nodes and no ids; the model's embedding has " + table.dim(0) + " rows");
        }
        e = ids == null ? table : IndexSelect.embedding(table, ids);
      } else {
        throw new IllegalArgumentException("HeteroGraphModel: node type '" + t + "' is not one the model"
            + " was built for (expected one of " + shape.numNodes().keySet() + ")");
      }
      h.put(t, Dropout.apply(e, spec.inputDropout(), training));
    }
    return h;
  }

  private Tensor activate(Tensor x) {
    return switch (spec.activation()) {
      case ELU -> x.elu(1f);
      case GELU -> x.gelu();
      case RELU -> x.relu();
    };
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (String t : shape.numNodes().keySet()) {
      if (linears.containsKey(t)) Module.addAll(m, "encoders." + t, linears.get(t));
      if (embeddings.containsKey(t)) m.put("encoders." + t + ".weight", embeddings.get(t));
    }
    for (int i = 0; i < layers.size(); i++) Module.addAll(m, "layers." + i, layers.get(i));
    if (head != null) Module.addAll(m, "head", head);
    return m;
  }
}
