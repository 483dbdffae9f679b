package org.gnn4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.gnn4j.train.Trainer;

/**
 * The training progress display on stderr: on a terminal, one bar redrawn in place with the
 * epoch, ETA and live metrics; otherwise (logs, pipes, CI) plain lines every few epochs and at
 * improvements of the validation metric, so a log file stays readable.
 */
final class Progress implements Trainer.Listener {
  private static final int BAR = 24;
  private final PrintStream err;
  private final boolean terminal;
  private final String metric;
  private final long start = System.nanoTime();
  private long lastLine;
  private double best = Double.NaN;
  private int bestEpoch;

  Progress(PrintStream err, boolean terminal, String metric) {
    this.err = err;
    this.terminal = terminal;
    this.metric = metric;
  }

  /** True when stderr is an interactive terminal (the JVM's console). */
  static boolean stderrIsTerminal() {
    var c = System.console();
    return c != null && c.isTerminal();
  }

  @Override
  public void epochEnd(Trainer.EpochResult r) {
    double elapsed = (System.nanoTime() - start) / 1e9;
    double eta = elapsed / r.epoch() * (r.epochs() - r.epoch());
    Double v = r.metrics().get("val_" + metric);
    if (r.improved() && v != null) {
      best = v;
      bestEpoch = r.epoch();
    }
    String text = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f%s%s  lr %.2g  %.1fs, ETA %.0fs",
        r.epoch(), r.epochs(), r.loss(), v == null ? "" : String.format(Locale.ROOT, "  val %s %.4f", metric, v),
        Double.isNaN(best) ? "" : String.format(Locale.ROOT, "  best %.4f @%d", best, bestEpoch),
        r.lr(), elapsed, eta);
    if (terminal) {
      int filled = (int) Math.round((double) BAR * r.epoch() / r.epochs());
      err.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + text + "\u001b[K");
      if (r.epoch() == r.epochs()) err.println();
      err.flush();
      return;
    }
    long now = System.nanoTime();
    boolean due = r.epoch() == 1 || r.epoch() == r.epochs() || r.epoch() % 10 == 0 || now - lastLine > 5_000_000_000L;
    if (due) {
      err.println(text);
      lastLine = now;
    }
  }

  /** Ends the bar's line when training stopped early. */
  void finish() {
    if (terminal) err.println();
  }
}
