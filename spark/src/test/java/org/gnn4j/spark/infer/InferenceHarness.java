package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.model.ModelSpec;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import scala.Tuple2;

/**
 * What the layer-wise inference tests share: a {@code local[2]} session, Cora and a random graph
 * of 10,000 nodes (arbitrary long ids, hubs, self-loops, duplicate edges, 100 isolated nodes,
 * edge features, every edge also a relation for rgcn) as cached tables, models with every parameter perturbed so a dropped term shows,
 * and the comparison of a Spark run with {@link GraphModel}'s forward on one machine. A test class
 * opens one in {@code @BeforeAll} and closes it in {@code @AfterAll}.
 */
public final class InferenceHarness implements AutoCloseable {
  public final SparkSession spark = LocalSpark.start();
  public final Context ctx = Context.builder().threads(1).seed(1).build();
  public final NodeDataset cora = Datasets.node("cora");
  private final RandomGraph big;
  private GraphTables.Frames coraFrames;   // built once, on first use, and cached
  private GraphTables.Frames bigFrames;

  /** Relations of Cora's edges and of the random graph's, for rgcn (other layers ignore them). */
  static final int CORA_RELATIONS = 3;
  static final int RANDOM_RELATIONS = 4;

  /** The random graph: ids[i] is node i's table id; rel[k] edge k's relation. */
  record RandomGraph(long[] ids, float[] x, int f, int[] src, int[] dst, float[] e, int d, int[] rel) {}

  /** Cora's edges typed by (src + dst) mod 3: symmetric, and every relation well represented. */
  static int[] coraRelations(EdgeIndex e) {
    int[] r = new int[e.numEdges()];
    for (int k = 0; k < r.length; k++) r[k] = (e.src()[k] + e.dst()[k]) % CORA_RELATIONS;
    return r;
  }

  /**
   * @param seed the random graph's seed
   * @param repeatedSelfLoops every 40th edge a self-loop, half of them on node 7 (so a node has
   *     many); otherwise every 50th edge a self-loop on its source
   */
  public InferenceHarness(long seed, boolean repeatedSelfLoops) {
    big = randomGraph(10_000, 40_000, 8, 4, repeatedSelfLoops, new SplittableRandom(seed));
  }

  @Override
  public void close() {
    spark.stop();
    ctx.close();
  }

  private static RandomGraph randomGraph(int n, int m, int f, int d, boolean repeatedSelfLoops,
                                         SplittableRandom rng) {
    long[] ids = new long[n];
    Set<Long> used = new HashSet<>();
    for (int i = 0; i < n; i++) {
      long id;
      do {
        id = rng.nextLong();
      } while (!used.add(id));
      ids[i] = id;
    }
    float[] x = new float[n * f];
    for (int k = 0; k < x.length; k++) x[k] = (float) rng.nextGaussian();
    int[] src = new int[m];
    int[] dst = new int[m];
    int live = n - 100;               // the last 100 nodes have no edges at all
    for (int k = 0; k < m; k++) {
      // hubs: every third edge goes to one of 20 nodes; every 70th edge repeats the one before
      src[k] = rng.nextInt(live);
      dst[k] = k % 3 == 0 ? rng.nextInt(20) : rng.nextInt(live);
      if (repeatedSelfLoops) {
        if (k % 40 == 0) dst[k] = src[k] = k % 80 == 0 ? 7 : src[k];
      } else if (k % 50 == 0) {
        dst[k] = src[k];
      }
      if (k % 70 == 1) {
        src[k] = src[k - 1];
        dst[k] = dst[k - 1];
      }
    }
    float[] e = new float[m * d];
    for (int k = 0; k < e.length; k++) e[k] = (float) rng.nextGaussian();
    // a stream of its own, so adding relations left the graph itself as it was
    SplittableRandom relRng = new SplittableRandom(rng.nextLong());
    int[] rel = new int[m];
    for (int k = 0; k < m; k++) rel[k] = k % 70 == 1 ? rel[k - 1] : relRng.nextInt(RANDOM_RELATIONS);
    return new RandomGraph(ids, x, f, src, dst, e, d, rel);
  }

  /**
   * The model of the config body {@code body} (what goes inside {@code model: {...}}), in eval
   * mode, every parameter perturbed but Performer's fixed random projection.
   */
  public GraphModel model(String body, GraphModel.DataShape shape, long seed) {
    ModelSpec spec = ModelSpec.from(ConfigNode.parse("model: {" + body + "}", "test").section("model"));
    GraphModel m = new GraphModel(ctx, spec, shape, new SplittableRandom(seed));
    perturb(m, new SplittableRandom(seed + 1));
    m.train(false);
    return m;
  }

