package org.gnn4j.data.relational;

import java.sql.Connection;
import java.sql.SQLException;
import org.gnn4j.data.DataFormatException;

/**
 * Copies the CSV tables of a schema into an SQL database, one database table per schema table
 * with every column of its file ({@link JdbcTables#write}), so that the schema read through
 * {@link JdbcTables} gives the graph the CSV files give. Checks the tables the way building the
 * graph does first, so a database is only filled from tables that make a graph.
 */
public final class TableImport {
  private TableImport() {}

  /**
   * @return the number of rows written per table, in schema order
   * @throws DataFormatException naming the file and line of a bad value, or the database when a
   *     write fails (e.g. the table exists already)
   */
  public static java.util.Map<String, Integer> run(String name, Schema schema, CsvTables csv, Connection db, String url) {
    RelationalGraphBuilder.build(name, schema, csv); // every error a graph would have, before writing
    java.util.Map<String, Integer> rows = new java.util.LinkedHashMap<>();
    for (TableSpec t : schema.tables()) {
      if (t.implied()) continue;
      RawTable raw = csv.readAll(t);
      try {
        JdbcTables.write(db, raw);
      } catch (SQLException e) {
        throw new DataFormatException(url, 0, "table " + t.name() + ": write failed: " + e.getMessage(), e);
      }
      rows.put(t.name(), raw.numRows());
    }
    return rows;
  }
}
