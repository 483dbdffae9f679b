package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.gnn4j.spark.infer.attention.GlobalPlan;
import org.gnn4j.spark.tables.GraphTables;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import scala.Tuple2;

/**
 * Layer-wise inference of a trained model over a whole graph held as Spark tables (DistDGL's
 * full-graph inference): the model runs one layer at a time over every node, never a node's
 * whole receptive field at once, so the cost is one pass over the edges per layer. A layer is:
 * the dense node-side step on blocks of rows ({@code mapPartitions}, gnn4j's kernels), a join of
 * what each node sends to its out-edges (nodes and edges are partitioned alike by node id, so the
 * join moves nothing), messages turned into aggregate states and merged map-side and after the
 * one shuffle by target, and the dense update on blocks. Degrees are computed once in SQL. Each
 * layer's output is checkpointed locally (lineage cut) and the previous one released.
 */
public final class LayerwiseInference {
  private LayerwiseInference() {}

  /** What the run returns per node. */
  public enum Output {
    /** The model's outputs (logits for node classification). */
    PREDICTIONS,
    /** What the prediction head reads ({@code GraphModel.representations}). */
    EMBEDDINGS
  }

  /** A node between layers: its row and its statistics ([LayerPlan.Stats.WIDTH]). */
  record NodeRow(float[] h, float[] stats) implements Serializable {}

  /** A node after a layer's node-side step: its input row too (for the residual). */
  record SideRow(float[] h, float[] stats, float[] send, float[] target, float[] keep) implements Serializable {}

  /** An out-edge of a node: its target and its features (null without). */
  record EdgeRow(long dst, float[] features) implements Serializable {}

  /**
   * Runs {@code plan} over the graph of {@code nodes} (id, features) and {@code edges} (src, dst
   * and, when the model reads them, features), which {@link InferTables#check} has accepted.
   *
   * @param partitions partitions of the node and edge data (and of each shuffle)
   * @param progress one line per layer, or null
   * @return (node id, row) for every node
   */
  public static JavaPairRDD<Long, float[]> run(SparkSession spark, ModelPlan plan, Dataset<Row> nodes,
                                               Dataset<Row> edges, Output output, int partitions,
                                               PrintStream progress) {
    return run(spark, plan, nodes, edges, output, partitions, progress, -1);
  }

