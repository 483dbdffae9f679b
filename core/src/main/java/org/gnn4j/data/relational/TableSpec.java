package org.gnn4j.data.relational;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table of a {@link Schema}: where its rows are (a file, or a database table of the same
 * name), its primary key, its foreign keys (column -> referenced table), its time column and
 * its feature columns. An implied table has no rows of its own: its rows are the distinct values
 * of the foreign keys that point at it (MovieLens users exist only as ids in ratings and tags).
 *
 * @param file the CSV file, relative to the schema file; null for an implied table
 * @param primaryKey the column that names each row, or null (rows are then found by nothing)
 * @param foreignKeys column -> referenced table, in schema order
 * @param time the column holding each row's time, or null for a table without time
 */
public record TableSpec(String name, String file, String primaryKey, Map<String, String> foreignKeys,
                        String time, List<ColumnSpec> columns, boolean implied) {
  public TableSpec {
    foreignKeys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(foreignKeys));
    columns = List.copyOf(columns);
  }

  /**
   * Every column the table's rows need, in a fixed order without repeats: primary key, foreign
   * keys, time, feature columns.
   */
  public List<String> neededColumns() {
    List<String> out = new ArrayList<>();
    if (primaryKey != null) out.add(primaryKey);
    for (String c : foreignKeys.keySet()) if (!out.contains(c)) out.add(c);
    if (time != null && !out.contains(time)) out.add(time);
    for (ColumnSpec c : columns) if (!out.contains(c.name())) out.add(c.name());
    return out;
  }

  /** The spec of a feature column, or null. */
  public ColumnSpec column(String name) {
    for (ColumnSpec c : columns) if (c.name().equals(name)) return c;
    return null;
  }
}
