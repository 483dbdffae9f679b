package org.gnn4j.spark.infer.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.gnn4j.spark.infer.LayerPlan;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * The dataflow of layer-wise inference simulated in plain Java, to test a {@link LayerPlan}'s
 * numbers without Spark: node-side and update steps on node blocks of random sizes, the edges
 * dealt to random map partitions, map-side merges per (partition, target), then every target's
 * partial states merged in random pairs (as a tree), and for a {@link GlobalPlan} the global
 * sums of random node blocks added up in a random order.
 */
final class PartitionedRun {
  private PartitionedRun() {}

  /** Random cuts of 0 .. n into blocks. */
  private static int[] blocks(int n, Random r) {
    List<Integer> cuts = new ArrayList<>();
    cuts.add(0);
    for (int i = 1; i < n; i++) if (r.nextInt(7) == 0) cuts.add(i);
    cuts.add(n);
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static float[] row(float[] m, int width, int r) {
    return Arrays.copyOfRange(m, r * width, (r + 1) * width);
  }

  /**
   * @param x [N, F] the layer's input
   * @param edgeAttr [E, D] or null
   * @return [N, out width]
   */
  static float[] run(Context ctx, LayerPlan plan, float[] x, int n, int[] src, int[] dst,
                     float[] edgeAttr, int parts, long seed) {
    Random r = new Random(seed);
    int f = plan.inWidth();
    int e = src.length;
    float[] stats = new float[n * LayerPlan.Stats.WIDTH];
    for (int i = 0; i < e; i++) {
      stats[dst[i] * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE]++;
      if (src[i] != dst[i]) stats[dst[i] * LayerPlan.Stats.WIDTH + LayerPlan.Stats.IN_DEGREE_NO_LOOPS]++;
      stats[src[i] * LayerPlan.Stats.WIDTH + LayerPlan.Stats.OUT_DEGREE]++;
    }
    // node side, block by block
    float[][] send = new float[n][];
    float[][] target = new float[n][];
    float[][] keep = new float[n][];
    int[] nb = blocks(n, r);
    for (int b = 0; b + 1 < nb.length; b++) {
      int from = nb[b];
      int rows = nb[b + 1] - from;
      Tensor xb = ctx.tensor(Arrays.copyOfRange(x, from * f, (from + rows) * f), rows, f);
      float[] sb = Arrays.copyOfRange(stats, from * LayerPlan.Stats.WIDTH,
          (from + rows) * LayerPlan.Stats.WIDTH);
      LayerPlan.NodeSide side = plan.nodeSide(ctx, xb, sb);
      for (int i = 0; i < rows; i++) {
        send[from + i] = row(side.send().data(), side.send().dim(1), i);
        target[from + i] = side.target() == null ? null
            : row(side.target().data(), side.target().dim(1), i);
        keep[from + i] = row(side.keep().data(), side.keep().dim(1), i);
      }
    }
    // edge side, block by block
    float[][] edge = new float[e][];
    if (plan.edgeWidth() > 0) {
      int d = plan.edgeWidth();
      int[] eb = blocks(e, r);
      for (int b = 0; b + 1 < eb.length; b++) {
        int from = eb[b];
        int rows = eb[b + 1] - from;
        Tensor t = plan.edgeSide(ctx, ctx.tensor(Arrays.copyOfRange(edgeAttr, from * d,
            (from + rows) * d), rows, d));
        for (int i = 0; i < rows; i++) edge[from + i] = row(t.data(), t.dim(1), i);
      }
    }
    // messages, combined map-side per partition and target
    double[][][] byPart = new double[parts][n][];
    for (int i = 0; i < e; i++) {
      if (plan.replacesSelfLoops() && src[i] == dst[i]) continue;
      int p = r.nextInt(parts);
      int t = dst[i];
      double[] m = plan.message(send[src[i]], plan.readsTarget() ? target[t] : null, edge[i]);
      byPart[p][t] = byPart[p][t] == null ? m : plan.merge(byPart[p][t], m);
    }
    // the shuffle: partial states meet in a random order
    float[][] agg = new float[n][];
    for (int t = 0; t < n; t++) {
      List<double[]> states = new ArrayList<>();
      for (int p = 0; p < parts; p++) if (byPart[p][t] != null) states.add(byPart[p][t]);
      Collections.shuffle(states, r);
      while (states.size() > 1) {
        double[] a = states.remove(states.size() - 1);
        int k = r.nextInt(states.size());
        states.set(k, r.nextBoolean() ? plan.merge(states.get(k), a) : plan.merge(a, states.get(k)));
      }
      agg[t] = plan.finish(states.isEmpty() ? null : states.get(0));
    }
    // global sums (GlobalPlan): partial sums of random blocks, added up in a random order
    double[] global = null;
    if (plan instanceof GlobalPlan gp) {
      List<double[]> partials = new ArrayList<>();
      int[] gb = blocks(n, r);
      for (int b = 0; b + 1 < gb.length; b++) {
        int from = gb[b];
        int rows = gb[b + 1] - from;
        partials.add(gp.globalPartial(ctx, ctx.tensor(Arrays.copyOfRange(x, from * f,
            (from + rows) * f), rows, f)));
      }
      Collections.shuffle(partials, r);
      while (partials.size() > 1) {
        double[] a = partials.remove(partials.size() - 1);
        int k = r.nextInt(partials.size());
        partials.set(k, gp.mergeGlobal(a, partials.get(k)));
      }
      global = partials.get(0);
    }
    // update, block by block
    int out = plan.outWidth();
    float[] result = new float[n * out];
    int[] ub = blocks(n, r);
    for (int b = 0; b + 1 < ub.length; b++) {
      int from = ub[b];
      int rows = ub[b + 1] - from;
      int kw = keep[from].length;
      int aw = agg[from].length;
      float[] kb = new float[rows * kw];
      float[] ab = new float[rows * aw];
      for (int i = 0; i < rows; i++) {
        System.arraycopy(keep[from + i], 0, kb, i * kw, kw);
        System.arraycopy(agg[from + i], 0, ab, i * aw, aw);
      }
      float[] sb = Arrays.copyOfRange(stats, from * LayerPlan.Stats.WIDTH,
          (from + rows) * LayerPlan.Stats.WIDTH);
      Tensor kt = ctx.tensor(kb, rows, kw);
      Tensor at = ctx.tensor(ab, rows, aw);
      Tensor o = plan instanceof GlobalPlan gp ? gp.update(ctx, kt, at, sb, global)
          : plan.update(ctx, kt, at, sb);
      System.arraycopy(o.data(), 0, result, from * out, rows * out);
    }
    return result;
  }
}
