package org.gnn4j.data.relational;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.data.DataSource;

/**
 * The description of a set of tables that {@link RelationalGraphBuilder} turns into a
 * heterogeneous graph: per table its file, primary key, foreign keys, time column and feature
 * columns (see {@code docs/data-format.md}, "Relational tables"). Read from a small YAML file with
 * the project's own parser, so every mistake in it is reported with the file and line. The same
 * schema describes the tables of a database ({@link JdbcTables}), where each table is the
 * database table of the same name.
 *
 * @param source how to print the schema file in messages
 */
public record Schema(String source, List<TableSpec> tables) {
  public Schema {
    tables = List.copyOf(tables);
  }

  /** The table called {@code name}, or null. */
  public TableSpec table(String name) {
    for (TableSpec t : tables) if (t.name().equals(name)) return t;
    return null;
  }

  /** The names of the tables, in schema order. */
  public List<String> names() {
    return tables.stream().map(TableSpec::name).toList();
  }

  /** Reads {@code file} of a dataset directory or embedded dataset. */
  public static Schema read(DataSource src, String file) {
    String name = src.describe(file);
    if (!src.has(file)) throw new DataFormatException(name, 0, "schema file is missing");
    String text;
    try (InputStream in = src.open(file)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "cannot read schema: " + e.getMessage(), e);
    }
    return parse(ConfigNode.parse(text, name));
  }

  /**
   * Parses a schema: a {@code tables} mapping of table name -> {@code file}, {@code primary_key},
   * {@code foreign_keys} (column: table), {@code time}, {@code columns} (column: kind, or column:
   * {kind, separator, references, dims, max_values}), or {@code implied: true}.
   *
   * @throws org.gnn4j.io.Gnn4jConfigException naming the file and line of any unknown key, bad
   *     value, or reference to a table the schema does not have
   */
  public static Schema parse(ConfigNode root) {
    ConfigNode tablesNode = root.section("tables");
    if (tablesNode.keys().isEmpty()) throw root.error("tables", "a schema needs at least one table");
    List<TableSpec> tables = new ArrayList<>();
    for (String name : tablesNode.keys()) tables.add(table(tablesNode, name));
    root.checkNoUnknown();
    Schema s = new Schema(root.source(), tables);
    s.checkReferences(tablesNode);
    return s;
  }

  private static TableSpec table(ConfigNode tablesNode, String name) {
    if (name.isEmpty() || name.contains("__") || !name.strip().equals(name)) {
      throw tablesNode.error(name, "a table name must be non-empty, without '__' or surrounding spaces");
    }
    ConfigNode t = tablesNode.section(name);
    boolean implied = t.bool("implied", false);
    String file = t.string("file", null);
    if (implied && (file != null || t.has("columns") || t.has("primary_key") || t.has("time")
        || t.has("foreign_keys"))) {
      throw tablesNode.error(name, "an implied table has only 'implied: true' (its rows are the"
          + " values of the foreign keys that point at it)");
    }
    if (!implied && file == null) {
      throw tablesNode.error(name, "needs 'file' (a CSV file beside the schema) or 'implied: true'");
    }
    Map<String, String> fks = new LinkedHashMap<>();
    ConfigNode fk = t.section("foreign_keys");
    for (String c : fk.keys()) fks.put(c, fk.string(c, null));
    List<ColumnSpec> columns = new ArrayList<>();
    ConfigNode cols = t.section("columns");
    for (String c : cols.keys()) columns.add(column(cols, c));
    return new TableSpec(name, file, t.string("primary_key", null), fks, t.string("time", null),
        columns, implied);
  }

  private static ColumnSpec column(ConfigNode cols, String name) {
    if (!cols.isSection(name)) return ColumnSpec.of(name, cols.choice(name, null, ColumnKind.class));
    ConfigNode c = cols.section(name);
    ColumnKind kind = c.choice("kind", null, ColumnKind.class);
    if (kind == null) throw cols.error(name, "needs 'kind' (numeric, categorical, multi, text or timestamp)");
    String sep = c.string("separator", "|");
    if (sep.isEmpty()) throw c.error("separator", "must not be empty");
    String refs = c.string("references", null);
    if (refs != null && kind != ColumnKind.MULTI) {
      throw c.error("references", "only a multi column holds keys of another table (found kind "
          + kind.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
    return new ColumnSpec(name, kind, sep, refs, c.integer("dims", ColumnSpec.DEFAULT_DIMS, 1, 1 << 16),
        c.integer("max_values", ColumnSpec.DEFAULT_MAX_VALUES, 1, 1 << 16));
  }

  /** Every foreign key and multi-valued reference names a table of the schema with a key. */
  private void checkReferences(ConfigNode tablesNode) {
    for (TableSpec t : tables) {
      ConfigNode tn = tablesNode.section(t.name());
      for (var e : t.foreignKeys().entrySet()) {
        checkTarget(tn.section("foreign_keys"), e.getKey(), e.getValue());
      }
      for (ColumnSpec c : t.columns()) {
        if (c.references() != null) checkTarget(tn.section("columns").section(c.name()), "references", c.references());
      }
    }
    for (TableSpec t : tables) {
      if (t.implied() && !referenced(t.name())) {
        throw tablesNode.error(t.name(), "is implied, but no foreign key points at it, so it has no rows");
      }
    }
  }

  private void checkTarget(ConfigNode at, String key, String target) {
    TableSpec ref = table(target);
    if (ref == null) {
      throw at.error(key, "table '" + target + "' is not in the schema (tables: " + String.join(", ", names()) + ")");
    }
    if (!ref.implied() && ref.primaryKey() == null) {
      throw at.error(key, "table '" + target + "' has no primary_key, so nothing can point at its rows");
    }
  }

  private boolean referenced(String name) {
    for (TableSpec t : tables) {
      if (t.foreignKeys().containsValue(name)) return true;
      for (ColumnSpec c : t.columns()) if (name.equals(c.references())) return true;
    }
    return false;
  }
}
