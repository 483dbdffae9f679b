package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.gnn4j.spark.tables.GraphTables;
import scala.Tuple2;

/**
 * The node and edge tables read for the block engine of layer-wise inference, straight into one
 * chunk of flat arrays per (reading partition, slot): Spark's internal rows, whose feature
 * arrays are copied value by value into the slot's buffer. A bean or {@code Row} encoder would
 * build an object per row and, for arrays that may hold nulls, convert them element by element
 * through generated code; here nothing is built per row. A malformed row (a null id or endpoint,
 * null features or a null value among them, a width other than the partition's first row's)
 * fails the task with a line naming the row; the job then names it through the reader's checks.
 */
final class TableRows {
  private TableRows() {}

  private static final org.apache.spark.sql.types.DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

  /** The node table as internal rows (id BIGINT, features ARRAY&lt;FLOAT&gt;). */
  static JavaRDD<InternalRow> nodes(Dataset<Row> nodes) {
    return nodes.select(col(GraphTables.ID).cast(DataTypes.LongType), col(GraphTables.FEATURES).cast(FLOATS))
        .queryExecution().toRdd().toJavaRDD();
  }

  /**
   * The edge table as internal rows (src BIGINT, dst BIGINT, and features ARRAY&lt;FLOAT&gt; when
   * the model reads them).
   *
   * @param features whether to read the edges' features column
   * @param relations whether the features are instead the edge's relation id (as one float), for
   *     models that read relations (rgcn); {@link InferTables#checkRelations} has checked them
   */
  static JavaRDD<InternalRow> edges(Dataset<Row> edges, boolean features, boolean relations) {
    Column src = col(GraphTables.SRC).cast(DataTypes.LongType);
    Column dst = col(GraphTables.DST).cast(DataTypes.LongType);
    if (!features && !relations) {
      // two columns: a third, always null, cost the row writer a field per edge for nothing
      return edges.select(src, dst).queryExecution().toRdd().toJavaRDD();
    }
    Column f = relations ? org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.expr("try_cast(" + GraphTables.RELATION + " AS INT)").cast(DataTypes.FloatType))
        : col(GraphTables.FEATURES).cast(FLOATS);
    return edges.select(src, dst, f).queryExecution().toRdd().toJavaRDD();
  }

  /**
   * A reading partition's node rows as one {@link NodeBlock} chunk per slot (rows in reading
   * order), keyed by (slot, {@code sender}).
   */
  static Iterator<Tuple2<Long, NodeBlock>> nodeChunks(Iterator<InternalRow> rows, Slots slots, int sender) {
    long[][] ids = new long[slots.count()][];
    float[][] h = new float[slots.count()][];
    int[] n = new int[slots.count()];
    int w = -1;
    while (rows.hasNext()) {
      InternalRow r = rows.next();   // Spark reuses the row: read it now, keep nothing of it
      if (r.isNullAt(0)) throw new IllegalStateException("nodes: a row with a null id");
      long id = r.getLong(0);
      if (r.isNullAt(1)) throw new IllegalStateException("nodes: row (id " + id + "): null features");
      ArrayData f = r.getArray(1);
      if (w < 0) w = f.numElements();
      if (f.numElements() != w) {
        throw new IllegalStateException("nodes: row (id " + id + "): " + f.numElements() + " features where others have " + w);
      }
      int g = slots.slot(id);
      int k = n[g]++;
      if (ids[g] == null || k == ids[g].length) {
        int cap = ids[g] == null ? 64 : k * 2;
        ids[g] = ids[g] == null ? new long[cap] : Arrays.copyOf(ids[g], cap);
        h[g] = h[g] == null ? new float[cap * w] : Arrays.copyOf(h[g], cap * w);
      }
      ids[g][k] = id;
      if (!copy(f, h[g], k * w)) {
        throw new IllegalStateException("nodes: row (id " + id + "): a null among its features");
      }
    }
    List<Tuple2<Long, NodeBlock>> out = new ArrayList<>();
    for (int g = 0; g < slots.count(); g++) {
      if (n[g] == 0) continue;
      out.add(new Tuple2<>(slots.key(g, sender),
          new NodeBlock(g, Arrays.copyOf(ids[g], n[g]), w, Arrays.copyOf(h[g], n[g] * w), null)));
      ids[g] = null;
      h[g] = null;
    }
    return out.iterator();
  }

  /**
   * A reading partition's edge rows as one {@link EdgeBlock.Chunk} per slot of the source (rows
   * in reading order), keyed by (slot, {@code sender}).
   */
  static Iterator<Tuple2<Long, EdgeBlock.Chunk>> edgeChunks(Iterator<InternalRow> rows, Slots slots, int sender) {
    long[][] src = new long[slots.count()][];
    long[][] dst = new long[slots.count()][];
    float[][] feat = new float[slots.count()][];
    int[] n = new int[slots.count()];
    int d = -1;
    while (rows.hasNext()) {
      InternalRow r = rows.next();   // Spark reuses the row: read it now, keep nothing of it
      if (r.isNullAt(0) || r.isNullAt(1)) throw new IllegalStateException("edges: a row with a null src or dst");
      long s = r.getLong(0);
      long t = r.getLong(1);
      ArrayData f = r.numFields() < 3 || r.isNullAt(2) ? null : r.getArray(2);
      int fw = f == null ? 0 : f.numElements();
      if (d < 0) d = fw;
      if (fw != d) {
        throw new IllegalStateException("edges: row (src " + s + ", dst " + t + "): features of another width than " + d);
      }
      int g = slots.slot(s);
      int k = n[g]++;
      if (src[g] == null || k == src[g].length) {
        int cap = src[g] == null ? 256 : k * 2;
        src[g] = src[g] == null ? new long[cap] : Arrays.copyOf(src[g], cap);
        dst[g] = dst[g] == null ? new long[cap] : Arrays.copyOf(dst[g], cap);
        if (d > 0) feat[g] = feat[g] == null ? new float[cap * d] : Arrays.copyOf(feat[g], cap * d);
      }
      src[g][k] = s;
      dst[g][k] = t;
      if (d > 0 && !copy(f, feat[g], k * d)) {
        throw new IllegalStateException("edges: row (src " + s + ", dst " + t + "): a null among its features");
      }
    }
    List<Tuple2<Long, EdgeBlock.Chunk>> out = new ArrayList<>();
    for (int g = 0; g < slots.count(); g++) {
      if (n[g] == 0) continue;
      out.add(new Tuple2<>(slots.key(g, sender), new EdgeBlock.Chunk(Arrays.copyOf(src[g], n[g]),
          Arrays.copyOf(dst[g], n[g]), d, d > 0 ? Arrays.copyOf(feat[g], n[g] * d) : null)));
      src[g] = null;
      dst[g] = null;
      feat[g] = null;
    }
    return out.iterator();
  }

  /**
   * The values of {@code f} into {@code to} from {@code at}; false at a null value. The caller
   * names the row only then: a message built for every row was a string per node and edge.
   */
  private static boolean copy(ArrayData f, float[] to, int at) {
    for (int c = 0, w = f.numElements(); c < w; c++) {
      if (f.isNullAt(c)) return false;
      to[at + c] = f.getFloat(c);
    }
    return true;
  }
}
