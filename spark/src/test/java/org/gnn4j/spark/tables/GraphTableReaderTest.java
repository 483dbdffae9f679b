package org.gnn4j.spark.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.spark.LocalSpark;
import org.gnn4j.spark.tables.GraphTables.Frames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTableReaderTest {
  static SparkSession spark;
  static final String DIR = "g";
  static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static StructType schema(Object... nameType) {
    List<StructField> f = new ArrayList<>();
    for (int i = 0; i < nameType.length; i += 2) {
      f.add(DataTypes.createStructField((String) nameType[i], (DataType) nameType[i + 1], true));
    }
    return DataTypes.createStructType(f);
  }

  private static Dataset<Row> table(StructType s, Object[]... rows) {
    List<Row> r = new ArrayList<>();
    for (Object[] row : rows) r.add(RowFactory.create(row));
    return spark.createDataFrame(r, s);
  }

  /** Three nodes with ids 30, 10, 20 (not dense, not sorted), 2 features, a chain of edges. */
  private static Dataset<Row> nodes() {
    return table(schema("id", DataTypes.LongType, "features", FLOATS, "label", DataTypes.IntegerType),
        new Object[] {30L, new float[] {1, 2}, 1}, new Object[] {10L, new float[] {3, 4}, 0},
        new Object[] {20L, new float[] {5, 6}, 2});
  }

  private static Dataset<Row> edges(long[][] pairs) {
    Object[][] rows = new Object[pairs.length][];
    for (int i = 0; i < pairs.length; i++) rows[i] = new Object[] {pairs[i][0], pairs[i][1]};
    return table(schema("src", DataTypes.LongType, "dst", DataTypes.LongType), rows);
  }

  private static Dataset<Row> chain() {
    return edges(new long[][] {{10, 20}, {20, 30}, {30, 10}});
  }

  private static String error(Frames f, GraphInfo info) {
    String m = assertThrows(IllegalArgumentException.class, () -> GraphTableReader.check(f, DIR, info))
        .getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    return m;
  }

  @Test
  void readsBlobFeaturesAndIntIdsFromParquet(@TempDir Path tmp) {
    StructType s = schema("id", DataTypes.IntegerType, "features", DataTypes.BinaryType);
    Dataset<Row> n = table(s, new Object[] {7, TableColumns.blob(new float[] {1.5f, -2f, 3e-7f})},
        new Object[] {3, TableColumns.blob(new float[] {0f, 1f, Float.MAX_VALUE})});
    String dir = tmp.resolve("g").toString();
    GraphTables.write(new Frames(n, edges(new long[][] {{3, 7}}), null), dir);
    GraphTableReader.Checked c = GraphTableReader.read(spark, dir);
    assertEquals(3, c.numFeatures());
    assertEquals("ARRAY<FLOAT>", TableColumns.sql(c.frames().nodes().schema().apply("features").dataType()));
    assertEquals("BIGINT", c.frames().nodes().schema().apply("id").dataType().sql());
    NodeDataset d = GraphTables.toNodeDataset(c.frames(), "g");
    assertArrayEquals(new float[] {0f, 1f, Float.MAX_VALUE, 1.5f, -2f, 3e-7f}, d.x());
    assertArrayEquals(new int[] {0}, d.edges().src());
    assertArrayEquals(new int[] {1}, d.edges().dst());
  }

  @Test
  void toNodeDatasetNumbersIdsDenselyInSortedOrder() {
    NodeDataset d = GraphTables.toNodeDataset(GraphTableReader.check(new Frames(nodes(), chain(), null),
        DIR, null).frames(), "t");
    assertEquals(3, d.numNodes());
    assertArrayEquals(new float[] {3, 4, 5, 6, 1, 2}, d.x()); // ids 10, 20, 30
    assertArrayEquals(new int[] {0, 2, 1}, d.y());
    assertEquals(3, d.numClasses());
    assertArrayEquals(new int[] {0, 1, 2}, d.edges().src()); // sorted by (src, dst)
    assertArrayEquals(new int[] {1, 2, 0}, d.edges().dst());
  }

  @Test
  void missingTableFolderIsNamed(@TempDir Path tmp) {
    String dir = tmp.resolve("empty").toString();
    nodes().write().parquet(dir + "/nodes");
    String m = assertThrows(IllegalArgumentException.class, () -> GraphTableReader.read(spark, dir))
        .getMessage();
    assertTrue(m.contains(dir + "/edges: table folder is missing"), m);
  }

  @Test
  void missingColumnNamesTableColumnAndExpectedType() {
    Dataset<Row> n = nodes().drop("features");
    String m = error(new Frames(n, chain(), null), null);
    assertTrue(m.startsWith("g/nodes: column features is missing (expected ARRAY<FLOAT>, ARRAY<DOUBLE> or"
        + " BINARY; the table has id, label)"), m);
    m = error(new Frames(nodes(), chain().drop("dst"), null), null);
    assertTrue(m.startsWith("g/edges: column dst is missing (expected BIGINT or INT"), m);
  }

  @Test
  void mistypedColumnNamesActualAndExpectedType() {
    Dataset<Row> n0 = nodes();
    Dataset<Row> n = n0.withColumn("id", n0.col("id").cast("string"));
    assertEquals("g/nodes: column id has type STRING, expected BIGINT or INT",
        error(new Frames(n, chain(), null), null));
    Dataset<Row> e0 = chain();
    Dataset<Row> e = e0.withColumn("src", e0.col("src").cast("double"));
    assertEquals("g/edges: column src has type DOUBLE, expected BIGINT or INT",
        error(new Frames(nodes(), e, null), null));
    Dataset<Row> f = n0.withColumn("features", n0.col("label"));
    assertTrue(error(new Frames(f, chain(), null), null).startsWith(
        "g/nodes: column features has type INT, expected ARRAY<FLOAT>"));
  }

  @Test
  void featureArrayOfWrongLengthNamesTheRow() {
    Dataset<Row> n = nodes().union(table(nodes().schema(), new Object[] {40L, new float[] {1, 2, 3}, 0}));
    assertEquals("g/nodes: column features in the row with id 40 has 3 floats, expected 2 (as the node"
        + " with the smallest id)", error(new Frames(n, chain(), null), null));
    GraphInfo info = new GraphInfo("g", "node", 3, 3, 4, 3, 1);
    assertEquals("g/nodes: column features in the row with id 10 has 2 floats, expected 3 (as"
        + " graph.json num_features)", error(new Frames(n, chain(), null), info));
  }

  @Test
  void typedNodesMayDifferInWidthButNotWithinAType() {
    StructType s = schema("id", DataTypes.LongType, "features", FLOATS, "type", DataTypes.StringType);
    Object[] a = {1L, new float[] {1, 2}, "user"};
    Object[] b = {2L, new float[] {1, 2, 3}, "item"};
    Object[] c = {3L, new float[] {1, 2, 3, 4}, "item"};
    Dataset<Row> e = edges(new long[][] {{1, 2}});
    GraphTableReader.check(new Frames(table(s, a, b), e, null), DIR, null);
    assertEquals("g/nodes: column features in the row with id 3 has 4 floats, expected 3 (as the node"
        + " of type item with the smallest id)", error(new Frames(table(s, a, b, c), e, null), null));
  }

  @Test
  void blobOfWrongLengthNamesTheRow() {
    StructType s = schema("id", DataTypes.LongType, "features", DataTypes.BinaryType);
    Dataset<Row> n = table(s, new Object[] {1L, TableColumns.blob(new float[] {1, 2})},
        new Object[] {2L, new byte[] {0, 0, 0, 0, 0, 0, 0}}, new Object[] {3L, TableColumns.blob(new float[] {1})});
    String m = error(new Frames(n, edges(new long[][] {{1, 2}}), null), null);
    assertEquals("g/nodes: column features in the row with id 2 is a blob whose length is not a"
        + " multiple of 4 bytes (expected 2 float32 (8 bytes))", m);
  }

  @Test
  void edgeToMissingNodeNamesColumnAndRow() {
    String m = error(new Frames(nodes(), edges(new long[][] {{10, 20}, {20, 99}}), null), null);
    assertEquals("g/edges: column dst in the row (src=20, dst=99) names node 99, which g/nodes does"
        + " not have", m);
    m = error(new Frames(nodes(), edges(new long[][] {{5, 20}, {20, 99}}), null), null);
    assertTrue(m.startsWith("g/edges: column src in the row (src=5, dst=20) names node 5"), m);
  }

  @Test
  void edgeFeatureOfWrongLengthNamesTheRow() {
    StructType s = schema("src", DataTypes.LongType, "dst", DataTypes.LongType, "features", FLOATS);
    Dataset<Row> e = table(s, new Object[] {10L, 20L, new float[] {1, 2}}, new Object[] {20L, 30L, new float[] {1}});
    assertEquals("g/edges: column features in the row (src=20, dst=30) has 1 floats, expected 2 (as the"
        + " edge with the smallest (src, dst))", error(new Frames(nodes(), e, null), null));
  }

  @Test
  void repeatedNodeIdIsNamed() {
    Dataset<Row> n = nodes().union(table(nodes().schema(), new Object[] {20L, new float[] {0, 0}, 1}));
    assertEquals("g/nodes: column id: node id 20 appears in 2 rows (expected once)",
        error(new Frames(n, chain(), null), null));
  }

  @Test
  void labelOutsideTheClassesOfGraphJsonIsNamed() {
    GraphInfo info = new GraphInfo("g", "node", 2, 2, 3, 3, 1);
    assertEquals("g/nodes: column label in the row with id 20 is 2, out of range [0, 2) (graph.json"
        + " num_classes)", error(new Frames(nodes(), chain(), null), info));
  }
}
