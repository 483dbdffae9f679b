package org.gnn4j.data.relational;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gnn4j.data.DataSource;

/**
 * From a {@code dataset.schema} value to a {@link RelationalGraph}: the name of a relational
 * dataset shipped inside gnn4j ({@code movielens}: MovieLens ml-latest-small) or the path of a
 * schema file, whose CSV files lie beside it; with a JDBC URL the same schema's tables are read
 * from that database instead.
 */
public final class RelationalDatasets {
  /** The relational datasets shipped inside gnn4j. */
  public static final List<String> EMBEDDED = List.of("movielens");

  /** The embedded dataset each shipped schema reads (MovieLens's tables also serve recommendation). */
  private static final java.util.Map<String, String> EMBEDDED_DIRS = java.util.Map.of("movielens", "movielens_small");

  private RelationalDatasets() {}

  /** Where the schema file and the CSV files are, and the schema file's name there. */
  public record Location(DataSource files, String schemaFile, String name) {}

  /**
   * @throws IllegalArgumentException when {@code nameOrSchema} is neither a shipped name nor an
   *     existing file
   */
  public static Location locate(String nameOrSchema) {
    if (EMBEDDED.contains(nameOrSchema)) {
      return new Location(DataSource.embedded(EMBEDDED_DIRS.get(nameOrSchema)), "schema.yaml", nameOrSchema);
    }
    Path p = Path.of(nameOrSchema);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("data: schema '" + nameOrSchema + "' is neither a file nor a shipped"
          + " relational dataset (shipped: " + String.join(", ", EMBEDDED) + ")");
    }
    Path dir = p.toAbsolutePath().getParent();
    String base = p.getFileName().toString().replaceFirst("\\.(yaml|yml|json)$", "");
    return new Location(DataSource.directory(dir), p.getFileName().toString(),
        dir.getFileName() == null ? base : dir.getFileName().toString());
  }

  public static Schema schema(String nameOrSchema) {
    Location l = locate(nameOrSchema);
    return Schema.read(l.files(), l.schemaFile());
  }

  /** The graph of the schema's CSV tables, or (jdbcUrl not null) of its tables in that database. */
  public static RelationalGraph load(String nameOrSchema, String jdbcUrl) {
    Location l = locate(nameOrSchema);
    Schema s = Schema.read(l.files(), l.schemaFile());
    if (jdbcUrl == null) return RelationalGraphBuilder.build(l.name(), s, new CsvTables(l.files()));
    try (JdbcTables db = JdbcTables.open(jdbcUrl)) {
      return RelationalGraphBuilder.build(l.name(), s, db);
    }
  }
}
