package org.gnn4j.data.relational;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.data.HeteroDataset.Table;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;

/**
 * Builds a heterogeneous graph from the tables a {@link Schema} describes (RelBench's recipe): one
 * node type per table, a node per row; for every foreign key {@code A.c -> B} the relation
 * {@code A__c__B} (each row to the row it references) and its reverse {@code B__rev_c__A}; a
 * multi-valued column that references a table gives one edge per value. Implied tables get one
 * node per distinct key pointing at them. Feature columns are encoded by {@link ColumnEncoders}
 * and concatenated in schema order.
 *
 * <p>Rows are put in a canonical order before they become nodes (by primary key, else by time,
 * then by every column, numbers compared as numbers), so the same rows give the same graph
 * whatever order a file or a database returns them in: CSV files and the database they were
 * imported into give identical graphs.
 */
public final class RelationalGraphBuilder {
  private RelationalGraphBuilder() {}

  /**
   * @throws org.gnn4j.data.DataFormatException naming the table, row (file and line) and column of
   *     a duplicate primary key, a foreign key without its row, a value that cannot be read, or a
   *     row of a timed table without a time
   */
  public static RelationalGraph build(String name, Schema schema, TableSource source) {
    Map<String, RawTable> tables = new LinkedHashMap<>();
    for (TableSpec t : schema.tables()) if (!t.implied()) tables.put(t.name(), canonical(source.read(t)));
    Map<String, Map<String, Integer>> keys = new HashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TableSpec t : schema.tables()) {
      Map<String, Integer> k = t.implied() ? impliedKeys(schema, t.name(), tables)
          : t.primaryKey() != null ? primaryKeys(tables.get(t.name())) : null;
      if (k != null) keys.put(t.name(), k);
      counts.put(t.name(), t.implied() ? k.size() : tables.get(t.name()).numRows());
    }
    HeteroGraph.Builder g = HeteroGraph.builder();
    for (var e : counts.entrySet()) g.nodes(e.getKey(), e.getValue());
    Map<String, Map<String, int[]>> fks = new LinkedHashMap<>();
    for (RawTable t : tables.values()) {
      Map<String, int[]> cols = new LinkedHashMap<>();
      for (var fk : t.spec().foreignKeys().entrySet()) {
        int[] ids = references(t, fk.getKey(), fk.getValue(), keys.get(fk.getValue()));
        cols.put(fk.getKey(), ids);
        addBoth(g, t.spec().name(), fk.getKey(), fk.getValue(), rowsOf(ids), ids);
      }
      for (ColumnSpec c : t.spec().columns()) {
        if (c.references() == null) continue;
        int[][] pairs = multiReferences(t, c, keys.get(c.references()));
        addBoth(g, t.spec().name(), c.name(), c.references(), pairs[0], pairs[1]);
      }
      fks.put(t.spec().name(), cols);
    }
    Map<String, Table> x = new LinkedHashMap<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    Map<String, long[]> times = new LinkedHashMap<>();
    for (RawTable t : tables.values()) {
      features(t, x, names);
      if (t.spec().time() != null) times.put(t.spec().name(), times(t));
    }
    HeteroDataset data = HeteroDataset.unlabelled(name, g.build(), x, Map.of());
    return new RelationalGraph(data, times, tables, fks, names);
  }

  private static void addBoth(HeteroGraph.Builder g, String table, String column, String target, int[] from, int[] to) {
    g.edges(new Relation(table, column, target), from, to);
    g.edges(new Relation(target, "rev_" + column, table), to, from);
  }

  /** The rows of a foreign key's edges: every row whose key is not empty. */
  private static int[] rowsOf(int[] ids) {
    int n = 0;
    for (int id : ids) if (id >= 0) n++;
    int[] rows = new int[n];
    int k = 0;
    for (int r = 0; r < ids.length; r++) if (ids[r] >= 0) rows[k++] = r;
    return rows;
  }

  private static void features(RawTable t, Map<String, Table> x, Map<String, List<String>> names) {
    List<ColumnEncoders.Block> blocks = new ArrayList<>();
    for (ColumnSpec c : t.spec().columns()) if (c.references() == null) blocks.add(ColumnEncoders.encode(t, c));
    if (blocks.isEmpty()) return;
    int cols = blocks.stream().mapToInt(ColumnEncoders.Block::cols).sum();
    float[] data = new float[Math.multiplyExact(t.numRows(), cols)];
    List<String> n = new ArrayList<>();
    int off = 0;
    for (ColumnEncoders.Block b : blocks) {
      for (int r = 0; r < t.numRows(); r++) System.arraycopy(b.data(), r * b.cols(), data, r * cols + off, b.cols());
      off += b.cols();
      n.addAll(b.names());
    }
    x.put(t.spec().name(), new Table(t.numRows(), cols, data));
    names.put(t.spec().name(), List.copyOf(n));
  }

  private static long[] times(RawTable t) {
    long[] s = ColumnEncoders.seconds(t, t.spec().time());
    for (int r = 0; r < s.length; r++) {
      if (s[r] == Long.MIN_VALUE) throw t.error(r, t.spec().time(), "the time column is empty (every row of a timed table needs a time)");
    }
    return s;
  }

  private static Map<String, Integer> primaryKeys(RawTable t) {
    String pk = t.spec().primaryKey();
    String[] v = t.column(pk);
    Map<String, Integer> ids = new HashMap<>(v.length * 2);
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) throw t.error(r, pk, "the primary key is empty");
      Integer prev = ids.putIfAbsent(v[r].strip(), r);
      if (prev != null) {
        // name the later row of the file (or database) as the duplicate
        boolean later = t.lines() == null ? r > prev : t.lines()[r] > t.lines()[prev];
        int dup = later ? r : prev;
        throw t.error(dup, pk, "duplicate primary key '" + v[r] + "' (also at " + t.where(later ? prev : r) + ")");
      }
    }
    return ids;
  }

  /** The distinct keys that point at an implied table, in canonical order. */
  private static Map<String, Integer> impliedKeys(Schema schema, String target, Map<String, RawTable> tables) {
    java.util.HashSet<String> all = new java.util.HashSet<>();
    for (RawTable t : tables.values()) {
      for (var fk : t.spec().foreignKeys().entrySet()) {
        if (!fk.getValue().equals(target)) continue;
        for (String v : t.column(fk.getKey())) if (v != null) all.add(v.strip());
      }
      for (ColumnSpec c : t.spec().columns()) {
        if (!target.equals(c.references())) continue;
        for (String[] vs : ColumnEncoders.values(t, c.name(), c.separator())) all.addAll(Arrays.asList(vs));
      }
    }
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(RelationalGraphBuilder::compareValues);
    Map<String, Integer> ids = new HashMap<>(sorted.size() * 2);
    for (String v : sorted) ids.put(v, ids.size());
    return ids;
  }

  private static int[] references(RawTable t, String column, String target, Map<String, Integer> keys) {
    String[] v = t.column(column);
    int[] ids = new int[v.length];
    for (int r = 0; r < v.length; r++) {
      if (v[r] == null) {
        ids[r] = -1;
        continue;
      }
      Integer id = keys.get(v[r].strip());
      if (id == null) throw t.error(r, column, "'" + v[r] + "' is not a key of table " + target + " (no row has it)");
      ids[r] = id;
    }
    return ids;
  }

  /** [2][E]: (row, referenced id) for every value of a multi-valued reference column. */
  private static int[][] multiReferences(RawTable t, ColumnSpec c, Map<String, Integer> keys) {
    String[][] vs = ColumnEncoders.values(t, c.name(), c.separator());
    List<int[]> pairs = new ArrayList<>();
    for (int r = 0; r < vs.length; r++) {
      for (String v : vs[r]) {
        Integer id = keys.get(v);
        if (id == null) throw t.error(r, c.name(), "'" + v + "' is not a key of table " + c.references() + " (no row has it)");
        pairs.add(new int[] {r, id});
      }
    }
    int[][] out = new int[2][pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      out[0][i] = pairs.get(i)[0];
      out[1][i] = pairs.get(i)[1];
    }
    return out;
  }

  /** The table's rows in canonical order: primary key, else time, then every column. */
  static RawTable canonical(RawTable t) {
    List<String> cols = t.columns();
    int[] order = new int[cols.size()];
    int k = 0;
    String first = t.spec().primaryKey() != null ? t.spec().primaryKey() : t.spec().time();
    if (first != null) order[k++] = cols.indexOf(first);
    for (int c = 0; c < cols.size(); c++) if (!cols.get(c).equals(first)) order[k++] = c;
    Integer[] idx = new Integer[t.numRows()];
    for (int i = 0; i < idx.length; i++) idx[i] = i;
    String[][] rows = t.rows();
    double[][] num = new double[rows.length][cols.size()]; // parsed once: the sort compares often
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < cols.size(); c++) num[r][c] = rows[r][c] == null ? Double.NaN : number(rows[r][c]);
    }
    Comparator<Integer> cmp = (a, b) -> {
      for (int c : order) {
        int d = compare(rows[a][c], num[a][c], rows[b][c], num[b][c]);
        if (d != 0) return d;
      }
      return 0;
    };
    Arrays.sort(idx, cmp);
    String[][] sorted = new String[idx.length][];
    int[] lines = t.lines() == null ? null : new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      sorted[i] = rows[idx[i]];
      if (lines != null) lines[i] = t.lines()[idx[i]];
    }
    return new RawTable(t.spec(), cols, sorted, t.source(), lines);
  }

  /** Empty first, then numbers by value (before text), then text; the order rows and keys take. */
  static int compareValues(String a, String b) {
    return compare(a, a == null ? Double.NaN : number(a), b, b == null ? Double.NaN : number(b));
  }

  private static int compare(String a, double x, String b, double y) {
    if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
    if (!Double.isNaN(x) && !Double.isNaN(y)) {
      int d = Double.compare(x, y);
      return d != 0 ? d : a.compareTo(b);
    }
    if (!Double.isNaN(x) || !Double.isNaN(y)) return Double.isNaN(x) ? 1 : -1;
    return a.compareTo(b);
  }

  private static double number(String s) {
    char c = s.isEmpty() ? 'x' : s.charAt(0);
    if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) return Double.NaN;
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
