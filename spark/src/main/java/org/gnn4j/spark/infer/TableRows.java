package org.gnn4j.spark.infer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.gnn4j.spark.tables.GraphTables;

/**
 * The node and edge tables as typed rows for the block engine of layer-wise inference. Spark's
 * bean encoder copies an {@code array<float>} column straight into a {@code float[]} (where a
 * generic {@code Row} boxes every element), so reading the tables costs a copy, not an object per
 * value. Public beans because Spark's encoder requires them; not part of gnn4j's API.
 */
public final class TableRows {
  private TableRows() {}

  /** A node row: id and features. */
  public static final class NodeRow implements Serializable {
    private long id;
    private float[] features;

    public long getId() {
      return id;
    }

    public void setId(long id) {
      this.id = id;
    }

    public float[] getFeatures() {
      return features;
    }

    public void setFeatures(float[] features) {
      this.features = features;
    }
  }

  /** An edge row: source, target and features (null when the model reads none). */
  public static final class EdgeRow implements Serializable {
    private long src;
    private long dst;
    private float[] features;

    public long getSrc() {
      return src;
    }

    public void setSrc(long src) {
      this.src = src;
    }

    public long getDst() {
      return dst;
    }

    public void setDst(long dst) {
      this.dst = dst;
    }

    public float[] getFeatures() {
      return features;
    }

    public void setFeatures(float[] features) {
      this.features = features;
    }
  }

  private static final org.apache.spark.sql.types.DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

  static JavaRDD<NodeRow> nodes(Dataset<Row> nodes) {
    return nodes.select(col(GraphTables.ID).cast(DataTypes.LongType).as("id"),
            col(GraphTables.FEATURES).cast(FLOATS).as("features"))
        .as(Encoders.bean(NodeRow.class)).javaRDD();
  }

  /**
   * @param features whether to read the edges' features column
   * @param relations whether the edge row is instead the edge's relation id (as one float), for
   *     models that read relations (rgcn); {@link InferTables#checkRelations} has checked them
   */
  static JavaRDD<EdgeRow> edges(Dataset<Row> edges, boolean features, boolean relations) {
    Column f = relations ? org.apache.spark.sql.functions.array(
            org.apache.spark.sql.functions.expr("try_cast(" + GraphTables.RELATION + " AS INT)").cast(DataTypes.FloatType))
        : features ? col(GraphTables.FEATURES).cast(FLOATS) : lit(null).cast(FLOATS);
    return edges.select(col(GraphTables.SRC).cast(DataTypes.LongType).as("src"),
            col(GraphTables.DST).cast(DataTypes.LongType).as("dst"), f.as("features"))
        .as(Encoders.bean(EdgeRow.class)).javaRDD();
  }
}
