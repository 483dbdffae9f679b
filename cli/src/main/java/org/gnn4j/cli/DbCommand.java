package org.gnn4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.gnn4j.cli.bench.JsonLine;
import org.gnn4j.data.relational.CsvTables;
import org.gnn4j.data.relational.RelationalDatasets;
import org.gnn4j.data.relational.RelationalGraph;
import org.gnn4j.data.relational.Schema;
import org.gnn4j.data.relational.TableImport;
import org.gnn4j.io.AtomicFiles;

/**
 * {@code gnn4j db import --schema FILE|NAME --out FILE.db}: copies the CSV tables a schema
 * describes into a new SQLite file (one table per schema table, every column of its file), which
 * a config then reads with {@code dataset.jdbc: jdbc:sqlite:FILE.db}; {@code gnn4j db info
 * --schema S [--jdbc URL]} loads the graph the tables give and prints its counts. The database is
 * written to a temporary file beside the target and moved into place when complete, so a failed
 * import leaves nothing behind, and an existing file is only replaced with {@code --force}.
 */
final class DbCommand {
  private DbCommand() {}

  static int run(String[] argv, PrintStream out, PrintStream err) {
    String sub = argv.length > 1 && !argv[1].startsWith("--") ? argv[1] : null;
    if (sub == null || !(sub.equals("import") || sub.equals("info"))) {
      if (sub != null) throw new CliException("db: unknown subcommand '" + sub + "' (valid: import, info)");
      out.println("usage: gnn4j db import --schema FILE|NAME --out FILE.db [--force]\n"
          + "       gnn4j db info --schema FILE|NAME [--jdbc URL]");
      return argv.length > 1 && argv[1].equals("--help") ? 0 : 2;
    }
    Args a = new Args("db " + sub, argv, 2);
    String schema = a.option("schema", null, "schema file (CSV files beside it) or a shipped name ("
        + String.join(", ", RelationalDatasets.EMBEDDED) + ")");
    String outFile = sub.equals("import") ? a.option("out", null, "the SQLite file to create") : null;
    boolean force = sub.equals("import") && a.flag("force", "replace an existing --out file");
    String jdbc = sub.equals("info") ? a.option("jdbc", null, "read the tables from this database (e.g. jdbc:sqlite:FILE.db)") : null;
    if (a.wantsHelp() || schema == null || (sub.equals("import") && outFile == null)) {
      out.println(sub.equals("import") ? "usage: gnn4j db import --schema FILE|NAME --out FILE.db [--force]"
          : "usage: gnn4j db info --schema FILE|NAME [--jdbc URL]");
      out.print(a.usage());
      return a.wantsHelp() ? 0 : 2;
    }
    a.checkNoUnknown();
    if (!a.positional().isEmpty()) throw new CliException("db " + sub + ": unexpected argument '" + a.positional().get(0) + "'");
    return sub.equals("import") ? importTables(schema, Path.of(outFile), force, out, err) : info(schema, jdbc, out, err);
  }

  private static int importTables(String schemaName, Path target, boolean force, PrintStream out, PrintStream err) {
    if (Files.isDirectory(target)) throw new CliException("db import: --out " + target + " is a directory (expected a .db file)");
    if (Files.exists(target) && !force) {
      throw new CliException("db import: " + target + " exists; add --force to replace it, or choose another --out");
    }
    RelationalDatasets.Location loc = RelationalDatasets.locate(schemaName);
    Schema schema = Schema.read(loc.files(), loc.schemaFile());
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw new UncheckedIOException("db import: cannot write in " + dir, e);
    }
    String url = "jdbc:sqlite:" + tmp;
    boolean done = false;
    try {
      Map<String, Integer> rows;
      try (Connection c = DriverManager.getConnection(url)) {
        rows = TableImport.run(loc.name(), schema, new CsvTables(loc.files()), c, "jdbc:sqlite:" + target);
      } catch (SQLException e) {
        throw new CliException("db import: cannot write the database " + target + ": " + e.getMessage());
      }
      AtomicFiles.keepPermissions(target, tmp);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done = true;
      JsonLine line = new JsonLine().put("out", target.toString());
      for (var e : rows.entrySet()) line.put("rows_" + e.getKey(), e.getValue());
      err.println("gnn4j: wrote " + rows.size() + " tables to " + target + " (read it with dataset.jdbc: jdbc:sqlite:" + target + ")");
      out.println(line);
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("db import: cannot move the database into " + target, e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          err.println("gnn4j: could not remove the temporary file " + tmp);
        }
      }
    }
  }

  private static int info(String schema, String jdbc, PrintStream out, PrintStream err) {
    RelationalGraph g = RelationalDatasets.load(schema, jdbc);
    JsonLine line = new JsonLine().put("schema", schema);
    if (jdbc != null) line.put("jdbc", jdbc);
    for (String t : g.data().graph().nodeTypes()) {
      line.put("nodes_" + t, g.data().graph().numNodes(t)).put("features_" + t, g.data().numFeatures(t));
    }
    for (var r : g.data().graph().relations()) line.put("edges_" + r, g.data().graph().edges(r).numEdges());
    err.println("gnn4j: " + g.data().graph());
    out.println(line);
    return 0;
  }
}
