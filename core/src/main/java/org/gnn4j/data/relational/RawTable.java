package org.gnn4j.data.relational;

import java.util.List;
import org.gnn4j.data.DataFormatException;

/**
 * The rows of one table as text, as a {@link TableSource} read them: the columns the schema
 * needs, in {@link TableSpec#neededColumns()} order, one {@code String[]} per row (null for an
 * empty field or SQL NULL). Remembers where each row came from, so every error about a value
 * names the file and line, or the database table and row.
 *
 * @param rows [rows][columns] the values as text
 * @param source the file or database the rows come from, as messages print it
 * @param lines the 1-based file line of every row, or null for rows of a database (named by their
 *     1-based position)
 */
public record RawTable(TableSpec spec, List<String> columns, String[][] rows, String source, int[] lines) {
  public RawTable {
    columns = List.copyOf(columns);
  }

  public int numRows() {
    return rows.length;
  }

  /** The position of {@code column} in {@link #columns()}. */
  public int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) throw new IllegalArgumentException("RawTable: table " + spec.name() + " has no column " + column);
    return i;
  }

  /** The values of one column, one per row (null where empty). */
  public String[] column(String column) {
    int c = index(column);
    String[] out = new String[rows.length];
    for (int r = 0; r < rows.length; r++) out[r] = rows[r][c];
    return out;
  }

  /** An error about the value of {@code column} in row {@code row}, naming file and line or table and row. */
  public DataFormatException error(int row, String column, String message) {
    if (lines != null) {
      return new DataFormatException(source, lines[row], "table " + spec.name() + ", column " + column + ": " + message);
    }
    return new DataFormatException(source, 0, "table " + spec.name() + ", row " + (row + 1) + ", column "
        + column + ": " + message);
  }

  /** Where a row is, for messages that name two rows: {@code file:line} or {@code row N}. */
  public String where(int row) {
    return lines != null ? "line " + lines[row] : "row " + (row + 1);
  }
}
