package org.gnn4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: {@code local[2]}, UI off, four shuffle partitions, bound to 127.0.0.1. A test
 * class opens one in {@code @BeforeAll} and stops it in {@code @AfterAll}, so each class pays
 * Spark's start-up once.
 */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession start() {
    return SparkSessions.get("local[2]", 4);
  }
}
