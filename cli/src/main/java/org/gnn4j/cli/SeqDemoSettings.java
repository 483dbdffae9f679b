package org.gnn4j.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Every setting of {@code gnn4j seq-demo}, with its defaults in one place ({@link #parse}) and
 * one validation ({@link #validate}) that names the bad flag, what it must be and what it got,
 * before any training starts. The parent JVM hands the same settings to each child JVM
 * ({@link #argv}). The training schedule is the {@link #stages}: the curriculum's shorter
 * sequences first, then {@code steps} at the full {@code length}; each step averages the
 * gradients of {@code batch} sequences.
 */
record SeqDemoSettings(int length, int steps, int seed, String pattern, int threads, int window,
                       int block, int layers, int dim, int heads, int vocab, int queries,
                       int eval, double lr, int warmup, int batch, String curriculum,
                       double markScale, int rounds) {
  /** BigBird in the demo: a 3-block window, 1 global block, 2 random blocks per query block. */
  static final int BIGBIRD_WINDOW_BLOCKS = 3;
  static final int BIGBIRD_GLOBAL_BLOCKS = 1;
  static final int BIGBIRD_RANDOM_BLOCKS = 2;

  /** One stage of the schedule: {@code steps} optimizer steps on sequences of {@code length}. */
  record Stage(int length, int steps) {}

  /** Declares every option on {@code a} (so --help lists it) and reads it. */
  static SeqDemoSettings parse(Args a) {
    return new SeqDemoSettings(
        a.intOption("length", 4096, "sequence length L of the last stage and of the evaluation"),
        a.intOption("steps", 1, "training steps at the full length, after the curriculum"),
        a.intOption("seed", 1, "seed of data and parameters"),
        a.option("pattern", "longformer", "sparse pattern: longformer, bigbird or lsh"),
        a.intOption("threads", 2, "worker threads"),
        a.intOption("window", 33, "longformer: window width (window/2 on each side)"),
        a.intOption("block", 64, "bigbird: block size (3-block window, 1 global, 2 random);"
            + " lsh: chunk size"),
        a.intOption("layers", 1, "attention layers (bigbird needs 2: via its global block)"),
        a.intOption("dim", 32, "model width"),
        a.intOption("heads", 4, "attention heads"),
        a.intOption("vocab", 8, "number of token classes"),
        a.intOption("queries", 1, "marked positions per sequence, asked at the last positions"),
        a.intOption("eval", 32, "held-out sequences of the full length for accuracy"),
        number(a, "lr", "0.01", "peak Adam learning rate (cosine decay to lr/20)"),
        a.intOption("warmup", 20, "steps of linear learning-rate warm-up"),
        a.intOption("batch", 8, "sequences per step (gradients averaged)"),
        a.option("curriculum", "64x150,512x30",
            "shorter stages first, LENGTHxSTEPS,... (none: only the full length)"),
        number(a, "mark-scale", "1", "initial norm factor of the mark embedding"),
        a.intOption("rounds", 2, "lsh: hash rounds (the pattern is their union)"));
  }

  private static double number(Args a, String key, String def, String help) {
    String v = a.option(key, def, help);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new CliException("seq-demo: --" + key + " must be a number (got '" + v + "')");
    }
  }

  /** The same settings as command-line arguments, for a child JVM running {@code mode}. */
  List<String> argv(String mode) {
    return List.of("seq-demo", "--mode", mode, "--length", "" + length, "--steps", "" + steps,
        "--seed", "" + seed, "--pattern", pattern, "--threads", "" + threads,
        "--window", "" + window, "--block", "" + block, "--layers", "" + layers,
        "--dim", "" + dim, "--heads", "" + heads, "--vocab", "" + vocab,
        "--queries", "" + queries, "--eval", "" + eval, "--lr", "" + lr,
        "--warmup", "" + warmup, "--batch", "" + batch, "--curriculum", curriculum,
        "--mark-scale", "" + markScale, "--rounds", "" + rounds);
  }

  /** The curriculum's stages, then {@code steps} at {@code length}. */
  List<Stage> stages() {
    List<Stage> out = new ArrayList<>();
    String c = curriculum.strip();
    if (!c.isEmpty() && !c.equals("none")) {
      for (String part : c.split(",")) {
        String[] ls = part.strip().split("x", -1);
        if (ls.length != 2) {
          throw new CliException("seq-demo: --curriculum stage '" + part.strip()
              + "' must be LENGTHxSTEPS, e.g. 256x150 (got '" + curriculum + "')");
        }
        out.add(new Stage(stageInt(ls[0], part), stageInt(ls[1], part)));
      }
    }
    out.add(new Stage(length, steps));
    return out;
  }

  private int stageInt(String v, String part) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new CliException("seq-demo: --curriculum stage '" + part.strip()
          + "' must be LENGTHxSTEPS with two integers (got '" + v.strip() + "')");
    }
  }

  /** All optimizer steps of the schedule. */
  long totalSteps() {
    long t = 0;
    for (Stage s : stages()) t += s.steps();
    return t;
  }

  /** Throws a {@link CliException} naming the first bad setting. */
  void validate() {
    check(threads >= 1, "--threads must be >= 1 (got " + threads + ")");
    check(layers >= 1, "--layers must be >= 1 (got " + layers + ")");
    check(vocab >= 2, "--vocab must be >= 2 (got " + vocab + ")");
    check(eval >= 1, "--eval must be >= 1 (got " + eval + ")");
    check(batch >= 1, "--batch must be >= 1 (got " + batch + ")");
    check(lr > 0 && Double.isFinite(lr), "--lr must be a positive number (got " + lr + ")");
    check(markScale >= 0 && Double.isFinite(markScale),
        "--mark-scale must be >= 0 (got " + markScale + ")");
    check(heads >= 1 && dim >= heads && dim % heads == 0,
        "--dim must be a positive multiple of --heads (got dim " + dim + ", heads " + heads + ")");
    check(queries >= 1, "--queries must be >= 1 (got " + queries + ")");
    check(pattern.equals("longformer") || pattern.equals("bigbird") || pattern.equals("lsh"),
        "--pattern must be longformer, bigbird or lsh (got '" + pattern + "')");
    check(rounds >= 1, "--rounds must be >= 1 (got " + rounds + ")");
    check(steps >= 0, "--steps must be >= 0 (got " + steps + ")");
    List<Stage> st = stages();
    for (int i = 0; i < st.size(); i++) checkStage(st.get(i), i == st.size() - 1);
    check(warmup >= 0 && warmup <= totalSteps(), "--warmup must be in [0, " + totalSteps()
        + "], the total steps of the schedule (got " + warmup + ")");
  }

  private void checkStage(Stage s, boolean last) {
    String where = last ? "--length " + length
        : "--curriculum stage " + s.length() + "x" + s.steps();
    check(s.steps() >= 0, where + ": steps must be >= 0");
    check(s.length() <= length, where + ": a curriculum length must be at most --length "
        + length);
    check(s.length() >= 4 * queries, where + ": the length must be >= 4 x --queries = "
        + 4 * queries + " (marks in the first half, queries at the end)");
    if (pattern.equals("longformer")) {
      check(window >= 1 && window <= s.length(), where + ": --window must be in [1, length "
          + s.length() + "] (got " + window + ")");
    } else if (pattern.equals("lsh")) {
      check(block >= 1, where + ": lsh needs a chunk size --block >= 1 (got " + block + ")");
    } else {
      int blocks = BIGBIRD_WINDOW_BLOCKS + BIGBIRD_GLOBAL_BLOCKS + BIGBIRD_RANDOM_BLOCKS;
      check(block >= 1 && s.length() % block == 0, where + ": bigbird needs the length to be a"
          + " multiple of blockSize --block " + block);
      check(s.length() / block >= blocks, where + ": bigbird needs at least " + blocks
          + " blocks of --block " + block + " (window 3 + global 1 + random 2), got "
          + s.length() / block);
    }
  }

  /**
   * LSH at a stage of {@code n} positions: chunks of {@code --block} positions (all n when
   * shorter) and about one bucket per chunk, as the Reformer sizes them (an even count >= 2).
   */
  int lshChunk(int n) {
    return Math.min(block, n);
  }

  int lshBuckets(int n) {
    int b = (n + lshChunk(n) - 1) / lshChunk(n);
    return Math.max(2, b + (b % 2));
  }

  private static void check(boolean ok, String message) {
    if (!ok) throw new CliException("seq-demo: " + message);
  }
}
