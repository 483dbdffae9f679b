package org.gnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
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
  void embeddedSessionRunsAShuffleOnLoopback() {
    assertEquals("127.0.0.1", spark.conf().get("spark.driver.host"));
    assertEquals(10, spark.range(1000).selectExpr("id % 10 AS k").groupBy("k").count().count());
  }
}
