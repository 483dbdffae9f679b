package org.gnn4j.spark.infer;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.gnn4j.train.PredictionCsv;
import scala.Tuple2;

/**
 * One partition's predicted classes for {@code spark infer --format csv}: node ids sorted
 * ascending and each node's class, as two flat arrays. A partition sends one of these to the
 * driver, which merges the runs into gnn4j predict's id order as it writes: 12 bytes per node
 * travel, where a sort through Spark's shuffle moved and boxed a {@code Tuple2} per node twice.
 * A plain class so that any Spark serializer can build it.
 */
final class ClassRun implements Serializable {
  final long[] ids;       // ascending
  final int[] classes;

  private ClassRun(long[] ids, int[] classes) {
    this.ids = ids;
    this.classes = classes;
  }

  int size() {
    return ids.length;
  }

  /** The run of a partition's (id, scores) rows: each row's class, sorted by id. */
  static ClassRun of(Iterator<Tuple2<Long, float[]>> rows) {
    long[] ids = new long[1024];
    int[] classes = new int[1024];
    int n = 0;
    while (rows.hasNext()) {
      Tuple2<Long, float[]> r = rows.next();
      if (n == ids.length) {
        ids = java.util.Arrays.copyOf(ids, n * 2);
        classes = java.util.Arrays.copyOf(classes, n * 2);
      }
      ids[n] = r._1();
      classes[n] = PredictionCsv.argmax(r._2());
      n++;
    }
    ids = java.util.Arrays.copyOf(ids, n);
    classes = java.util.Arrays.copyOf(classes, n);
    sort(ids, classes, 0, n, new long[n], new int[n]);
    return new ClassRun(ids, classes);
  }

  /**
   * Sorts {@code ids[from, to)} ascending, moving {@code classes} along: a stable merge sort on
   * the primitive arrays (no boxed index per row), with {@code tmpIds} and {@code tmpClasses} as
   * scratch of the same length.
   */
  private static void sort(long[] ids, int[] classes, int from, int to, long[] tmpIds, int[] tmpClasses) {
    if (to - from < 2) return;
    int mid = (from + to) >>> 1;
    sort(ids, classes, from, mid, tmpIds, tmpClasses);
    sort(ids, classes, mid, to, tmpIds, tmpClasses);
    if (ids[mid - 1] <= ids[mid]) return;   // already in order (often: rows come in runs)
    System.arraycopy(ids, from, tmpIds, from, to - from);
    System.arraycopy(classes, from, tmpClasses, from, to - from);
    int a = from;
    int b = mid;
    for (int k = from; k < to; k++) {
      if (b >= to || (a < mid && tmpIds[a] <= tmpIds[b])) {
        ids[k] = tmpIds[a];
        classes[k] = tmpClasses[a++];
      } else {
        ids[k] = tmpIds[b];
        classes[k] = tmpClasses[b++];
      }
    }
  }

  /**
   * Writes the rows of every run to {@code w} in ascending id order (gnn4j predict's CSV rows,
   * without the header); ties keep the order of {@code runs}.
   *
   * @return the number of rows written
   */
  static long write(List<ClassRun> runs, Writer w) throws IOException {
    // a cursor per run, ordered by its current id, then by its place in the list
    PriorityQueue<int[]> heads = new PriorityQueue<>((x, y) -> {
      int c = Long.compare(runs.get(x[0]).ids[x[1]], runs.get(y[0]).ids[y[1]]);
      return c != 0 ? c : Integer.compare(x[0], y[0]);
    });
    for (int r = 0; r < runs.size(); r++) if (runs.get(r).size() > 0) heads.add(new int[] {r, 0});
    long n = 0;
    while (!heads.isEmpty()) {
      int[] h = heads.poll();
      ClassRun run = runs.get(h[0]);
      w.write(PredictionCsv.nodeRow(run.ids[h[1]], run.classes[h[1]]));
      n++;
      if (++h[1] < run.size()) heads.add(h);
    }
    return n;
  }
}
