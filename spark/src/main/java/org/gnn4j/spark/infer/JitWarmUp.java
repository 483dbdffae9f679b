package org.gnn4j.spark.infer;

import java.util.SplittableRandom;
import org.gnn4j.spark.infer.attention.GlobalPlan;
import org.gnn4j.tensor.Context;

/**
 * Runs a model plan's dense steps (the node encoder, every layer's node-side step and update, the
 * head) over a small block of random rows, repeatedly, on a background thread of the driver while
 * the Spark session starts and the tables are read into blocks. Embedded ({@code local[N]}), the
 * tasks run in the driver's JVM, and a task computes a block's matrix products in a few calls:
 * profiles of the 10M-edge benchmark showed the JIT compiling gnn4j's Vector API kernels only
 * late in the first layer (the last of them as the second layer ended), so most blocks ran them
 * uncompiled, many times slower.
 * The results are thrown away; the warm-up changes no output, only when the kernels get compiled.
 */
final class JitWarmUp {
  private JitWarmUp() {}

  /** Rows of the warm-up block: not a multiple of the kernels' tiles, so their tail paths run too. */
  static final int ROWS = 1003;
  /**
   * Passes over the model: in profiles of the 10M-edge benchmark, enough for C2 to have compiled
   * the kernels before the first layer. The time limit only bounds a thread starved of CPU.
   */
  static final int PASSES = 60;
  static final long BUDGET_NANOS = 10_000_000_000L;

  /** Starts the warm-up of {@code plan} on a daemon thread; it ends by itself. */
  static Thread start(ModelPlan plan) {
    Thread t = new Thread(() -> {
      try {
        run(plan, ROWS, PASSES, BUDGET_NANOS);
      } catch (RuntimeException e) {
        // only a speed aid: the job's own tasks run the same steps and report what fails there
      }
    }, "gnn4j-jit-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Runs every dense step of {@code plan} on {@code rows} random rows, {@code passes} times or
   * until {@code budgetNanos} have passed.
   *
   * @return the passes run
   */
  static int run(ModelPlan plan, int rows, int passes, long budgetNanos) {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(0);
    long[] ids = new long[rows];
    float[] stats = new float[rows * LayerPlan.Stats.WIDTH];
    for (int r = 0; r < rows; r++) {
      ids[r] = r;
      // plausible degrees (GCN's update divides by them)
      for (int c = 0; c < LayerPlan.Stats.WIDTH; c++) stats[r * LayerPlan.Stats.WIDTH + c] = 1 + rng.nextInt(20);
    }
    int done = 0;
    try (Context ctx = Context.builder().threads(1).build(); var g = ctx.noGrad()) {
      while (done < passes && System.nanoTime() - t0 < budgetNanos) {
        int width = plan.numFeatures();
        float[] h = random(rng, rows * width);
        for (int i = 0; i < plan.layers().size(); i++) {
          LayerPlan lp = plan.layers().get(i);
          NodeBlock.Side s = BlockInference.nodeSide(ctx, plan, i, new NodeBlock(0, ids, width, h, stats));
          double[] global = lp instanceof GlobalPlan gp ? gp.globalPartial(ctx, ctx.tensor(s.in.h, rows, s.in.width)) : null;
          RowReduce rr = lp.rowReduce();
          int aw = rr != null ? rr.width() : lp.finish(null).length;
          boolean last = i == plan.layers().size() - 1;
          NodeBlock out = BlockInference.update(ctx, plan, i, last, global, s, random(rng, rows * aw));
          width = out.width;
          h = out.h;
        }
        done++;
      }
    }
    return done;
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int k = 0; k < n; k++) v[k] = (float) rng.nextGaussian();
    return v;
  }
}
