package org.gnn4j.spark.infer;

import java.io.Serializable;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One layer of a trained model cut into the steps layer-wise inference runs over a whole graph
 * held as Spark tables: a dense {@link #nodeSide} on blocks of node rows before the shuffle, an
 * optional dense {@link #edgeSide} on blocks of edge rows, a {@link #message} per edge turned at
 * once into a mergeable aggregate state, {@link #merge} of partial states (map-side and after the
 * shuffle, in any order), {@link #finish} of a target's state, and a dense {@link #update} on
 * blocks of nodes. The engine ({@link LayerwiseInference}) owns the dataflow; a plan owns only
 * the numbers, so a new layer kind plugs in by implementing this interface.
 *
 * <p>Note for implementers (the attention kinds in {@code org.gnn4j.spark.infer.attention}):
 * a plan is serialised once per job in a broadcast, so it holds its weights as float arrays
 * ({@link Dense}) and nothing tied to a JVM; the dense steps receive a single-threaded
 * {@link Context} of the executor and should call the same gnn4j ops the single-machine layer
 * calls (MatMul.linear, ...) so that rows match {@code GraphModel}; states are {@code double[]}
 * (an attention plan packs its online-softmax state into one); a target without in-edges gets
 * {@code finish(null)}. A sum over all nodes (GPS's Performer attention) is one more aggregate
 * per layer between nodeSide and update: a plan that needs one also implements
 * {@code attention.GlobalPlan}, whose partial sums the engine adds up once per layer.
 */
public interface LayerPlan extends Serializable {
  /** Per-node statistics the engine computes once in SQL and hands to the dense steps. */
  final class Stats {
    private Stats() {}

    /** In-degree counting every in-edge (duplicates too, self-loops too). */
    public static final int IN_DEGREE = 0;
    /** In-degree without self-loops (GCN adds exactly one loop per node). */
    public static final int IN_DEGREE_NO_LOOPS = 1;
    /** Out-degree counting every out-edge. */
    public static final int OUT_DEGREE = 2;
    /** Width of a node's statistics row. */
    public static final int WIDTH = 3;
  }

  /**
   * What the node-side step gives each node of a block.
   *
   * @param send [B, S] the row a node sends along its out-edges
   * @param target [B, T] the row its in-edges' messages read at the target, or null when the
   *     plan's messages read only the source ({@link #readsTarget} false)
   * @param keep [B, K] the row the update step reads for the node itself (may be empty, K = 0)
   */
  record NodeSide(Tensor send, Tensor target, Tensor keep) {}

  /** The layer's kind as a config names it ({@code gcn}, {@code sage}, ...), for messages. */
  String kind();

  /** Width of the node rows the layer reads. */
  int inWidth();

  /** Width of the node rows it writes. */
  int outWidth();

  /**
   * @param x [B, inWidth] a block of the layer's input rows
   * @param stats [B, Stats.WIDTH] the block's per-node statistics, row-major
   */
  NodeSide nodeSide(Context ctx, Tensor x, float[] stats);

  /** Whether messages read the target's row (a per-edge join at the target), not only the source's. */
  boolean readsTarget();

  /**
   * Whether the layer ignores the graph's self-loops (edges j -> j), because it adds exactly one
   * of its own per node (GCN's add_remaining_self_loops): the engine then sends no message along them.
   */
  default boolean replacesSelfLoops() {
    return false;
  }

  /**
   * Whether the dense steps read the in-degree columns of the statistics ({@link Stats#IN_DEGREE},
   * {@link Stats#IN_DEGREE_NO_LOOPS}). Counting in-degrees costs the block engine a pass over every
   * edge and a shuffle before the first layer, so a model none of whose layers read them skips it
   * (the columns are then NaN, so that a plan which reads them anyway shows it in its output).
   */
  default boolean readsInDegree() {
    return true;
  }

  /**
   * How this layer's states accumulate when each is a fixed-width row built from the source's
   * {@code send} row alone ({@link RowReduce}), or null (the default): states then go through
   * {@link #accumulate}, {@link #merge} and {@link #finish}. With a row reduction the block engine
   * keeps a slot's states in one flat array instead of an array per target and merges the shuffled
   * chunks in place; it must give the same bits as those three methods.
   */
  default RowReduce rowReduce() {
    return null;
  }

  /** Width of the edge features the layer reads (0: it reads none). */
  default int edgeWidth() {
    return 0;
  }

  /** @param e [B, edge width] a block of (encoded) edge features; returns what {@link #message} reads. */
  default Tensor edgeSide(Context ctx, Tensor e) {
    return e;
  }

  /**
   * The aggregate state of one edge j -> i.
   *
   * @param source the source's {@code send} row
   * @param target the target's {@code target} row, or null unless {@link #readsTarget}
   * @param edge the edge's row after {@link #edgeSide}, or null without edge features
   */
  double[] message(float[] source, float[] target, float[] edge);

  /**
   * {@code state} merged with the state of edge j -> i ({@link #merge} of {@link #message}), in
   * place where the plan can: the engine calls it once per edge, so a plan whose states add up
   * overrides it to skip the message's array.
   *
   * @param state the target's state so far, or null before its first edge
   */
  default double[] accumulate(double[] state, float[] source, float[] target, float[] edge) {
    double[] m = message(source, target, edge);
    return state == null ? m : merge(state, m);
  }

  /** Both states merged; may reuse and return {@code a}. Must be associative and commutative. */
  double[] merge(double[] a, double[] b);

  /** The aggregate row of a target from its merged state, or from null when it has no in-edges. */
  float[] finish(double[] state);

  /**
   * @param keep [B, K] the block's {@code keep} rows
   * @param aggregate [B, A] the block's finished aggregates
   * @param stats [B, Stats.WIDTH]
   * @return [B, outWidth]
   */
  Tensor update(Context ctx, Tensor keep, Tensor aggregate, float[] stats);
}
