package org.gnn4j.spark.infer;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.gnn4j.spark.infer.attention.GlobalPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import scala.Tuple2;

/**
 * The block engine of layer-wise inference, for models whose messages read only the source
 * (gcn, sage, graphconv, gin, gine, and GPS over gin or gine): nodes live in slots of a few
 * thousand rows ({@link Slots}), each partition caches its nodes' out-edges once as flat arrays
 * ({@link EdgeBlock}), and a layer is three passes. (1) The node-side step on each slot's block.
 * (2) Per partition, one pass over its edges in the order of the target's slot, each edge's
 * message merged at once into its target's state, and each slot's states sent as one
 * {@link StateChunk}: the shuffle moves one state per (partition, target) as a few primitive
 * arrays, never an object per edge. (3) Per slot, the chunks merged in the order of the sending
 * partitions (the same on every run), finished, and the update run on the block. In-degrees are
 * the same pass with counts for states, run once and only when a layer reads them. A plan with a
 * {@link RowReduce} has its states kept as one flat array per slot on both sides of the shuffle.
 */
final class BlockInference {
  private BlockInference() {}

  /** The message of a run stopped by repeated node ids or edges naming missing nodes. */
  static final String INCONSISTENT_KEYS = "spark infer: a node id appears in more than one row, or an"
      + " edge names a node the node table does not have";

  /** Whether the engine runs {@code plan}: no layer's message reads its target. */
  static boolean runs(ModelPlan plan) {
    return plan.layers().stream().noneMatch(LayerPlan::readsTarget);
  }

  static JavaPairRDD<Long, float[]> run(SparkSession spark, ModelPlan plan, Dataset<Row> nodeTable,
                                        Dataset<Row> edgeTable, LayerwiseInference.Output output,
                                        int partitions, PrintStream progress, long nodeCount) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ModelPlan> model = jsc.broadcast(plan);
    Slots slots = new Slots(partitions, nodeCount >= 0 ? nodeCount : nodeTable.count());
    // repeated node ids and edges naming missing nodes, counted where the passes meet them
    LongAccumulator problems = jsc.sc().longAccumulator("gnn4j inconsistent keys");
    boolean edgeFeatures = plan.edgeFeatures() > 0;

    JavaRDD<NodeBlock> raw = TableRows.nodeChunks(nodeTable, slots)
        .mapToPair(t -> t).repartitionAndSortWithinPartitions(slots)
        .mapPartitions(it -> joinChunks(it, problems), true);
    raw.persist(StorageLevel.MEMORY_AND_DISK());

    JavaRDD<EdgeBlock> edges = TableRows.edgeChunks(edgeTable, edgeFeatures, plan.relations() > 0, slots)
        .mapToPair(t -> t).repartitionAndSortWithinPartitions(slots)
        .zipPartitions(raw, (chunkIt, nodeIt) -> {
          List<EdgeBlock.Chunk> chunks = new ArrayList<>();
          chunkIt.forEachRemaining(t -> chunks.add(t._2()));
          List<NodeBlock> nodes = new ArrayList<>();
          nodeIt.forEachRemaining(nodes::add);
          EdgeBlock eb = EdgeBlock.of(nodes, chunks, slots, problems);
          if (eb.featureWidth > 0) eb = mapFeatures(eb, (ctx, x) -> model.value().encodeEdges(ctx, x));
          return List.of(eb).iterator();
        });
    edges.persist(StorageLevel.MEMORY_AND_DISK());

