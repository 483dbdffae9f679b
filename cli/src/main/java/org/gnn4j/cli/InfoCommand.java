package org.gnn4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import org.gnn4j.data.DataFiles;
import org.gnn4j.data.DataSource;
import org.gnn4j.data.DatasetStats;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.data.GraphDatasetWriter;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.HeteroDatasetWriter;
import org.gnn4j.data.HeteroStats;

/**
 * {@code gnn4j info --data DIR|NAME}: loads a dataset (an embedded name or a directory in the
 * plain or TU format) with the same readers training uses, so a bad file is reported with its
 * line before any training starts, checks the file sums that {@code meta.json} lists, and prints
 * the statistics: readable lines on stderr, one JSON object on stdout. {@code --write DIR}
 * stores a graph dataset in the plain format (to convert TU raw files once).
 */
final class InfoCommand {
  private InfoCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    Args a = new Args("info", argv, 1);
    String data = a.option("data", null, "dataset directory or embedded name ("
        + String.join(", ", DataSource.EMBEDDED) + ", " + String.join(", ",
        DataSource.EMBEDDED_HETERO) + ", " + String.join(", ", DataSource.EMBEDDED_INTERACTIONS) + ")");
    boolean noVerify = a.flag("no-verify", "skip the size + SHA-256 check of meta.json's files");
    String write = a.option("write", null, "also write a graph or heterogeneous dataset in the"
        + " plain format to this directory (converts TU raw files)");
    if (a.wantsHelp() || data == null) {
      out.println("usage: gnn4j info --data DIR|NAME [options]   (dataset statistics; formats in"
          + " docs/data-format.md)");
      out.print(a.usage());
      return a.wantsHelp() ? 0 : 2;
    }
    a.checkNoUnknown();
    if (!a.positional().isEmpty()) {
      throw new CliException("info: unexpected argument '" + a.positional().get(0)
          + "' (use --data DIR|NAME)");
    }
    if (write != null) {
      Path target = Path.of(write);
      OutputPaths.refuseInputs("info", "--write", target,
          java.nio.file.Files.isDirectory(Path.of(data)) ? Path.of(data) : null);
      OutputPaths.requireNewOrEmptyDirectory("info", "--write", target);
    }
    int verified = 0;
    if (!noVerify && Datasets.hasChecksums(data)) verified = DataFiles.verify(DataSource.resolve(data));
    Datasets.Format format = Datasets.formatOf(data);
    if (format == Datasets.Format.HETERO) return hetero(data, write, verified, out, err);
    if (format == Datasets.Format.INTERACTIONS) return interactions(data, write, verified, out, err);
    DatasetStats stats;
    if (format == Datasets.Format.NODE) {
      if (write != null) throw new CliException("info: --write supports graph datasets only");
      stats = DatasetStats.of(Datasets.node(data));
    } else {
      GraphDataset g = Datasets.graph(data);
      stats = DatasetStats.of(g);
      if (write != null) {
        GraphDatasetWriter.write(g, Path.of(write));
        err.println("gnn4j: wrote " + g.name() + " in the plain format to " + write);
      }
    }
    err.print(stats.toText());
    err.printf("  format          %s%s%n", format.name().toLowerCase(java.util.Locale.ROOT),
        verified > 0 ? ", " + verified + " files match meta.json (size + SHA-256)" : "");
    String json = stats.toJson();
    out.println(json.substring(0, json.length() - 1) + ",\"format\":\""
        + format.name().toLowerCase(java.util.Locale.ROOT) + "\",\"files_verified\":" + verified + "}");
    return 0;
  }

  /** Users, items, interactions and density of a user-item interaction dataset. */
  private static int interactions(String data, String write, int verified, PrintStream out, PrintStream err) {
    if (write != null) throw new CliException("info: --write supports graph and heterogeneous datasets only");
    org.gnn4j.data.InteractionDataset d = Datasets.interactions(data, 0);
    double density = (double) d.numInteractions() / ((double) d.numUsers() * d.numItems());
    err.printf("%s%n  users           %d%n  items           %d%n  interactions    %d (density %.4f)%n"
        + "  titles          %s%n  format          interactions%s%n", d.describe(), d.numUsers(), d.numItems(),
        d.numInteractions(), density, d.hasTitles() ? "yes" : "no",
        verified > 0 ? ", " + verified + " files match meta.json (size + SHA-256)" : "");
    out.println(new org.gnn4j.cli.bench.JsonLine().put("name", d.name()).put("users", d.numUsers())
        .put("items", d.numItems()).put("interactions", d.numInteractions()).put("density", density)
        .put("format", "interactions").put("files_verified", verified));
    return 0;
  }

  /** Per node type and per relation statistics of a heterogeneous dataset. */
  private static int hetero(String data, String write, int verified, PrintStream out,
                            PrintStream err) {
    HeteroDataset d = Datasets.hetero(data);
    if (write != null) {
      try {
        HeteroDatasetWriter.write(d, Path.of(write));
      } catch (java.io.UncheckedIOException e) {
        throw new CliException("info: cannot write " + write + " (" + e.getCause() + ")");
      }
      err.println("gnn4j: wrote " + d.name() + " in the plain format to " + write);
    }
    err.print(HeteroStats.of(d).toText());
    err.printf("  format          hetero%s%n",
        verified > 0 ? ", " + verified + " files match meta.json (size + SHA-256)" : "");
    String json = HeteroStats.of(d).toJson();
    out.println(json.substring(0, json.length() - 1) + ",\"format\":\"hetero\",\"files_verified\":"
        + verified + "}");
    return 0;
  }
}
