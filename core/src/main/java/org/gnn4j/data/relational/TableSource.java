package org.gnn4j.data.relational;

/**
 * Where the rows of a schema's tables come from: CSV files beside the schema ({@link CsvTables})
 * or an SQL database ({@link JdbcTables}). Both hand back the same text values, so a graph built
 * from either is the same.
 */
public interface TableSource {
  /**
   * The rows of a table with the columns it needs.
   *
   * @throws org.gnn4j.data.DataFormatException naming the file or database when the table or one
   *     of its columns is missing or a row is malformed
   */
  RawTable read(TableSpec table);

  /** The source as messages print it (a directory, an embedded dataset, a JDBC URL). */
  String describe();
}