    int run = output == LayerwiseInference.Output.EMBEDDINGS ? plan.hiddenLayers() : plan.layers().size();
    // the first layer's pass meets every edge's target as the degree pass would, so it finds an
    // edge naming a missing node; with no layer to run, only the degree pass can
    boolean inDegree = run == 0 || plan.layers().subList(0, run).stream().anyMatch(LayerPlan::readsInDegree);
    JavaRDD<NodeBlock> state = (inDegree ? inDegrees(edges, raw, slots, problems) : withoutInDegrees(raw))
        .zipPartitions(edges, (nIt, eIt) -> {
          int[] outDegree = eIt.next().outDegree;
          int row = 0;
          List<NodeBlock> out = new ArrayList<>();
          while (nIt.hasNext()) {
            NodeBlock b = nIt.next();
            for (int r = 0; r < b.size(); r++) b.stats[r * LayerPlan.Stats.WIDTH + LayerPlan.Stats.OUT_DEGREE] = outDegree[row++];
            out.add(b);
          }
          return out.iterator();
        });
    state.persist(StorageLevel.MEMORY_AND_DISK());
    long nodes = state.map(NodeBlock::size).fold(0, Integer::sum);
    raw.unpersist(false);
    if (problems.value() > 0) {
      state.unpersist(false);
      edges.unpersist(false);
      throw new IllegalArgumentException(INCONSISTENT_KEYS);
    }
    if (progress != null) progress.println("gnn4j spark: " + nodes + " nodes, their edges and degrees ready" + seconds(t0));

