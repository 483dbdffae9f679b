package org.gnn4j.data.relational;

/**
 * One feature column of a table as a schema declares it.
 *
 * @param name the column's name in the file or database table
 * @param kind how it is encoded
 * @param separator the separator of the values of a {@code multi} column (e.g. {@code |})
 * @param references for a {@code multi} column: the table each value is a key of (one edge per
 *     value, as a foreign key holding several keys), or null for a multi-hot feature
 * @param dims hash buckets of a {@code text} column
 * @param maxValues most frequent values a {@code categorical} or {@code multi} column keeps
 *     (the rest share one "other" slot)
 */
public record ColumnSpec(String name, ColumnKind kind, String separator, String references, int dims,
                         int maxValues) {
  public static final int DEFAULT_DIMS = 64;
  public static final int DEFAULT_MAX_VALUES = 100;

  public static ColumnSpec of(String name, ColumnKind kind) {
    return new ColumnSpec(name, kind, "|", null, DEFAULT_DIMS, DEFAULT_MAX_VALUES);
  }
}