  /** Moves every parameter (but Performer's fixed random projection) by a random amount. */
  public static void perturb(GraphModel m, SplittableRandom rng) {
    for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
      if (p.getKey().endsWith("projection_matrix")) continue;
      float[] v = p.getValue().data();
      boolean variance = p.getKey().endsWith("running_var");
      for (int k = 0; k < v.length; k++) {
        v[k] = variance ? 0.5f + (float) rng.nextDouble() : v[k] + 0.1f * (float) rng.nextGaussian();
      }
    }
  }

  /** The model's Spark outputs by node id, after the job's own width check of the tables. */
  private Map<Long, float[]> spark(GraphModel m, GraphTables.Frames t, LayerwiseInference.Output out) {
    ModelPlan plan = ModelPlan.of(m);
    if (plan.relations() > 0) {
      InferTables.checkNodes(t.nodes(), plan.numFeatures());
      InferTables.checkRelations(t.edges(), plan.relations());
    } else {
      InferTables.check(t.nodes(), t.edges(), plan.numFeatures(), plan.edgeFeatures());
    }
    Map<Long, float[]> rows = new HashMap<>();
    for (Tuple2<Long, float[]> r : LayerwiseInference.run(spark, plan, t.nodes(), t.edges(), out, 4,
        null).collect()) {
      rows.put(r._1(), r._2());
    }
    return rows;
  }

  /** max |spark - single| <= 1e-5 max |single|: the error relative to the output's scale. */
  private static void assertClose(String what, Tensor want, long[] ids, Map<Long, float[]> got) {
    int n = want.dim(0);
    int w = want.dim(1);
    assertEquals(n, got.size(), what + ": rows");
    double scale = 0;
    for (float v : want.data()) scale = Math.max(scale, Math.abs(v));
    double worst = 0;
    for (int i = 0; i < n; i++) {
      float[] r = got.get(ids == null ? (long) i : ids[i]);
      assertEquals(w, r.length, what + ": width");
      for (int c = 0; c < w; c++) worst = Math.max(worst, Math.abs(r[c] - want.data()[i * w + c]));
    }
    assertTrue(scale > 0, what + ": all-zero output");
    assertTrue(worst <= 1e-5 * scale, what + ": max diff " + worst + " at scale " + scale);
  }

  /** Spark's predictions for Cora against {@link GraphModel#forward}. */
  public void onCora(String body) {
    GraphModel m = model(body, new GraphModel.DataShape(cora.numFeatures(), 0, 0, CORA_RELATIONS,
        cora.numClasses(), false), 3);
    ModelInput in = new ModelInput(ctx.tensor(cora.x(), cora.numNodes(), cora.numFeatures()), null,
        Graph.of(cora.edges()), null, coraRelations(cora.edges()), null);
    Tensor want;
    try (var g = ctx.noGrad()) {
      want = m.forward(in);
    }
    if (coraFrames == null) coraFrames = cached(InferJob.frames(spark, in));
    assertClose("cora " + body, want, null, spark(m, coraFrames, LayerwiseInference.Output.PREDICTIONS));
  }

  /** Spark's predictions or embeddings for the random graph against one machine's. */
  public void onRandomGraph(String body, boolean edgeFeatures, LayerwiseInference.Output out) {
    RandomGraph g = big;
    int n = g.ids().length;
    GraphModel m = model(body, new GraphModel.DataShape(g.f(), 0, edgeFeatures ? g.d() : 0, RANDOM_RELATIONS, 5,
        false), 11);
    ModelInput in = new ModelInput(ctx.tensor(g.x(), n, g.f()), null,
        Graph.of(EdgeIndex.of(g.src(), g.dst(), n)),
        edgeFeatures ? ctx.tensor(g.e(), g.src().length, g.d()) : null, g.rel(), null);
    Tensor want;
    try (var s = ctx.noGrad()) {
      want = out == LayerwiseInference.Output.PREDICTIONS ? m.forward(in) : m.representations(in);
    }
    if (bigFrames == null) bigFrames = cached(bigTables());
    assertClose("random graph " + body, want, g.ids(), spark(m, bigFrames, out));
  }

  private static GraphTables.Frames cached(GraphTables.Frames t) {
    return new GraphTables.Frames(t.nodes().cache(), t.edges().cache(), null);
  }

  private GraphTables.Frames bigTables() {
    RandomGraph g = big;
    List<Row> nodes = new ArrayList<>();
    for (int i = 0; i < g.ids().length; i++) nodes.add(RowFactory.create(g.ids()[i], Blocks.row(g.x(), i, g.f())));
    List<Row> edges = new ArrayList<>();
    for (int k = 0; k < g.src().length; k++) {
      edges.add(RowFactory.create(g.ids()[g.src()[k]], g.ids()[g.dst()[k]], Blocks.row(g.e(), k, g.d()), g.rel()[k]));
    }
    var floats = DataTypes.createArrayType(DataTypes.FloatType, false);
    StructType ns = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.FEATURES, floats, false)));
    StructType es = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.SRC, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.DST, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.FEATURES, floats, false),
        DataTypes.createStructField(GraphTables.RELATION, DataTypes.IntegerType, false)));
    return new GraphTables.Frames(spark.createDataFrame(nodes, ns), spark.createDataFrame(edges, es), null);
  }
}