    boolean head = output == LayerwiseInference.Output.PREDICTIONS;
    if (run == 0) {     // a one-layer head: conv model's embeddings are its encoded inputs
      return rows(state.mapPartitions(it -> eachBlock(it, (ctx, b) -> {
        Tensor x = model.value().encodeNodes(ctx, ctx.tensor(b.h, b.size(), b.width));
        return new NodeBlock(b.slot, b.ids, x.dim(1), x.data(), b.stats);
      }), true));
    }
    for (int i = 0; i < run; i++) {
      final int layer = i;
      final boolean last = i == run - 1;
      LayerPlan lp = plan.layers().get(i);
      JavaRDD<NodeBlock.Side> side = state.mapPartitions(it -> eachBlock(it, (ctx, b) ->
          nodeSide(ctx, model.value(), layer, b)), true);
      side.persist(StorageLevel.MEMORY_AND_DISK());
      Broadcast<double[]> global = lp instanceof GlobalPlan
          ? jsc.broadcast(globalSums(side, model, layer)) : null;
      JavaRDD<NodeBlock> next = StatePasses.shuffleStates(edges.zipPartitions(side, (eIt, sIt) -> {
        LayerPlan p = model.value().layers().get(layer);
        return p.rowReduce() != null ? StatePasses.rowMapPass(eIt.next(), sIt, p, slots) : layerMapPass(eIt.next(), sIt, p, slots);
      }), slots).zipPartitions(side, (stIt, sIt) -> {
        List<NodeBlock> out = new ArrayList<>();
        try (Context ctx = Context.builder().threads(1).build(); var g = ctx.noGrad()) {
          ModelPlan mp = model.value();
          LayerPlan p = mp.layers().get(layer);
          StatePasses.Finish<NodeBlock.Side, float[]> done = (s, agg) -> out.add(
              update(ctx, mp, layer, last && head, global == null ? null : global.value(), s, agg));
          RowReduce rr = p.rowReduce();
          StatePasses.reducePass(stIt, sIt, s -> s.in.ids, slots, problems, rr != null ? StatePasses.rowSink(rr, done)
              : StatePasses.perTargetSink(p::merge, (s, merged) -> done.apply(s, finishRows(p, merged))));
        }
        return out.iterator();
      });
      next.rdd().localCheckpoint();
      long n = next.map(NodeBlock::size).fold(0, Integer::sum);
      side.unpersist(false);
      if (global != null) global.unpersist(false);
      state.unpersist(false);
      state = next;
      if (problems.value() > 0) {   // without the degree pass, an edge to a missing node shows here
        state.unpersist(false);
        edges.unpersist(false);
        throw new IllegalArgumentException(INCONSISTENT_KEYS);
      }
      if (progress != null) progress.println("gnn4j spark: layer " + (i + 1) + "/" + run + " (" + lp.kind() + ") done on " + n + " nodes" + seconds(t0));
    }
    edges.unpersist(false);
    return rows(state);
  }

  /** The node blocks with in-degrees: the map pass with counts (all, and without self-loops) for states. */
  private static JavaRDD<NodeBlock> inDegrees(JavaRDD<EdgeBlock> edges, JavaRDD<NodeBlock> raw, Slots slots,
                                              LongAccumulator problems) {
    return StatePasses.shuffleStates(edges.zipPartitions(raw, (eIt, nIt) -> {
      EdgeBlock eb = eIt.next();
      long[] ids = partitionIds(nIt);
      return StatePasses.mapPass(eb, slots, (s, e) -> {
        boolean loop = ids[eb.src[e]] == eb.dst[e];
        if (s == null) return new double[] {1, loop ? 0 : 1};
        s[0] += 1;
        if (!loop) s[1] += 1;
        return s;
      }, null);
    }), slots).zipPartitions(raw, (stIt, nIt) -> {
      List<NodeBlock> out = new ArrayList<>();
      StatePasses.reducePass(stIt, nIt, b -> b.ids, slots, problems, StatePasses.perTargetSink((a, b) -> {
        a[0] += b[0];
        a[1] += b[1];
        return a;
      }, (b, merged) -> {
        float[] stats = new float[b.size() * LayerPlan.Stats.WIDTH];
        for (int r = 0; r < b.size(); r++) {
          if (merged[r] == null) continue;
          stats[r * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE] = (float) merged[r][0];
          stats[r * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE_NO_LOOPS] = (float) merged[r][1];
        }
        out.add(new NodeBlock(b.slot, b.ids, b.width, b.h, stats));
      }));
      return out.iterator();
    });
  }

  /** The node blocks with NaN for in-degrees, which no layer reads ({@link LayerPlan#readsInDegree}). */
  private static JavaRDD<NodeBlock> withoutInDegrees(JavaRDD<NodeBlock> raw) {
    return raw.map(b -> {
      float[] stats = new float[b.size() * LayerPlan.Stats.WIDTH];
      for (int r = 0; r < b.size(); r++) {
        stats[r * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE] = Float.NaN;
        stats[r * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE_NO_LOOPS] = Float.NaN;
      }
      return new NodeBlock(b.slot, b.ids, b.width, b.h, stats);
    });
  }

  private static String seconds(long t0) {
    return String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - t0) / 1e9);
  }

  private static JavaPairRDD<Long, float[]> rows(JavaRDD<NodeBlock> blocks) {
    return blocks.flatMapToPair(b -> {
      List<Tuple2<Long, float[]>> out = new ArrayList<>(b.size());
      for (int r = 0; r < b.size(); r++) out.add(new Tuple2<>(b.ids[r], Blocks.row(b.h, r, b.width)));
      return out.iterator();
    });
  }

  /** The node chunks of each slot, in slot order, joined into one block per slot. */
  private static Iterator<NodeBlock> joinChunks(Iterator<Tuple2<Long, NodeBlock>> it, LongAccumulator problems) {
    List<NodeBlock> out = new ArrayList<>();
    List<NodeBlock> same = new ArrayList<>();
    while (it.hasNext()) {
      NodeBlock c = it.next()._2();
      if (!same.isEmpty() && same.get(0).slot != c.slot) {
        out.add(concat(same, problems));
        same.clear();
      }
      same.add(c);
    }
    if (!same.isEmpty()) out.add(concat(same, problems));
    return out.iterator();
  }

  /**
   * The chunks of one slot as one block, rows sorted by id: the order the edge blocks refer to
   * stays the same however the chunks arrived (a recomputed partition must match its edges).
   */
  private static NodeBlock concat(List<NodeBlock> chunks, LongAccumulator problems) {
    int n = 0;
    int w = chunks.get(0).width;
    for (NodeBlock c : chunks) {
      if (c.width != w) {
        throw new IllegalStateException("nodes: rows of " + c.width + " and of " + w + " features (node " + c.ids[0] + ")");
      }
      n += c.size();
    }
    long[] ids = new long[n];
    float[] h = new float[n * w];
    int at = 0;
    for (NodeBlock c : chunks) {
      System.arraycopy(c.ids, 0, ids, at, c.size());
      System.arraycopy(c.h, 0, h, at * w, c.size() * w);
      at += c.size();
    }
    Integer[] order = new Integer[n];
    for (int r = 0; r < n; r++) order[r] = r;
    java.util.Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    long[] sortedIds = new long[n];
    float[] sortedH = new float[n * w];
    for (int r = 0; r < n; r++) {
      sortedIds[r] = ids[order[r]];
      if (r > 0 && sortedIds[r] == sortedIds[r - 1]) problems.add(1);
      System.arraycopy(h, order[r] * w, sortedH, r * w, w);
    }
    return new NodeBlock(chunks.get(0).slot, sortedIds, w, sortedH, null);
  }

  private static long[] partitionIds(Iterator<NodeBlock> it) {
    List<long[]> parts = new ArrayList<>();
    while (it.hasNext()) parts.add(it.next().ids);
    return concatIds(parts);
  }

  private static long[] concatIds(List<long[]> parts) {
    int n = 0;
    for (long[] p : parts) n += p.length;
    long[] out = new long[n];
    int at = 0;
    for (long[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @FunctionalInterface
  private interface BlockStep<B, R> extends Serializable {
    R apply(Context ctx, B block);
  }

  /**
   * {@code f} on every block of a partition, in one single-threaded context, lazily: one block's
   * result at a time, so that Spark can cache (or spill) results as they come instead of the task
   * holding the whole partition's (at 50M edges, a partition's side blocks alone outgrew a 4 GB
   * heap). The context closes when the blocks run out or the task ends.
   */
  private static <B, R> Iterator<R> eachBlock(Iterator<B> it, BlockStep<B, R> f) {
    Context ctx = Context.builder().threads(1).build();
    ctx.noGrad();   // left on: the context serves this step only, and closes with it
    boolean[] closed = {false};
    Runnable close = () -> {
      if (!closed[0]) {
        closed[0] = true;
        ctx.close();
      }
    };
    TaskContext task = TaskContext.get();
    if (task != null) task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> close.run());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more) close.run();
        return more;
      }

      @Override
      public R next() {
        return f.apply(ctx, it.next());
      }
    };
  }

  /** An edge block with its features mapped by {@code f}, ROWS edges at a time. */
  private static EdgeBlock mapFeatures(EdgeBlock eb, BlockStep<Tensor, Tensor> f) {
    int d = eb.featureWidth;
    int e = eb.size();
    float[] out = null;
    int w = 0;
    try (Context ctx = Context.builder().threads(1).build(); var g = ctx.noGrad()) {
      for (int from = 0; from < e; from += Blocks.ROWS) {
        int rows = Math.min(Blocks.ROWS, e - from);
        Tensor y = f.apply(ctx, ctx.tensor(java.util.Arrays.copyOfRange(eb.features, from * d, (from + rows) * d), rows, d));
        if (out == null) {
          w = y.dim(1);
          out = new float[e * w];
        }
        System.arraycopy(y.data(), 0, out, from * w, rows * w);
      }
    }
    return eb.withFeatures(w, out == null ? new float[0] : out);
  }

  static NodeBlock.Side nodeSide(Context ctx, ModelPlan plan, int layer, NodeBlock b) {
    Tensor x = ctx.tensor(b.h, b.size(), b.width);
    if (layer == 0) x = plan.encodeNodes(ctx, x);
    LayerPlan.NodeSide s = plan.layers().get(layer).nodeSide(ctx, x, b.stats);
    NodeBlock in = new NodeBlock(b.slot, b.ids, x.dim(1), x.data(), b.stats);
    return new NodeBlock.Side(in, s.send().dim(1), s.send().data(), s.keep().dim(1), s.keep().data());
  }

  /** The sums over every node a {@link GlobalPlan} reads, added up over blocks in a tree. */
  private static double[] globalSums(JavaRDD<NodeBlock.Side> side, Broadcast<ModelPlan> model, int layer) {
    return side.mapPartitions(it -> {
      GlobalPlan gp = (GlobalPlan) model.value().layers().get(layer);
      double[] acc = new double[gp.globalLength()];
      try (Context ctx = Context.builder().threads(1).build(); var g = ctx.noGrad()) {
        while (it.hasNext()) {
          NodeBlock b = it.next().in;
          acc = gp.mergeGlobal(acc, gp.globalPartial(ctx, ctx.tensor(b.h, b.size(), b.width)));
        }
      }
      return List.of(acc).iterator();
    }).treeReduce((a, b) -> ((GlobalPlan) model.value().layers().get(layer)).mergeGlobal(a, b));
  }

  /** A layer's map pass over one partition: its sides' send rows, its edges' (mapped) features. */
  private static Iterator<Tuple2<Long, StateChunk>> layerMapPass(EdgeBlock eb, Iterator<NodeBlock.Side> sides,
                                                                 LayerPlan lp, Slots slots) {
    List<float[]> send = new ArrayList<>();
    List<long[]> idParts = new ArrayList<>();
    while (sides.hasNext()) {
      NodeBlock.Side s = sides.next();
      for (int r = 0; r < s.in.size(); r++) send.add(Blocks.row(s.send, r, s.sendWidth));
      idParts.add(s.in.ids);
    }
    long[] ids = concatIds(idParts);
    EdgeBlock edges = lp.edgeWidth() > 0 ? mapFeatures(eb, lp::edgeSide) : eb;
    int d = edges.featureWidth;
    boolean noLoops = lp.replacesSelfLoops();
    return StatePasses.mapPass(edges, slots, (s, e) -> {
      int j = edges.src[e];
      float[] f = d > 0 ? java.util.Arrays.copyOfRange(edges.features, e * d, (e + 1) * d) : null;
      return lp.accumulate(s, send.get(j), null, f);
    }, noLoops ? e -> ids[edges.src[e]] == edges.dst[e] : null);
  }


  /** The finished aggregates [B, A] of per-target states (null: no in-edges). */
  private static float[] finishRows(LayerPlan lp, double[][] merged) {
    float[] first = lp.finish(merged[0]);
    int aw = first.length;
    float[] agg = new float[merged.length * aw];
    System.arraycopy(first, 0, agg, 0, aw);
    for (int r = 1; r < merged.length; r++) System.arraycopy(lp.finish(merged[r]), 0, agg, r * aw, aw);
    return agg;
  }

  static NodeBlock update(Context ctx, ModelPlan plan, int layer, boolean head, double[] global,
                                  NodeBlock.Side s, float[] agg) {
    LayerPlan lp = plan.layers().get(layer);
    int b = s.in.size();
    int aw = agg.length / b;
    Tensor x = ctx.tensor(s.in.h, b, s.in.width);
    Tensor keep = ctx.tensor(s.keep, b, s.keepWidth);
    Tensor aggT = ctx.tensor(agg, b, aw);
    Tensor out = lp instanceof GlobalPlan gp ? gp.update(ctx, keep, aggT, s.in.stats, global)
        : lp.update(ctx, keep, aggT, s.in.stats);
    out = plan.post(ctx, layer, x, out);
    if (head) out = plan.head(ctx, out);
    return new NodeBlock(s.in.slot, s.in.ids, out.dim(1), out.data(), s.in.stats);
  }
}
