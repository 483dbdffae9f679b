package org.gnn4j.cli;

import java.io.PrintStream;
import java.util.SplittableRandom;
import org.gnn4j.cli.SeqDemoSettings.Stage;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.cli.bench.ProcessMemory;
import org.gnn4j.graph.AttentionPatterns;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.optim.Adam;
import org.gnn4j.optim.LrSchedule;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * One mode of {@code gnn4j seq-demo} in this JVM: builds the attention pattern of each stage
 * (full: the complete graph; sparse: Longformer, BigBird, or Reformer LSH buckets of each
 * sequence), trains {@link SeqDemoModel} through
 * the stages with Adam under a warm-up + cosine learning-rate schedule, each step averaging the
 * gradients of a batch of sequences (one at a time, so memory is one sequence's), then measures
 * accuracy on held-out sequences of the full length. Both modes draw the same data and the same
 * initial parameters from the seed.
 */
final class SeqDemoTraining {
  private SeqDemoTraining() {}

  /**
   * Full: the complete graph (bidirectional attention). Sparse: the chosen pattern; null for
   * LSH, whose pattern depends on each sequence ({@link #patternOf}).
   */
  static EdgeIndex pattern(SeqDemoSettings s, int n, boolean sparse) {
    if (!sparse) return EdgeSets.complete(n, true);
    if (s.pattern().equals("lsh")) return null;
    if (s.pattern().equals("longformer")) {
      // the queries at the end are global tokens, as Longformer's classification token
      int[] global = new int[s.queries()];
      for (int q = 0; q < global.length; q++) global[q] = n - s.queries() + q;
      return AttentionPatterns.longformer(n, s.window(), 1, false, global);
    }
    return AttentionPatterns.bigBird(n, s.block(), SeqDemoSettings.BIGBIRD_WINDOW_BLOCKS,
        SeqDemoSettings.BIGBIRD_GLOBAL_BLOCKS, SeqDemoSettings.BIGBIRD_RANDOM_BLOCKS,
        new SplittableRandom(s.seed()));
  }

  /**
   * The pattern for one sequence: the stage's fixed pattern, or for LSH the Reformer's buckets
   * of this sequence's embeddings (the first layer's input, without gradient: hashing is not
   * differentiable), hashed with fresh rotations from {@code hash}, as the Reformer draws
   * them at every forward pass.
   */
  static EdgeIndex patternOf(SeqDemoSettings s, EdgeIndex fixed, SeqDemoModel model,
                             SeqDemoModel.Example ex, SplittableRandom hash, Context ctx) {
    if (fixed != null) return fixed;
    int n = ex.length();
    float[] x;
    try (var g = ctx.noGrad()) {
      x = model.embed(ex).data();
    }
    return AttentionPatterns.lsh(x, n, s.dim(), s.lshBuckets(n), s.rounds(), s.lshChunk(n), hash);
  }

  /** Trains and evaluates one mode; the JSON line of the run. */
  static JsonLine run(SeqDemoSettings s, boolean sparse, PrintStream err) {
    return run(s, sparse, err, null, 0);
  }

  /**
   * Trains and evaluates one mode, then, when {@code mapDir} is set, draws the trained model's
   * attention on one more held-out sequence of {@code mapLength} ({@link SeqDemoAttentionMap}).
   */
  static JsonLine run(SeqDemoSettings s, boolean sparse, PrintStream err, java.nio.file.Path mapDir,
                      int mapLength) {
    String mode = sparse ? "sparse" : "full";
    JsonLine line = new JsonLine().put("mode", mode)
        .put("pattern", sparse ? s.pattern() : "complete").put("length", s.length())
        .put("curriculum", s.curriculum()).put("steps", s.steps()).put("batch", s.batch())
        .put("layers", s.layers()).put("seed", s.seed());
    long t0 = System.nanoTime();
    try (Context ctx = Context.builder().threads(s.threads()).seed(s.seed()).build()) {
      SplittableRandom root = new SplittableRandom(s.seed());
      SplittableRandom init = root.split();
      SplittableRandom data = root.split();
      SplittableRandom held = root.split();
      SplittableRandom hash = root.split();
      SeqDemoModel model = new SeqDemoModel(ctx, s.length(), s.vocab(), s.queries(), s.dim(),
          s.heads(), s.layers(), (float) s.markScale(), init);
      Adam opt = new Adam(model.parameters(), Adam.Config.of((float) s.lr(), 0f));
      LrSchedule schedule = LrSchedule.warmupCosine((float) s.lr(), s.warmup(), s.totalSteps(),
          (float) s.lr() / 20);
      long step = 0;
      double lastLoss = Double.NaN;
      long tFull = t0;
      EdgeIndex pattern = null;
      for (Stage stage : s.stages()) {
        if (stage.length() == s.length()) tFull = System.nanoTime();
        pattern = pattern(s, stage.length(), sparse);
        double lossSum = 0;
        for (int k = 1; k <= stage.steps(); k++, step++) {
          schedule.apply(opt, step);
          opt.zeroGrad();
          for (int b = 0; b < s.batch(); b++) {
            SeqDemoModel.Example ex = model.example(data, stage.length());
            Tensor loss = model.loss(ex, patternOf(s, pattern, model, ex, hash, ctx));
            lossSum += loss.item();
            loss.mul(1f / s.batch()).backward();
          }
          opt.step();
          if (k % 10 == 0 || k == stage.steps()) {
            int count = k % 10 == 0 ? 10 : k % 10;
            lastLoss = lossSum / (count * s.batch());
            err.printf("seq-demo %s: length %d, step %d/%d, mean loss of the last %d steps %.4f%n",
                mode, stage.length(), k, stage.steps(), count, lastLoss);
            lossSum = 0;
          }
        }
      }
      if (pattern != null && pattern.numDstNodes() != s.length()) pattern = pattern(s, s.length(), sparse);
      long t1 = System.nanoTime();
      int correct = 0;
      long edges = 0;
      try (var g = ctx.noGrad()) {
        for (int e = 0; e < s.eval(); e++) {
          SeqDemoModel.Example ex = model.example(held, s.length());
          EdgeIndex p = patternOf(s, pattern, model, ex, hash, ctx);
          edges += p.numEdges();
          correct += model.correct(ex, p);
        }
      }
      long t2 = System.nanoTime();
      if (mapDir != null) {
        line.put("attention_map", String.join(" ", SeqDemoAttentionMap.write(mapDir, mode, s,
            sparse, model, mapLength, root.split(), ctx)));
      }
      // LSH patterns differ per sequence: the mean over the evaluation sequences
      return line.put("edges", Math.round((double) edges / s.eval())).put("status", "ok")
          .put("final_loss", lastLoss).put("train_s", round((t1 - t0) / 1e9))
          .put("train_full_length_s", round((t1 - tFull) / 1e9))
          .put("eval_s", round((t2 - t1) / 1e9))
          .put("accuracy", round((double) correct / (s.eval() * s.queries())))
          .put("eval_sequences", s.eval()).put("queries", s.queries())
          .put("peak_rss_mb", round(ProcessMemory.peakRssMb()));
    } catch (OutOfMemoryError e) {
      return line.put("status", "failed").put("reason", "OutOfMemoryError: " + e.getMessage())
          .put("peak_rss_mb", round(ProcessMemory.peakRssMb()));
    }
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
