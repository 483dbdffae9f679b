package org.gnn4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.io.Json;
import org.gnn4j.train.Trainer;

/**
 * The per-epoch metrics file of a run ({@code metrics.jsonl}): one JSON object per epoch,
 * appended and flushed as the epoch ends, so a killed run keeps every finished epoch. On
 * {@code --resume} the file is rewritten from the history the checkpoint holds, so it never
 * repeats an epoch nor misses one that a kill cut off after its checkpoint was written.
 */
final class MetricsLog implements Trainer.Listener {
  private final Path file;
  private final boolean resume;
  private boolean trimmed;

  private MetricsLog(Path file, boolean resume) {
    this.file = file;
    this.resume = resume;
  }

  static MetricsLog open(Path file, boolean resume) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!resume) Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CliException("cannot prepare " + file + " (" + IoErrors.reason(e) + ")");
    }
    return new MetricsLog(file, resume);
  }

  @Override
  public void resumed(List<Trainer.EpochResult> history) {
    List<String> lines = new ArrayList<>();
    for (Trainer.EpochResult r : history) lines.add(line(r));
    try {
      AtomicFiles.writeLines(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
    trimmed = true;
  }

  @Override
  public void epochEnd(Trainer.EpochResult r) {
    try {
      if (resume && !trimmed) {
        trimBefore(r.epoch());
        trimmed = true;
      }
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        w.write(line(r));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  private static String line(Trainer.EpochResult r) {
    JsonLine line = new JsonLine().put("epoch", r.epoch()).put("loss", r.loss()).put("lr", r.lr());
    for (var e : r.metrics().entrySet()) line.put(e.getKey(), e.getValue());
    return line.put("seconds", r.seconds()).toString();
  }

  /** Keeps only the lines of epochs before {@code epoch}. */
  private void trimBefore(int epoch) throws IOException {
    if (!Files.exists(file)) return;
    List<String> keep = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (l.isBlank()) continue;
      Object v;
      try {
        v = Json.parse(l, file.toString());
      } catch (IllegalArgumentException e) {
        continue; // a line cut by the kill
      }
      if (v instanceof java.util.Map<?, ?> m && m.get("epoch") instanceof Number n && n.intValue() < epoch) keep.add(l);
    }
    AtomicFiles.writeLines(file, keep);
  }
}
