package org.gnn4j.data.relational;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.data.HeteroDataset;

/**
 * What {@link RelationalGraphBuilder} makes of a set of tables: the heterogeneous dataset (one
 * node type per table, one relation and its reverse per foreign key, encoded features), the time
 * of every row of the tables that have one, and the rows themselves in node order, so a task can
 * read its target column and the foreign keys of its examples.
 *
 * @param times table -> [N_t] seconds since 1970 of every row, only for tables with a time column
 * @param tables table -> its rows as text, in node id order (not for implied tables)
 * @param foreignKeys table -> column -> [N_t] node id of the referenced row, -1 where empty
 * @param featureNames table -> the name of every feature column, in order
 */
public record RelationalGraph(HeteroDataset data, Map<String, long[]> times, Map<String, RawTable> tables,
                              Map<String, Map<String, int[]>> foreignKeys,
                              Map<String, List<String>> featureNames) {
  public RelationalGraph {
    times = Collections.unmodifiableMap(new LinkedHashMap<>(times));
    tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    foreignKeys = Collections.unmodifiableMap(new LinkedHashMap<>(foreignKeys));
    featureNames = Collections.unmodifiableMap(new LinkedHashMap<>(featureNames));
  }

  /** The time of every row of {@code table}, or null for a table without time. */
  public long[] time(String table) {
    return times.get(table);
  }

  /** The referenced node ids of a foreign key column ({@code -1} where empty). */
  public int[] foreignKey(String table, String column) {
    Map<String, int[]> m = foreignKeys.get(table);
    int[] ids = m == null ? null : m.get(column);
    if (ids == null) {
      throw new IllegalArgumentException("RelationalGraph: " + table + "." + column + " is not a foreign key"
          + " (tables with foreign keys: " + foreignKeys.keySet() + ")");
    }
    return ids;
  }
}
