package org.gnn4j.spark.tables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gnn4j.data.Datasets;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.spark.LocalSpark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTablesTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void karateClubRoundTripsThroughParquet(@TempDir Path dir) {
    NodeDataset d = Datasets.node("karate");
    GraphTables.write(GraphTables.of(spark, d), dir.resolve("k").toString());
    GraphTables.Frames back = GraphTables.read(spark, dir.resolve("k").toString());
    assertEquals(d.numNodes(), back.nodes().count());
    assertEquals(d.edges().numEdges(), back.edges().count());
    List<Row> rows = back.nodes().orderBy(GraphTables.ID).collectAsList();
    for (int i = 0; i < d.numNodes(); i++) {
      Row r = rows.get(i);
      assertEquals(i, r.getLong(0));
      float[] want = java.util.Arrays.copyOfRange(d.x(), i * d.numFeatures(), (i + 1) * d.numFeatures());
      List<Float> got = r.getList(1);
      float[] g = new float[got.size()];
      for (int j = 0; j < g.length; j++) g[j] = got.get(j);
      assertArrayEquals(want, g);
      assertEquals(d.y()[i], r.getInt(2));
    }
  }
}
