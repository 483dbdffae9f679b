package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.gnn4j.spark.tables.GraphTables;
import scala.Tuple2;

/**
 * The node and edge tables read for the block engine of layer-wise inference, straight into one
 * chunk of flat arrays per (reading partition, slot): the Parquet reader's column batches when
 * Spark does nothing but read the columns ({@link ColumnarScan}), else Spark's internal rows;
 * features are copied in bulk from batches without a null, else value by value. A bean or
 * {@code Row} encoder would build an object per row and, for arrays that may hold nulls, convert
 * them element by element through generated code; here nothing is built per row. A malformed
 * row (a null id or endpoint, null features or a null value among them, a width other than the
 * partition's first row's) fails the task with a line naming the row; the job then names it
 * through the reader's checks.
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
      if (rows > 0 && fv instanceof WritableColumnVector wv && !wv.hasNull() && !wv.arrayData().hasNull()) {
        // no null anywhere in the batch: every row's features in one bulk read, not value by value
        int from = Integer.MAX_VALUE;
        int to = 0;
        for (int i = 0; i < rows; i++) {
          from = Math.min(from, wv.getArrayOffset(i));
          to = Math.max(to, wv.getArrayOffset(i) + wv.getArrayLength(i));
        }
        float[] all = wv.arrayData().getFloats(from, to - from);
        for (int i = 0; i < rows; i++) out.add(ids[i], all, wv.getArrayOffset(i) - from, wv.getArrayLength(i));
      } else {
        for (int i = 0; i < rows; i++) out.add(ids[i], fv.isNullAt(i) ? null : fv.getArray(i));
      }
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

  /**
   * Per slot, rows filled into pieces of {@link #PIECE} rows: a slot's arrays never double and
   * copy as they fill (at 10M edges, most of what the table reading allocated), and each slot's
   * chunk is joined from its pieces only as the shuffle asks for it, so a partition's rows are
   * held once, not once in pieces and once in chunks.
   */
  static final int PIECE = 512;

  /** A reading partition's nodes, gathered per slot in pieces. */
  private static final class NodeSlots {
    final Slots slots;
    final List<List<long[]>> ids = new ArrayList<>();
    final List<List<float[]>> h = new ArrayList<>();
    final long[][] lastIds;   // each slot's piece being filled (the lists' last), for the row loop
    final float[][] lastH;
    final int[] n;
    int w = -1;               // the partition's feature width: its first row's

    NodeSlots(Slots slots) {
      this.slots = slots;
      for (int g = 0; g < slots.count(); g++) {
        ids.add(new ArrayList<>());
        h.add(new ArrayList<>());
      }
      lastIds = new long[slots.count()][];
      lastH = new float[slots.count()][];
      n = new int[slots.count()];
    }

    /** Adds node {@code id} with features {@code f} (null: the row has none, which fails). */
    void add(long id, ArrayData f) {
      if (f == null) throw new IllegalStateException("nodes: row (id " + id + "): null features");
      int g = place(id, f.numElements());
      if (!copy(f, lastH[g], (n[g] - 1) % PIECE * w)) {
        throw new IllegalStateException("nodes: row (id " + id + "): a null among its features");
      }
    }

    /** Adds node {@code id} with the {@code len} features at {@code f[from ..]}. */
    void add(long id, float[] f, int from, int len) {
      int g = place(id, len);
      System.arraycopy(f, from, lastH[g], (n[g] - 1) % PIECE * w, len);
    }

    /** Makes room for node {@code id} with {@code width} features and stores its id; returns its slot. */
    private int place(long id, int width) {
      if (w < 0) w = width;
      if (width != w) {
        throw new IllegalStateException("nodes: row (id " + id + "): " + width + " features where others have " + w);
      }
      int g = slots.slot(id);
      int k = n[g]++ % PIECE;
      if (k == 0) {
        ids.get(g).add(lastIds[g] = new long[PIECE]);
        h.get(g).add(lastH[g] = new float[PIECE * w]);
      }
      lastIds[g][k] = id;
      return g;
    }

    Iterator<Tuple2<Long, NodeBlock>> chunks(int sender) {
      return slotChunks(n, g -> {
        NodeBlock b = new NodeBlock(g, join(ids.get(g), PIECE, n[g], long[]::new), w,
            join(h.get(g), PIECE * w, n[g] * w, float[]::new), null);
        ids.get(g).clear();
        h.get(g).clear();
        lastIds[g] = null;
        lastH[g] = null;
        return new Tuple2<>(slots.key(g, sender), b);
      });
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
      for (int i = 0; i < rows; i++) out.add(src[i], dst[i], null);
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
      if (!out.add(s, t, f)) {
        throw new IllegalStateException("edges: row (src " + s + ", dst " + t + "): a null among its features");
      }
    }
    return out == null ? java.util.Collections.emptyIterator() : out.chunks(sender);
  }

  /** A reading partition's edges, gathered per slot of the source in pieces. */
  private static final class EdgeSlots {
    final Slots slots;
    final int d;              // feature width
    final List<List<long[]>> src = new ArrayList<>();
    final List<List<long[]>> dst = new ArrayList<>();
    final List<List<float[]>> feat = new ArrayList<>();
    final long[][] lastSrc;   // each slot's pieces being filled (the lists' last), for the row loop
    final long[][] lastDst;
    final float[][] lastFeat;
    final int[] n;

    EdgeSlots(Slots slots, int d) {
      this.slots = slots;
      this.d = d;
      for (int g = 0; g < slots.count(); g++) {
        src.add(new ArrayList<>());
        dst.add(new ArrayList<>());
        feat.add(new ArrayList<>());
      }
      lastSrc = new long[slots.count()][];
      lastDst = new long[slots.count()][];
      lastFeat = new float[slots.count()][];
      n = new int[slots.count()];
    }

    /** Adds edge (s, t) with features {@code f} (null when the table has none); false at a null among them. */
    boolean add(long s, long t, ArrayData f) {
      int g = slots.slot(s);
      int k = n[g]++ % PIECE;
      if (k == 0) {
        src.get(g).add(lastSrc[g] = new long[PIECE]);
        dst.get(g).add(lastDst[g] = new long[PIECE]);
        if (d > 0) feat.get(g).add(lastFeat[g] = new float[PIECE * d]);
      }
      lastSrc[g][k] = s;
      lastDst[g][k] = t;
      return d == 0 || copy(f, lastFeat[g], k * d);
    }

    Iterator<Tuple2<Long, EdgeBlock.Chunk>> chunks(int sender) {
      return slotChunks(n, g -> {
        EdgeBlock.Chunk c = new EdgeBlock.Chunk(join(src.get(g), PIECE, n[g], long[]::new),
            join(dst.get(g), PIECE, n[g], long[]::new), d,
            d > 0 ? join(feat.get(g), PIECE * d, n[g] * d, float[]::new) : null);
        src.get(g).clear();
        dst.get(g).clear();
        feat.get(g).clear();
        lastSrc[g] = null;
        lastDst[g] = null;
        lastFeat[g] = null;
        return new Tuple2<>(slots.key(g, sender), c);
      });
    }
  }

  /** The chunks {@code f} builds, lazily, for every slot g with {@code n[g] > 0}, in slot order. */
  private static <T> Iterator<T> slotChunks(int[] n, java.util.function.IntFunction<T> f) {
    return new Iterator<>() {
      private int g = next(0);

      private int next(int from) {
        while (from < n.length && n[from] == 0) from++;
        return from;
      }

      @Override
      public boolean hasNext() {
        return g < n.length;
      }

      @Override
      public T next() {
        if (g >= n.length) throw new java.util.NoSuchElementException();
        T out = f.apply(g);
        g = next(g + 1);
        return out;
      }
    };
  }

  /** The first {@code len} values of pieces {@code pieceLen} long, in one array {@code alloc} makes. */
  private static <A> A join(List<A> pieces, int pieceLen, int len, IntFunction<A> alloc) {
    A out = alloc.apply(len);
    for (int p = 0, at = 0; at < len; p++, at += pieceLen) {
      System.arraycopy(pieces.get(p), 0, out, at, Math.min(pieceLen, len - at));
    }
    return out;
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
