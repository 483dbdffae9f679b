package org.gnn4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.AtomicFiles;
import org.gnn4j.io.Json;

/**
 * {@code run.json} of a run directory: the full config the run was started with (seed and data
 * included), written atomically when the run starts. {@code --resume} compares the current config
 * with it, so a resumed run never continues under settings other than the ones it records;
 * {@code train.epochs} and {@code train.patience} may change (extending a run), and so may
 * {@code train.checkpoint_seconds}, which changes how often the run saves, not what it computes.
 */
final class RunManifest {
  static final String FILE = "run.json";
  private static final Set<String> MAY_CHANGE =
      Set.of("train.epochs", "train.patience", "train.checkpoint_seconds");

  private RunManifest() {}

  static void write(Path runDir, ConfigNode config) {
    Path f = runDir.resolve(FILE);
    try {
      Files.createDirectories(runDir);
      AtomicFiles.writeLines(f, List.of("{\"config\": " + config.toJson() + "}"));
    } catch (IOException e) {
      throw new CliException("train: cannot write " + f + " (" + IoErrors.reason(e) + ")");
    }
  }

  /**
   * The dotted keys whose values differ between the run's recorded config and {@code current},
   * as "key: old -> new"; empty when they agree or the directory has no manifest (older runs).
   */
  static List<String> differences(Path runDir, ConfigNode current) {
    Path f = runDir.resolve(FILE);
    if (!Files.isRegularFile(f)) return List.of();
    Object stored;
    try {
      stored = ((Map<?, ?>) Json.parse(Files.readString(f, StandardCharsets.UTF_8), f.toString()))
          .get("config");
    } catch (IOException e) {
      throw new CliException("train: cannot read " + f + " (" + IoErrors.reason(e) + ")");
    }
    List<String> out = new ArrayList<>();
    diff("", stored, Json.parse(current.toJson(), "the current config"), out);
    return out;
  }

  private static void diff(String path, Object a, Object b, List<String> out) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<String> keys = new TreeSet<>();
      for (Object k : ma.keySet()) keys.add(String.valueOf(k));
      for (Object k : mb.keySet()) keys.add(String.valueOf(k));
      for (String k : keys) diff(path.isEmpty() ? k : path + "." + k, ma.get(k), mb.get(k), out);
    } else if (!Objects.equals(a, b) && !MAY_CHANGE.contains(path)) {
      out.add(path + ": " + (a == null ? "(absent)" : a) + " -> " + (b == null ? "(absent)" : b));
    }
  }
}
