package org.gnn4j.spark.tables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gnn4j.data.HeteroDataset;
import org.gnn4j.graph.Relation;

/**
 * A heterogeneous graph ({@link HeteroDataset}: node types, relations between them) as the
 * {@link GraphTables} form: one node table whose {@code type} column names each node's type and
 * one edge table whose {@code relation} column names each edge's relation as
 * {@code src__name__dst}. Node ids are the types' own ids shifted by the node counts of the types
 * before them (in the dataset's type order), so they are unique across types. Feature widths may
 * differ between types (a type without features has empty arrays) and between relations (a
 * relation without edge features has empty arrays); labels and the split belong to the target type.
 */
public final class HeteroTables {
  private HeteroTables() {}

  /** The tables of {@code d}; {@link #offsets} gives each type's first id. */
  public static GraphTables.Frames of(SparkSession spark, HeteroDataset d) {
    Map<String, Long> offset = offsets(d);
    String[] split = new String[d.target() == null ? 0 : d.graph().numNodes(d.target())];
    for (int i : d.train()) split[i] = "train";
    for (int i : d.val()) split[i] = "val";
    for (int i : d.test()) split[i] = "test";
    List<Row> nodes = new ArrayList<>();
    int widest = 0;
    for (String type : d.graph().nodeTypes()) {
      HeteroDataset.Table x = d.x().get(type);
      int f = x == null ? 0 : x.cols();
      widest = Math.max(widest, f);
      boolean target = type.equals(d.target());
      for (int i = 0; i < d.graph().numNodes(type); i++) {
        float[] row = new float[f];
        if (f > 0) System.arraycopy(x.data(), i * f, row, 0, f);
        nodes.add(RowFactory.create(offset.get(type) + i, row, target ? d.y()[i] : null, type,
            target ? split[i] : null));
      }
    }
    List<Row> edges = new ArrayList<>();
    int widestEdge = 0;
    for (Relation r : d.graph().relations()) {
      HeteroDataset.Table a = d.edgeAttr().get(r);
      int f = a == null ? 0 : a.cols();
      widestEdge = Math.max(widestEdge, f);
      int[] src = d.graph().edges(r).src();
      int[] dst = d.graph().edges(r).dst();
      for (int e = 0; e < src.length; e++) {
        float[] row = new float[f];
        if (f > 0) System.arraycopy(a.data(), e * f, row, 0, f);
        edges.add(RowFactory.create(offset.get(r.src()) + src[e], offset.get(r.dst()) + dst[e], row,
            r.toString()));
      }
    }
    StructType nodeSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.ID, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.FEATURES, GraphTables.FLOATS, false),
        DataTypes.createStructField(GraphTables.LABEL, DataTypes.IntegerType, true),
        DataTypes.createStructField(GraphTables.TYPE, DataTypes.StringType, false),
        DataTypes.createStructField(GraphTables.SPLIT, DataTypes.StringType, true)));
    StructType edgeSchema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(GraphTables.SRC, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.DST, DataTypes.LongType, false),
        DataTypes.createStructField(GraphTables.FEATURES, GraphTables.FLOATS, false),
        DataTypes.createStructField(GraphTables.RELATION, DataTypes.StringType, false)));
    return new GraphTables.Frames(GraphTables.frame(spark, nodes, nodeSchema, widest),
        GraphTables.frame(spark, edges, edgeSchema, widestEdge), null);
  }

  /** Each type's first node id: the node counts of the types before it, summed. */
  public static Map<String, Long> offsets(HeteroDataset d) {
    Map<String, Long> offset = new HashMap<>();
    long next = 0;
    for (String type : d.graph().nodeTypes()) {
      offset.put(type, next);
      next += d.graph().numNodes(type);
    }
    return offset;
  }
}
