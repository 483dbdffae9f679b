package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.nn.Linear;
import org.gnn4j.optim.Adam;
import org.gnn4j.optim.MetricMode;
import org.gnn4j.optim.ReduceOnPlateau;
import org.gnn4j.optim.Sgd;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  private static Linear linear(Context ctx, int in, int out, boolean bias, long seed) {
    return new Linear(ctx, in, out, bias, new SplittableRandom(seed));
  }

  /** A model after one Adam step, with scheduler, early-stopping and user state. */
  private static Checkpoint trained(Context ctx, Linear model, Adam opt) {
    for (Tensor p : model.parameters()) p.accumulateGrad(ctx.randn(new SplittableRandom(9), p.shape().toArray()).data());
    opt.step();
    ReduceOnPlateau plateau = new ReduceOnPlateau(ReduceOnPlateau.Config.of(MetricMode.MIN), 0.01f);
    plateau.observe(0.1 + 0.2);                               // 0.30000000000000004 must survive
    EarlyStopping stop = new EarlyStopping(EarlyStopping.Config.of(MetricMode.MAX, 5));
    stop.observe(3, 0.8125);
    return Checkpoint.of(model).optimizer(opt).scheduler(plateau.state())
        .earlyStopping(stop.state()).epoch(3).rng(-42L, 1L << 40)
        .metadata("config", "model: gcn\nhidden: \"16\"\t# tab").metadata("metrics", "{\"val\": 0.8}")
        .build();
  }

  @Test
  void roundTripIsBitExact() {
    try (Context ctx = Context.create()) {
      Linear model = linear(ctx, 3, 4, true, 1);
      Adam opt = new Adam(model.parameters(), Adam.Config.of(0.01f, 5e-4f));
      Checkpoint saved = trained(ctx, model, opt);
      Path file = dir.resolve("ck.safetensors");
      saved.write(file);

      Checkpoint back = Checkpoint.read(file);
      Linear fresh = linear(ctx, 3, 4, true, 2);
      back.restoreModel(fresh);
      for (var e : model.namedParameters().entrySet()) {
        assertArrayEquals(e.getValue().data(), fresh.namedParameters().get(e.getKey()).data(), e.getKey());
      }
      Adam freshOpt = new Adam(fresh.parameters(), Adam.Config.of(0.01f, 5e-4f));
      back.restoreOptimizer(freshOpt);
      Map<String, float[]> want = opt.state();
      Map<String, float[]> got = freshOpt.state();
      assertEquals(want.keySet(), got.keySet());
      for (String k : want.keySet()) assertArrayEquals(want.get(k), got.get(k), k);
      assertEquals(saved.schedulerState(), back.schedulerState());
      assertEquals(0.30000000000000004, back.schedulerState().get("best"), 0);
      assertEquals(saved.earlyStoppingState(), back.earlyStoppingState());
      assertEquals(3, back.epoch());
      assertEquals(-42L, back.rngSeed());
      assertEquals(1L << 40, back.rngCounter());
      assertEquals(saved.metadata(), back.metadata());
      assertEquals("Adam", back.optimizerKind());
    }
  }

  @Test
  void aCheckpointFromAnotherModelNamesEveryMismatch() {
    try (Context ctx = Context.create()) {
      Path file = dir.resolve("ck.safetensors");
      Checkpoint.of(linear(ctx, 3, 4, true, 1)).build().write(file);
      Checkpoint back = Checkpoint.read(file);

      Linear wider = linear(ctx, 3, 5, true, 2);
      float[] before = wider.weight().toArray();
      var shape = assertThrows(Gnn4jConfigException.class, () -> back.restoreModel(wider));
      assertTrue(shape.getMessage().contains("'weight' has shape [4, 3], model expects [5, 3]"),
          shape.getMessage());
      assertTrue(shape.getMessage().contains("'bias' has shape [4], model expects [5]"), shape.getMessage());
      assertTrue(shape.getMessage().startsWith(file.toString()), shape.getMessage());
      assertArrayEquals(before, wider.weight().data());    // nothing copied on failure

      var extra = assertThrows(Gnn4jConfigException.class,
          () -> back.restoreModel(linear(ctx, 3, 4, false, 2)));
      assertTrue(extra.getMessage().contains("unexpected 'bias' (shape [4]"), extra.getMessage());

      Path noBias = dir.resolve("nobias.safetensors");
      Checkpoint.of(linear(ctx, 3, 4, false, 1)).build().write(noBias);
      var missing = assertThrows(Gnn4jConfigException.class,
          () -> Checkpoint.read(noBias).restoreModel(linear(ctx, 3, 4, true, 2)));
      assertTrue(missing.getMessage().contains("missing 'bias' (model expects shape [4])"),
          missing.getMessage());
    }
  }

  @Test
  void optimizerMismatchIsNamed() {
    try (Context ctx = Context.create()) {
      Linear model = linear(ctx, 3, 4, true, 1);
      Path file = dir.resolve("ck.safetensors");
      trained(ctx, model, new Adam(model.parameters(), Adam.Config.of(0.01f, 0f))).write(file);
      Checkpoint back = Checkpoint.read(file);
      var kind = assertThrows(Gnn4jConfigException.class,
          () -> back.restoreOptimizer(new Sgd(model.parameters(), Sgd.Config.of(0.1f))));
      assertTrue(kind.getMessage().contains("holds Adam state, cannot restore it into Sgd"),
          kind.getMessage());
      Linear other = linear(ctx, 3, 6, true, 1);
      var size = assertThrows(Gnn4jConfigException.class,
          () -> back.restoreOptimizer(new Adam(other.parameters(), Adam.Config.of(0.01f, 0f))));
      assertTrue(size.getMessage().contains("'state.0.exp_avg' has 12 values, expected 18"),
          size.getMessage());
      Path bare = dir.resolve("bare.safetensors");
      Checkpoint.of(model).build().write(bare);
      assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(bare)
          .restoreOptimizer(new Adam(model.parameters(), Adam.Config.of(0.01f, 0f))));
    }
  }

  @Test
  void truncatedFileGivesAClearError() throws IOException {
    try (Context ctx = Context.create()) {
      Linear model = linear(ctx, 3, 4, true, 1);
      Path file = dir.resolve("ck.safetensors");
      trained(ctx, model, new Adam(model.parameters(), Adam.Config.of(0.01f, 0f))).write(file);
      byte[] all = Files.readAllBytes(file);
      for (int keep : new int[] {all.length - 1, all.length / 2, 40, 3}) {
        Path cut = dir.resolve("cut" + keep + ".safetensors");
        Files.write(cut, Arrays.copyOf(all, keep));
        var e = assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"),
            "kept " + keep + " bytes: " + e.getMessage());
      }
      Path missing = dir.resolve("nope.safetensors");
      var e = assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(missing));
      assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }
  }

  @Test
  void failedWriteKeepsThePreviousCheckpointAndRemovesTheTempFile() throws IOException {
    try (Context ctx = Context.create()) {
      Linear model = linear(ctx, 3, 4, true, 1);
      Path file = dir.resolve("ck.safetensors");
      Checkpoint.of(model).epoch(1).build().write(file);
      byte[] good = Files.readAllBytes(file);

      model.weight().data()[0] += 1;
      Checkpoint next = Checkpoint.of(model).epoch(2).build();
      var e = assertThrows(UncheckedIOException.class, () -> next.write(file, FailAfter::new, true));
      assertTrue(e.getMessage().contains(file.toString()) && e.getCause().getMessage().contains("disk full"),
          e.getMessage());
      assertArrayEquals(good, Files.readAllBytes(file));
      assertEquals(1, Checkpoint.read(file).epoch());
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList(), "temp file left behind");
      }
      next.write(file);
      assertEquals(2, Checkpoint.read(file).epoch());
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(file)), "a new checkpoint is not owner-only like a temp file");
      }
    }
  }

  @Test
  void aPlainWeightsFileIsNotACheckpoint() throws IOException {
    Path file = dir.resolve("w.safetensors");
    try (OutputStream out = Files.newOutputStream(file)) {
      org.gnn4j.io.SafetensorsWriter.write(out, List.of(), Map.of("format", "pt"));
    }
    var e = assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains("not a gnn4j checkpoint"), e.getMessage());
  }

  /** Lets 100 bytes through, then fails as a full disk would. */
  private static final class FailAfter extends FilterOutputStream {
    private int left = 100;

    FailAfter(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      if (left-- <= 0) throw new IOException("disk full (simulated)");
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i++) write(b[off + i]);
    }
  }

  /** The byte offset of the first value of tensor {@code name} in a safetensors file. */
  private static int dataOffset(byte[] b, String name) {
    long n = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(b, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    int at = header.indexOf("\"" + name + "\"");
    int offsets = header.indexOf("\"data_offsets\"", at);
    int open = header.indexOf('[', offsets);
    int comma = header.indexOf(',', open);
    return 8 + (int) n + Integer.parseInt(header.substring(open + 1, comma).strip());
  }

  @Test
  void aChangedByteOrANonFiniteWeightIsRefusedNamingTheFile() throws Exception {
    try (Context ctx = Context.create()) {
      Linear model = linear(ctx, 3, 4, true, 1);
      Path file = dir.resolve("ck.safetensors");
      trained(ctx, model, new Adam(model.parameters(), Adam.Config.of(0.01f, 5e-4f))).write(file);
      byte[] good = Files.readAllBytes(file);

      byte[] flipped = good.clone();
      flipped[dataOffset(good, "model.weight") + 2] ^= 0x04;     // a low mantissa bit
      Path bad = dir.resolve("flipped.safetensors");
      Files.write(bad, flipped);
      var e = assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(bad));
      assertTrue(e.getMessage().startsWith(bad + ": checksum mismatch"), e.getMessage());

      // a NaN weight in an intact file (its digest matches: it is what a diverged run wrote)
      model.weight().data()[5] = Float.NaN;
      Path nan = dir.resolve("nan.safetensors");
      Checkpoint.of(model).epoch(1).rng(0, 0).build().write(nan);
      e = assertThrows(Gnn4jConfigException.class, () -> Checkpoint.read(nan));
      assertTrue(e.getMessage().contains("tensor 'model.weight' holds NaN at index 5"), e.getMessage());
    }
  }
}
