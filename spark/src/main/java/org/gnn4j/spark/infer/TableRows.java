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
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.gnn4j.spark.tables.GraphTables;
import scala.Tuple2;

/**
 * The node and edge tables read for the block engine of layer-wise inference, straight into one
 * chunk of flat arrays per (reading partition, slot): the Parquet reader's column batches when
 * Spark does nothing but read the columns ({@link ColumnarScan}), else Spark's internal rows;
 * either way feature arrays are copied value by value into the slot's buffer. A bean or
 * {@code Row} encoder would build an object per row and, for arrays that may hold nulls, convert
 * them element by element through generated code; here nothing is built per row. A malformed row (a null id or endpoint,
 * null features or a null value among them, a width other than the partition's first row's)
 * fails the task with a line naming the row; the job then names it through the reader's checks.
 */
final class TableRows {
  private TableRows() {}

  private static final org.apache.spark.sql.types.DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

  /** The node table's columns as the engine reads them (id BIGINT, features ARRAY&lt;FLOAT&gt;). */
  private static Dataset<Row> nodeColumns(Dataset<Row> nodes) {
    return nodes.select(col(GraphTables.ID).cast(DataTypes.LongType), col(GraphTables.FEATURES).cast(FLOATS));
  }

  /**
   * The edge table's columns as the engine reads them (src BIGINT, dst BIGINT, and features
   * ARRAY&lt;FLOAT&gt; when the model reads them).
   *
   * @param features whether to read the edges' features column
   * @param relations whether the features are instead the edge's relation id (as one float), for
   *     models that read relations (rgcn); {@link InferTables#checkRelations} has checked them
   */
  private static Dataset<Row> edgeColumns(Dataset<Row> edges, boolean features, boolean relations) {
    Column src = col(GraphTables.SRC).cast(DataTypes.LongType);
    Column dst = col(GraphTables.DST).cast(DataTypes.LongType);
    if (!features && !relations) {
      // two columns: a third, always null, cost the row writer a field per edge for nothing
      return edges.select(src, dst);
    }
    Column f = relations ? org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.expr("try_cast(" + GraphTables.RELATION + " AS INT)").cast(DataTypes.FloatType))
        : col(GraphTables.FEATURES).cast(FLOATS);
    return edges.select(src, dst, f);
  }

  /** A query's result as Spark's internal rows. */
  private static JavaRDD<InternalRow> rows(Dataset<Row> query) {
    return query.queryExecution().toRdd().toJavaRDD();
  }

  /**
   * The node table's rows as one {@link NodeBlock} chunk per (reading partition, slot), keyed by
   * (slot, reading partition); see {@link #nodeColumns} for the columns read. From the Parquet reader's
   * column batches when Spark reads the two columns straight from the files, else row by row.
   */
  static JavaRDD<Tuple2<Long, NodeBlock>> nodeChunks(Dataset<Row> nodeTable, Slots slots) {
    Dataset<Row> query = nodeColumns(nodeTable);
    JavaRDD<ColumnarBatch> batches = ColumnarScan.batches(query);
    if (batches != null) return batches.mapPartitionsWithIndex((q, it) -> nodeChunksOfBatches(it, slots, q), false);
    return rows(query).mapPartitionsWithIndex((q, it) -> nodeChunks(it, slots, q), false);
  }

  /** A reading partition's (id, features) column batches as one chunk per slot. */
  static Iterator<Tuple2<Long, NodeBlock>> nodeChunksOfBatches(Iterator<ColumnarBatch> batches, Slots slots,
                                                              int sender) {
    NodeSlots out = new NodeSlots(slots);
    while (batches.hasNext()) {
      ColumnarBatch b = batches.next();   // the reader reuses it: read it now, keep nothing of it
      int rows = b.numRows();
      ColumnVector iv = b.column(0);
      ColumnVector fv = b.column(1);
      if (iv.hasNull()) throw new IllegalStateException("nodes: a row with a null id");
      long[] ids = iv.getLongs(0, rows);
      for (int i = 0; i < rows; i++) out.add(ids[i], fv.isNullAt(i) ? null : fv.getArray(i));
    }
    return out.chunks(sender);
  }

  /**
   * A reading partition's node rows as one {@link NodeBlock} chunk per slot (rows in reading
   * order), keyed by (slot, {@code sender}).
   */
  static Iterator<Tuple2<Long, NodeBlock>> nodeChunks(Iterator<InternalRow> rows, Slots slots, int sender) {
    NodeSlots out = new NodeSlots(slots);
    while (rows.hasNext()) {
      InternalRow r = rows.next();   // Spark reuses the row: read it now, keep nothing of it
      if (r.isNullAt(0)) throw new IllegalStateException("nodes: a row with a null id");
      out.add(r.getLong(0), r.isNullAt(1) ? null : r.getArray(1));
    }
    return out.chunks(sender);
  }

  /** A reading partition's nodes, gathered per slot in growable flat arrays. */
  private static final class NodeSlots {
    final Slots slots;
    final long[][] ids;
    final float[][] h;
    final int[] n;
    int w = -1;               // the partition's feature width: its first row's

    NodeSlots(Slots slots) {
      this.slots = slots;
      ids = new long[slots.count()][];
      h = new float[slots.count()][];
      n = new int[slots.count()];
    }

    /** Adds node {@code id} with features {@code f} (null: the row has none, which fails). */
    void add(long id, ArrayData f) {
      if (f == null) throw new IllegalStateException("nodes: row (id " + id + "): null features");
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

    Iterator<Tuple2<Long, NodeBlock>> chunks(int sender) {
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
  }

  /**
   * The edge table's rows as one {@link EdgeBlock.Chunk} per (reading partition, slot of the
   * source), keyed by (slot, reading partition); see {@link #edgeColumns} for the columns read. When
   * Spark reads the two columns straight from Parquet files in column batches, the chunks are
   * filled from the batches' long vectors in bulk; otherwise row by row.
   */
  static JavaRDD<Tuple2<Long, EdgeBlock.Chunk>> edgeChunks(Dataset<Row> edgeTable, boolean features,
                                                         boolean relations, Slots slots) {
    Dataset<Row> query = edgeColumns(edgeTable, features, relations);
    // the batch path reads the two endpoint columns only
    JavaRDD<ColumnarBatch> batches = features || relations ? null : ColumnarScan.batches(query);
    if (batches != null) return batches.mapPartitionsWithIndex((q, it) -> edgeChunksOfBatches(it, slots, q), false);
    return rows(query).mapPartitionsWithIndex((q, it) -> edgeChunks(it, slots, q), false);
  }

  /** A reading partition's (src, dst) column batches as one chunk per source slot. */
  static Iterator<Tuple2<Long, EdgeBlock.Chunk>> edgeChunksOfBatches(Iterator<ColumnarBatch> batches, Slots slots,
                                                                    int sender) {
    EdgeSlots out = new EdgeSlots(slots, 0);
    while (batches.hasNext()) {
      ColumnarBatch b = batches.next();   // the reader reuses it: read it now, keep nothing of it
      int rows = b.numRows();
      ColumnVector sv = b.column(0);
      ColumnVector dv = b.column(1);
      if (sv.hasNull() || dv.hasNull()) throw new IllegalStateException("edges: a row with a null src or dst");
      long[] src = sv.getLongs(0, rows);
      long[] dst = dv.getLongs(0, rows);
      for (int i = 0; i < rows; i++) out.add(src[i], dst[i]);
    }
    return out.chunks(sender);
  }

  /**
   * A reading partition's edge rows as one {@link EdgeBlock.Chunk} per slot of the source (rows
   * in reading order), keyed by (slot, {@code sender}).
   */
  static Iterator<Tuple2<Long, EdgeBlock.Chunk>> edgeChunks(Iterator<InternalRow> rows, Slots slots, int sender) {
    EdgeSlots out = null;
    while (rows.hasNext()) {
      InternalRow r = rows.next();   // Spark reuses the row: read it now, keep nothing of it
      if (r.isNullAt(0) || r.isNullAt(1)) throw new IllegalStateException("edges: a row with a null src or dst");
      long s = r.getLong(0);
      long t = r.getLong(1);
      ArrayData f = r.numFields() < 3 || r.isNullAt(2) ? null : r.getArray(2);
      int fw = f == null ? 0 : f.numElements();
      if (out == null) out = new EdgeSlots(slots, fw);
      if (fw != out.d) {
        throw new IllegalStateException("edges: row (src " + s + ", dst " + t + "): features of another width than " + out.d);
      }
      int k = out.add(s, t);
      if (fw > 0 && !copy(f, out.feat[slots.slot(s)], k * fw)) {
        throw new IllegalStateException("edges: row (src " + s + ", dst " + t + "): a null among its features");
      }
    }
    return out == null ? java.util.Collections.emptyIterator() : out.chunks(sender);
  }

  /** A reading partition's edges, gathered per slot of the source in growable flat arrays. */
  private static final class EdgeSlots {
    final Slots slots;
    final int d;              // feature width
    final long[][] src;
    final long[][] dst;
    final float[][] feat;
    final int[] n;

    EdgeSlots(Slots slots, int d) {
      this.slots = slots;
      this.d = d;
      src = new long[slots.count()][];
      dst = new long[slots.count()][];
      feat = new float[slots.count()][];
      n = new int[slots.count()];
    }

    /** Adds edge (s, t); returns its place in its slot's arrays (where its features go). */
    int add(long s, long t) {
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
      return k;
    }

    Iterator<Tuple2<Long, EdgeBlock.Chunk>> chunks(int sender) {
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