  /**
   * {@link #run(SparkSession, ModelPlan, Dataset, Dataset, Output, int, PrintStream)} with the
   * number of nodes when the caller knows it (a graph's {@code graph.json}), -1 to count them:
   * it only sizes the block engine's blocks, so a wrong figure costs speed, not correctness.
   */
  public static JavaPairRDD<Long, float[]> run(SparkSession spark, ModelPlan plan, Dataset<Row> nodes,
                                               Dataset<Row> edges, Output output, int partitions,
                                               PrintStream progress, long nodeCount) {
    if (BlockInference.runs(plan)) {
      return BlockInference.run(spark, plan, nodes, edges, output, partitions, progress, nodeCount);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ModelPlan> model = jsc.broadcast(plan);
    Partitioner part = new HashPartitioner(partitions);
    String id = GraphTables.ID;
    Dataset<Row> in = edges.groupBy(col(GraphTables.DST).as(id)).agg(count(lit(1)).as("in_deg"),
        sum(when(col(GraphTables.SRC).notEqual(col(GraphTables.DST)), 1).otherwise(0)).as("in_nl"));
    Dataset<Row> out = edges.groupBy(col(GraphTables.SRC).as(id)).agg(count(lit(1)).as("out_deg"));
    Dataset<Row> withStats = nodes.select(col(id), col(GraphTables.FEATURES))
        .join(in, id, "left").join(out, id, "left").na().fill(0, new String[] {"in_deg", "in_nl", "out_deg"});
    JavaPairRDD<Long, NodeRow> state = withStats.javaRDD().mapToPair(r -> {
      float[] s = new float[LayerPlan.Stats.WIDTH];
      s[LayerPlan.Stats.IN_DEGREE] = r.getLong(2);
      s[LayerPlan.Stats.IN_DEGREE_NO_LOOPS] = r.getLong(3);
      s[LayerPlan.Stats.OUT_DEGREE] = r.getLong(4);
      return new Tuple2<>(r.getLong(0), new NodeRow(floats(r.getList(1)), s));
    }).partitionBy(part);
    state.persist(StorageLevel.MEMORY_AND_DISK());

    boolean edgeFeatures = plan.edgeFeatures() > 0;
    Dataset<Row> e = edgeFeatures
        ? edges.select(col(GraphTables.SRC), col(GraphTables.DST), col(GraphTables.FEATURES))
        : edges.select(col(GraphTables.SRC), col(GraphTables.DST));
    JavaPairRDD<Long, EdgeRow> bySrc = e.javaRDD().mapToPair(r -> new Tuple2<>(r.getLong(0),
        new EdgeRow(r.getLong(1), r.size() > 2 ? floats(r.getList(2)) : null))).partitionBy(part);
    if (edgeFeatures) {
      bySrc = bySrc.mapPartitionsToPair(it -> Blocks.map(it, (ctx, block) ->
          edgeStep(ctx, block, x -> model.value().encodeEdges(ctx, x))), true);
    }
    bySrc.persist(StorageLevel.MEMORY_AND_DISK());

    int run = output == Output.EMBEDDINGS ? plan.hiddenLayers() : plan.layers().size();
    boolean head = output == Output.PREDICTIONS;
    if (run == 0) {     // a one-layer head: conv model's embeddings are its encoded inputs
      return state.mapPartitionsToPair(it -> Blocks.map(it, (ctx, block) -> {
        Tensor x = model.value().encodeNodes(ctx, nodeBlock(ctx, block));
        return rows(x);
      }), true);
    }
    for (int i = 0; i < run; i++) {
      final int layer = i;
      LayerPlan lp = plan.layers().get(i);
      JavaPairRDD<Long, SideRow> side = state.mapPartitionsToPair(it -> Blocks.map(it,
          (ctx, block) -> nodeSide(ctx, model.value(), layer, block)), true);
      side.persist(StorageLevel.MEMORY_AND_DISK());
      Broadcast<double[]> global = lp instanceof GlobalPlan
          ? jsc.broadcast(globalSums(side, model, layer)) : null;
      JavaPairRDD<Long, EdgeRow> layerEdges = lp.edgeWidth() > 0
          ? bySrc.mapPartitionsToPair(it -> Blocks.map(it, (ctx, block) ->
              edgeStep(ctx, block, x -> model.value().layers().get(layer).edgeSide(ctx, x))), true)
          : bySrc;
      if (lp.replacesSelfLoops()) layerEdges = layerEdges.filter(t -> t._1() != t._2().dst());
      // (target, (source's send row, edge row)) for every edge, each message computed where its
      // source lives when it reads only the source
      JavaPairRDD<Long, double[]> aggregates;
      if (lp.readsTarget()) {
        aggregates = alongEdges(layerEdges, side, (send, edge) -> new Tuple2<>(send, edge.features()))
            .join(side.mapValues(SideRow::target), part)
            .mapValues(v -> model.value().layers().get(layer).message(v._1()._1(), v._2(), v._1()._2()))
            .reduceByKey(part, (a, b) -> model.value().layers().get(layer).merge(a, b));
      } else {
        aggregates = alongEdges(layerEdges, side,
                (send, edge) -> model.value().layers().get(layer).message(send, null, edge.features()))
            .reduceByKey(part, (a, b) -> model.value().layers().get(layer).merge(a, b));
      }
      boolean last = i == run - 1;
      JavaPairRDD<Long, NodeRow> next = side.leftOuterJoin(aggregates, part).mapPartitionsToPair(it ->
          Blocks.map(it, (ctx, block) -> update(ctx, model.value(), layer, last && head,
              global == null ? null : global.value(), block)), true);
      next.rdd().localCheckpoint();
      long n = next.count();
      side.unpersist(false);
      if (global != null) global.unpersist(false);
      state.unpersist(false);
      state = next;
      if (progress != null) progress.println("gnn4j spark: layer " + (i + 1) + "/" + run + " (" + lp.kind() + ") done on " + n + " nodes");
    }
    bySrc.unpersist(false);
    return state.mapValues(NodeRow::h);
  }

  /** What one edge carries to its target, from its source's send row and the edge. */
  @FunctionalInterface
  interface AlongEdge<T> extends Serializable {
    T apply(float[] send, EdgeRow edge);
  }

  /**
   * (target, f(source's send row, edge)) for every edge. Edges and nodes are hash-partitioned
   * alike by source id, so partition p of the edges meets partition p of the nodes: a hash map of
   * that partition's send rows, not a cogroup that would buffer the partition's edges by key.
   */
  private static <T> JavaPairRDD<Long, T> alongEdges(JavaPairRDD<Long, EdgeRow> edges,
                                                     JavaPairRDD<Long, SideRow> side, AlongEdge<T> f) {
    if (!edges.partitioner().isPresent() || !edges.partitioner().equals(side.partitioner())) {
      throw new IllegalStateException("layer-wise inference: edges and nodes are not partitioned alike");
    }
    return edges.zipPartitions(side, (edgeIt, nodeIt) -> {
      java.util.HashMap<Long, float[]> send = new java.util.HashMap<>();
      while (nodeIt.hasNext()) {
        Tuple2<Long, SideRow> t = nodeIt.next();
        send.put(t._1(), t._2().send());
      }
      return new java.util.Iterator<Tuple2<Long, T>>() {
        @Override
        public boolean hasNext() {
          return edgeIt.hasNext();
        }

        @Override
        public Tuple2<Long, T> next() {
          Tuple2<Long, EdgeRow> e = edgeIt.next();
          float[] s = send.get(e._1());
          if (s == null) {
            throw new IllegalStateException("edges: an edge from node " + e._1() + ", which is not in the node table");
          }
          return new Tuple2<>(e._2().dst(), f.apply(s, e._2()));
        }
      };
    }).mapToPair(t -> t);
  }

  static float[] floats(List<?> values) {
    float[] f = new float[values.size()];
    for (int k = 0; k < f.length; k++) f[k] = ((Number) values.get(k)).floatValue();
    return f;
  }

  private static Tensor nodeBlock(Context ctx, List<Tuple2<Long, NodeRow>> block) {
    int w = block.get(0)._2().h().length;
    List<float[]> rows = new ArrayList<>(block.size());
    for (var t : block) rows.add(t._2().h());
    return ctx.tensor(Blocks.stack(rows, w), block.size(), w);
  }

  private static List<float[]> rows(Tensor x) {
    int b = x.dim(0);
    int w = x.dim(1);
    List<float[]> out = new ArrayList<>(b);
    for (int r = 0; r < b; r++) out.add(Blocks.row(x.data(), r, w));
    return out;
  }

  private static List<SideRow> nodeSide(Context ctx, ModelPlan plan, int layer,
                                        List<Tuple2<Long, NodeRow>> block) {
    Tensor x = nodeBlock(ctx, block);
    if (layer == 0) x = plan.encodeNodes(ctx, x);
    float[] stats = new float[block.size() * LayerPlan.Stats.WIDTH];
    for (int r = 0; r < block.size(); r++) {
      System.arraycopy(block.get(r)._2().stats(), 0, stats, r * LayerPlan.Stats.WIDTH, LayerPlan.Stats.WIDTH);
    }
    LayerPlan.NodeSide s = plan.layers().get(layer).nodeSide(ctx, x, stats);
    List<float[]> h = rows(x);
    List<float[]> send = rows(s.send());
    List<float[]> target = s.target() == null ? null : rows(s.target());
    List<float[]> keep = rows(s.keep());
    List<SideRow> out = new ArrayList<>(block.size());
    for (int r = 0; r < block.size(); r++) {
      out.add(new SideRow(h.get(r), block.get(r)._2().stats(), send.get(r),
          target == null ? null : target.get(r), keep.get(r)));
    }
    return out;
  }

  /**
   * The sums over every node a {@link GlobalPlan} reads (Performer attention's phi(K)^T V and
   * phi(K)^T 1): partial sums of each partition's blocks of input rows, added up in a tree.
   */
  private static double[] globalSums(JavaPairRDD<Long, SideRow> side, Broadcast<ModelPlan> model,
                                     int layer) {
    return side.mapPartitions(it -> {
      GlobalPlan gp = (GlobalPlan) model.value().layers().get(layer);
      double[] acc = new double[gp.globalLength()];
      List<float[]> rows = new ArrayList<>(Blocks.ROWS);
      try (Context ctx = Context.builder().threads(1).build(); var g = ctx.noGrad()) {
        while (it.hasNext()) {
          rows.add(it.next()._2().h());
          if (rows.size() == Blocks.ROWS || !it.hasNext()) {
            int w = rows.get(0).length;
            acc = gp.mergeGlobal(acc, gp.globalPartial(ctx, ctx.tensor(Blocks.stack(rows, w), rows.size(), w)));
            rows.clear();
          }
        }
      }
      return List.of(acc).iterator();
    }).treeReduce((a, b) -> ((GlobalPlan) model.value().layers().get(layer)).mergeGlobal(a, b));
  }

  private static List<NodeRow> update(Context ctx, ModelPlan plan, int layer, boolean head,
                                      double[] global, List<Tuple2<Long, Tuple2<SideRow, Optional<double[]>>>> block) {
    LayerPlan lp = plan.layers().get(layer);
    int b = block.size();
    List<float[]> h = new ArrayList<>(b);
    List<float[]> keep = new ArrayList<>(b);
    List<float[]> agg = new ArrayList<>(b);
    float[] stats = new float[b * LayerPlan.Stats.WIDTH];
    for (int r = 0; r < b; r++) {
      SideRow s = block.get(r)._2()._1();
      Optional<double[]> a = block.get(r)._2()._2();
      h.add(s.h());
      keep.add(s.keep());
      agg.add(lp.finish(a.isPresent() ? a.get() : null));
      System.arraycopy(s.stats(), 0, stats, r * LayerPlan.Stats.WIDTH, LayerPlan.Stats.WIDTH);
    }
    int hw = h.get(0).length;
    int kw = keep.get(0).length;
    int aw = agg.get(0).length;
    Tensor x = ctx.tensor(Blocks.stack(h, hw), b, hw);
    Tensor keepT = ctx.tensor(Blocks.stack(keep, kw), b, kw);
    Tensor aggT = ctx.tensor(Blocks.stack(agg, aw), b, aw);
    Tensor out = lp instanceof GlobalPlan gp ? gp.update(ctx, keepT, aggT, stats, global)
        : lp.update(ctx, keepT, aggT, stats);
    out = plan.post(ctx, layer, x, out);
    if (head) out = plan.head(ctx, out);
    List<float[]> rows = rows(out);
    List<NodeRow> next = new ArrayList<>(b);
    for (int r = 0; r < b; r++) next.add(new NodeRow(rows.get(r), block.get(r)._2()._1().stats()));
    return next;
  }

  /** A dense step over blocks of edge features; edges without features pass as they are. */
  private static List<EdgeRow> edgeStep(Context ctx, List<Tuple2<Long, EdgeRow>> block,
                                        java.util.function.Function<Tensor, Tensor> f) {
    int w = block.get(0)._2().features().length;
    List<float[]> rows = new ArrayList<>(block.size());
    for (var t : block) rows.add(t._2().features());
    List<float[]> out = rows(f.apply(ctx.tensor(Blocks.stack(rows, w), block.size(), w)));
    List<EdgeRow> next = new ArrayList<>(block.size());
    for (int r = 0; r < block.size(); r++) next.add(new EdgeRow(block.get(r)._2().dst(), out.get(r)));
    return next;
  }
}
