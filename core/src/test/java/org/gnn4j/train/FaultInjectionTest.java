package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.model.GraphModel;
import org.gnn4j.tensor.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed again and again, at seeded random moments of its saves (before the checkpoint,
 * half way through writing it, after it, after best.ckpt, after the epoch's listeners), each time
 * resumed from what the run directory holds: it must end exactly where an uninterrupted run ends.
 */
class FaultInjectionTest {
  private static final String CFG = """
      dataset: {name: cora}
      model: {layer: gcn, layers: 2, hidden: 8, dropout: 0.5}
      optim: {name: adam, lr: 0.01, weight_decay: 0.0005}
      train: {epochs: 80, patience: 0, seed: 5, checkpoint_seconds: 0}
      """;

  private static final class Killed extends RuntimeException {}

  /** A kill point: the phase of the save of one epoch, or null for "after the listeners". */
  private record Point(int epoch, Trainer.SavePhase phase) {}

  private static Trainer.Result run(Path dir, boolean resume, Point kill, Set<Trainer.SavePhase> seen) {
    return run(CFG, dir, resume, kill, (phase, epoch) -> seen.add(phase), null);
  }

  /**
   * One run of {@code cfg}; {@code probe} sees every save phase; with {@code clock}, the trainer's
   * clock reads it, and each epoch's listener moves it 0.4 s on.
   */
  private static Trainer.Result run(String cfg, Path dir, boolean resume, Point kill, Trainer.SaveProbe probe,
                                    long[] clock) {
    Experiment exp = Experiment.of(ConfigNode.parse(cfg, "f.yaml"));
    try (Context ctx = Context.builder().threads(1).seed(5).build()) {
      var task = exp.task(ctx, null);
      GraphModel model = exp.buildModel(ctx, task, 5);
      Trainer t = new Trainer(model, task, exp.optimizer(model), 5, exp.trainerOptions(dir, resume));
      if (clock != null) t.clock(() -> clock[0]);
      t.probeSaves((phase, epoch) -> {
        probe.at(phase, epoch);
        if (kill != null && kill.phase() == phase && kill.epoch() == epoch) throw new Killed();
      });
      t.listen(r -> {
        if (clock != null) clock[0] += 400_000_000L;
        if (kill != null && kill.phase() == null && kill.epoch() == r.epoch()) throw new Killed();
      });
      return t.fit();
    }
  }

  @Test
  void checkpointsSpacedInTimeLoseOnlyTimeToAKill(@TempDir Path tmp) {
    String cfg = CFG.replace("epochs: 80", "epochs: 20").replace("checkpoint_seconds: 0", "checkpoint_seconds: 1");
    Trainer.Result whole = run(cfg, null, false, null, (phase, epoch) -> { }, null);
    // epoch e ends at 0.4 (e - 1) s: a save once 1 s has passed since the last, and after epoch 20
    java.util.List<Integer> saved = new java.util.ArrayList<>();
    Trainer.SaveProbe saves = (phase, epoch) -> {
      if (phase == Trainer.SavePhase.BEFORE_CHECKPOINT) saved.add(epoch);
    };
    Path dir = tmp.resolve("run");
    try {
      run(cfg, dir, false, new Point(12, null), saves, new long[1]);
      throw new AssertionError("the run was not killed");
    } catch (Killed k) {
      // epochs 11 and 12 ran after the last save and are lost; the run must redo them
    }
    assertEquals(java.util.List.of(4, 7, 10), saved);
    saved.clear();
    Trainer.Result resumed = run(cfg, dir, true, null, saves, new long[1]);
    assertEquals(10, resumed.resumedFrom());
    assertEquals(java.util.List.of(14, 17, 20), saved);
    assertEquals(whole.metrics(), resumed.metrics());
    assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    assertEquals(20, resumed.history().size());
    for (int i = 0; i < 20; i++) {
      assertEquals(whole.history().get(i).loss(), resumed.history().get(i).loss(), "epoch " + (i + 1));
    }
    assertEquals(whole.bestEpoch(), Checkpoint.read(dir.resolve(TrainCheckpoints.BEST)).epoch());
  }

  @Test
  void fiftyKillsAcrossSavePhasesEndWhereAnUninterruptedRunEnds(@TempDir Path tmp) {
    Set<Trainer.SavePhase> seen = EnumSet.noneOf(Trainer.SavePhase.class);
    Trainer.Result whole = run(null, false, null, seen);
    Path dir = tmp.resolve("run");
    SplittableRandom rng = new SplittableRandom(20261206);
    Trainer.SavePhase[] phases = Trainer.SavePhase.values();
    int kills = 0;
    int epoch = 0;                 // the last epoch the directory holds
    boolean started = false;
    while (kills < 50) {
      // the next kill: a later epoch (or the same one, when it was killed before its commit)
      int at = Math.min(79, epoch + 1 + rng.nextInt(2));   // epoch 80 stays for the final run
      int p = rng.nextInt(phases.length + 1);
      Point kill = new Point(at, p == phases.length ? null : phases[p]);
      try {
        run(dir, started, kill, seen);
        throw new AssertionError("the run was not killed at " + kill + " (it held epoch " + epoch
            + " or more)");
      } catch (Killed k) {
        kills++;
      }
      started = true;
      // epoch `at` is committed when the kill came after the checkpoint's rename; the epochs
      // before it always are
      boolean committed = kill.phase() == null
          || kill.phase().compareTo(Trainer.SavePhase.AFTER_CHECKPOINT) >= 0;
      epoch = committed ? at : at - 1;
    }
    Trainer.Result resumed = run(dir, true, null, seen);
    assertEquals(whole.metrics(), resumed.metrics());
    assertEquals(whole.bestEpoch(), resumed.bestEpoch());
    assertEquals(80, resumed.history().size());
    for (int i = 0; i < 80; i++) {
      assertEquals(whole.history().get(i).loss(), resumed.history().get(i).loss(), "epoch " + (i + 1));
    }
    assertTrue(seen.containsAll(EnumSet.allOf(Trainer.SavePhase.class)), "every phase was reached: " + seen);
  }
}
