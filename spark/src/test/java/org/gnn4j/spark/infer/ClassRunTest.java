package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.train.PredictionCsv;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** spark infer's CSV from per-partition runs: every row once, in id order, as gnn4j predict writes it. */
class ClassRunTest {
  private static Tuple2<Long, float[]> row(long id, int cls, int classes) {
    float[] z = new float[classes];
    z[cls] = 1;
    return new Tuple2<>(id, z);
  }

  @Test
  void partitionsInAnyOrderWriteOneFileInIdOrder() throws Exception {
    SplittableRandom rng = new SplittableRandom(3);
    int n = 5000;
    int[] classes = new int[n];
    List<List<Tuple2<Long, float[]>>> parts = new ArrayList<>();
    for (int p = 0; p < 4; p++) parts.add(new ArrayList<>());
    // ids 0..n-1 scattered over four partitions in shuffled order (negative and huge ids below)
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(i);
    java.util.Collections.shuffle(ids, new java.util.Random(7));
    for (int i : ids) {
      classes[i] = rng.nextInt(5);
      parts.get(rng.nextInt(4)).add(row(i, classes[i], 5));
    }
    List<ClassRun> runs = new ArrayList<>();
    for (var p : parts) runs.add(ClassRun.of(p.iterator()));
    for (ClassRun r : runs) {
      for (int k = 1; k < r.size(); k++) assertEquals(-1, Long.compare(r.ids[k - 1], r.ids[k]));
    }
    StringWriter w = new StringWriter();
    w.write(PredictionCsv.NODE_HEADER);
    assertEquals(n, ClassRun.write(runs, w));
    assertEquals(PredictionCsv.nodes(classes), w.toString());
  }

  @Test
  void idsAnywhereInTheLongRangeAndEmptyPartitions() throws Exception {
    long[] ids = {Long.MAX_VALUE, -5, 0, Long.MIN_VALUE, 42, -6};
    List<Tuple2<Long, float[]>> rows = new ArrayList<>();
    for (int k = 0; k < ids.length; k++) rows.add(row(ids[k], k % 3, 3));
    ClassRun run = ClassRun.of(rows.iterator());
    assertArrayEquals(new long[] {Long.MIN_VALUE, -6, -5, 0, 42, Long.MAX_VALUE}, run.ids);
    assertArrayEquals(new int[] {0, 2, 1, 2, 1, 0}, run.classes);
    StringWriter w = new StringWriter();
    assertEquals(6, ClassRun.write(List.of(ClassRun.of(List.<Tuple2<Long, float[]>>of().iterator()), run), w));
    assertEquals(Long.MIN_VALUE + ",0\n-6,2\n-5,1\n0,2\n42,1\n" + Long.MAX_VALUE + ",0\n", w.toString());
  }
}
