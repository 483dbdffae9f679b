package org.gnn4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gnn4j.config.ConfigNode;

/**
 * Finds the config a command names: a file path, or the name of a config shipped in the
 * repository's {@code configs/} folder (packed into the jar), and applies the command-line
 * overrides ({@code --seed}, {@code --epochs}) as if the file had them.
 */
public final class Configs {
  /** The configs in {@code configs/}, by name. */
  static final List<String> SHIPPED = List.of("cora-gcn", "cora-gat", "karate-gcn", "mutag-gin",
      "zinc-gine", "zinc-gps", "zinc-pretrain", "zinc-finetune", "user-item-sage", "user-item-hgt",
      "cora-link", "movielens-lightgcn", "movielens-relational", "cora-gcn-deep", "cora-gcn-res",
      "cora-gps", "zinc-graph-transformer", "zinc-graphormer", "zinc-transformer", "zinc-gn",
      "zinc-best");

  private Configs() {}

  public static ConfigNode load(String nameOrPath) {
    Path p = Path.of(nameOrPath);
    if (Files.isRegularFile(p)) return ConfigNode.load(p);
    String res = "configs/" + baseName(nameOrPath) + ".yaml";
    try (InputStream in = Configs.class.getResourceAsStream(res)) {
      if (in != null) return ConfigNode.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), res);
    } catch (IOException e) {
      throw new CliException("cannot read the shipped config " + res + ": " + e.getMessage());
    }
    throw new CliException("config '" + nameOrPath + "' is neither a file nor a shipped config (shipped: "
        + String.join(", ", SHIPPED) + ")");
  }

  /**
   * {@code --data DIR}: the config's dataset becomes {@code dir: <absolute DIR>} (its name goes),
   * so the config a run stores in its checkpoints names the data it was trained on, and
   * {@code eval}/{@code predict} on those checkpoints read that data, not the config's dataset.
   */
  static void useData(ConfigNode cfg, String data) {
    if (data == null) return;
    cfg.sectionForUpdate("dataset").remove("name")
        .set("dir", java.nio.file.Path.of(data).toAbsolutePath().normalize().toString());
  }

  /**
   * Records the SHA-256 of the files of the config's {@code dataset.dir} as {@code dataset.sha256}
   * (unless the config pins one already), so the checkpoints of the run carry the identity of the
   * data they were trained on and evaluation refuses a directory whose files changed.
   */
  static void pinData(ConfigNode cfg) {
    if (!cfg.has("dataset")) return;
    ConfigNode d = cfg.sectionForUpdate("dataset");
    String dir = d.has("dir") ? d.string("dir", null) : null;
    if (dir != null && !d.has("sha256") && java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir))) {
      d.set("sha256", org.gnn4j.data.DirectoryDigest.of(java.nio.file.Path.of(dir)));
    }
  }

  static void override(ConfigNode cfg, String seed, String epochs) {
    if (seed != null) cfg.sectionForUpdate("train").set("seed", parseLong("--seed", seed));
    if (epochs != null) cfg.sectionForUpdate("train").set("epochs", parseLong("--epochs", epochs));
  }

  static String baseName(String nameOrPath) {
    String f = Path.of(nameOrPath).getFileName().toString();
    return f.replaceFirst("\\.(ya?ml|json)$", "");
  }

  private static long parseLong(String opt, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new CliException(opt + " must be an integer (got '" + v + "')");
    }
  }
}
