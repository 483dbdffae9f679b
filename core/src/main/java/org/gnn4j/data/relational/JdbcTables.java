package org.gnn4j.data.relational;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.gnn4j.data.DataFormatException;

/**
 * Tables read from an SQL database through JDBC ({@code java.sql} only: the driver is whatever
 * the class path has; the {@code gnn4j} command ships SQLite's, so {@code jdbc:sqlite:FILE.db}
 * needs no server). Each schema table is the database table of the same name, each column the
 * column of the same name; values are read as text ({@code getString}), as a CSV file gives them.
 * Also writes tables ({@link #write}), which is how {@code gnn4j db import} fills a database.
 */
public final class JdbcTables implements TableSource, AutoCloseable {
  private final String url;
  private final Connection connection;

  private JdbcTables(String url, Connection connection) {
    this.url = url;
    this.connection = connection;
  }

  /**
   * Connects for reading. A {@code jdbc:sqlite:} file must exist (SQLite would otherwise create
   * an empty one).
   *
   * @throws DataFormatException naming the URL when it cannot be reached or has no driver
   */
  public static JdbcTables open(String url) {
    if (url.startsWith("jdbc:sqlite:")) {
      String file = url.substring("jdbc:sqlite:".length()).replaceFirst("^file:", "").replaceFirst("\\?.*$", "");
      if (!file.isEmpty() && !file.equals(":memory:") && !Files.isRegularFile(Path.of(file))) {
        throw new DataFormatException(url, 0, "database file " + file + " does not exist"
            + " (create it with: gnn4j db import --schema SCHEMA --out " + file + ")");
      }
    }
    try {
      Connection c = DriverManager.getConnection(url);
      return new JdbcTables(url, c);
    } catch (SQLException e) {
      throw new DataFormatException(url, 0, "cannot connect: " + e.getMessage()
          + (e.getMessage() != null && e.getMessage().contains("No suitable driver")
          ? " (no JDBC driver for this URL on the class path; the gnn4j command ships SQLite's: jdbc:sqlite:FILE.db)" : ""), e);
    }
  }

  @Override
  public String describe() {
    return url;
  }

  @Override
  public RawTable read(TableSpec table) {
    List<String> needed = table.neededColumns();
    List<String> present = columnsOf(table.name());
    for (String c : needed) {
      if (!present.contains(c)) {
        throw new DataFormatException(url, 0, "table " + table.name() + ": column '" + c
            + "' named by the schema is not in the database table (columns: " + String.join(", ", present) + ")");
      }
    }
    StringBuilder sql = new StringBuilder("SELECT ");
    for (int i = 0; i < needed.size(); i++) sql.append(i > 0 ? ", " : "").append(quote(needed.get(i)));
    sql.append(" FROM ").append(quote(table.name()));
    List<String[]> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
      while (rs.next()) {
        String[] row = new String[needed.size()];
        for (int i = 0; i < row.length; i++) {
          String v = rs.getString(i + 1);
          row[i] = v == null || v.isEmpty() ? null : v;
        }
        rows.add(row);
      }
    } catch (SQLException e) {
      throw new DataFormatException(url, 0, "table " + table.name() + ": read failed: " + e.getMessage(), e);
    }
    return new RawTable(table, needed, rows.toArray(String[][]::new), url, null);
  }

  private List<String> columnsOf(String table) {
    try (Statement s = connection.createStatement();
         ResultSet rs = s.executeQuery("SELECT * FROM " + quote(table) + " WHERE 1 = 0")) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) out.add(md.getColumnName(i));
      return out;
    } catch (SQLException e) {
      throw new DataFormatException(url, 0, "table " + table + " named by the schema cannot be read from the"
          + " database (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Creates table {@code t.spec().name()} with {@code t}'s columns and inserts its rows, in one
   * transaction. A column is INTEGER when all its values are plain integers, REAL when the schema
   * calls it numeric and all its values are numbers, else TEXT, so every value reads back as the
   * same text, or (REAL) the same number.
   */
  public static void write(Connection c, RawTable t) throws SQLException {
    List<String> cols = t.columns();
    StringBuilder create = new StringBuilder("CREATE TABLE ").append(quote(t.spec().name())).append(" (");
    for (int i = 0; i < cols.size(); i++) {
      create.append(i > 0 ? ", " : "").append(quote(cols.get(i))).append(' ').append(sqlType(t, i));
    }
    StringBuilder insert = new StringBuilder("INSERT INTO ").append(quote(t.spec().name())).append(" VALUES (");
    for (int i = 0; i < cols.size(); i++) insert.append(i > 0 ? ", ?" : "?");
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate(create.append(')').toString());
      try (PreparedStatement p = c.prepareStatement(insert.append(')').toString())) {
        for (String[] row : t.rows()) {
          for (int i = 0; i < row.length; i++) p.setString(i + 1, row[i]);
          p.addBatch();
        }
        p.executeBatch();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static String sqlType(RawTable t, int col) {
    boolean integer = true;
    boolean number = true;
    for (String[] row : t.rows()) {
      String v = row[col];
      if (v == null) continue;
      if (integer && !v.matches("-?(0|[1-9][0-9]{0,17})")) integer = false;
      if (number && !integer) {
        try {
          number = Double.isFinite(Double.parseDouble(v));
        } catch (NumberFormatException e) {
          number = false;
        }
      }
      if (!integer && !number) break;
    }
    ColumnSpec spec = t.spec().column(t.columns().get(col));
    if (integer) return "INTEGER";
    return number && spec != null && spec.kind() == ColumnKind.NUMERIC ? "REAL" : "TEXT";
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // reading is done; a failing close loses nothing
    }
  }
}
