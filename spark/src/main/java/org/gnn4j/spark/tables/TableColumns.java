package org.gnn4j.spark.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * The column rules of the {@link GraphTables} form: which columns each table must or may have,
 * which Parquet types each accepts, and the casts that bring an accepted type to the one the jobs
 * use (INT ids widen to BIGINT, BIGINT labels narrow to INT, DOUBLE arrays to FLOAT arrays, a
 * little-endian float32 blob to a FLOAT array). Package-private: {@link GraphTableReader} is the
 * public door.
 */
final class TableColumns {
  private TableColumns() {}

  /** How a features column is stored. */
  enum Kind { ARRAY, BLOB, NONE }

  /** One column: its name, whether required, accepted types (first = the normal form). */
  record Spec(String name, boolean required, DataType... accepted) {}

  private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);
  private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType);

  private static Spec id(String name) {
    return new Spec(name, true, DataTypes.LongType, DataTypes.IntegerType);
  }

  private static Spec optional(String name, DataType... types) {
    return new Spec(name, false, types);
  }

  private static final Spec LABEL = optional(GraphTables.LABEL, DataTypes.IntegerType,
      DataTypes.LongType, DataTypes.ShortType, DataTypes.ByteType);

  static final List<Spec> NODES = List.of(id(GraphTables.ID),
      new Spec(GraphTables.FEATURES, true, FLOATS, DOUBLES, DataTypes.BinaryType), LABEL,
      optional(GraphTables.TYPE, DataTypes.StringType), optional(GraphTables.GRAPH, DataTypes.LongType,
          DataTypes.IntegerType), optional(GraphTables.SPLIT, DataTypes.StringType));
  static final List<Spec> EDGES = List.of(id(GraphTables.SRC), id(GraphTables.DST),
      optional(GraphTables.FEATURES, FLOATS, DOUBLES, DataTypes.BinaryType), LABEL,
      // a relation id (INT) of a one-node-type graph reads as its decimal string, like a name
      optional(GraphTables.RELATION, DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType),
      optional(GraphTables.GRAPH,
          DataTypes.LongType, DataTypes.IntegerType));
  static final List<Spec> GRAPHS = List.of(id(GraphTables.GRAPH), LABEL,
      optional(GraphTables.TARGET, DataTypes.FloatType, DataTypes.DoubleType),
      optional(GraphTables.SPLIT, DataTypes.StringType));

  /** SQL name of a type, arrays by element type only (a nullable element is no different). */
  static String sql(DataType t) {
    return t instanceof ArrayType a ? "ARRAY<" + a.elementType().sql() + ">" : t.sql();
  }

  private static boolean same(DataType a, DataType b) {
    return sql(a).equals(sql(b));
  }

  /**
   * Checks {@code t}'s columns against {@code specs} and casts accepted types to the normal form
   * (features keep their storage; {@link #decodeFeatures} turns blobs into arrays after the width
   * checks). Columns the specs do not name are kept as they are.
   */
  static Dataset<Row> normalise(Dataset<Row> t, String table, List<Spec> specs) {
    List<Column> out = new ArrayList<>();
    Set<String> have = Set.of(t.columns());
    for (Spec s : specs) {
      if (!have.contains(s.name())) {
        if (s.required()) {
          throw new IllegalArgumentException(table + ": column " + s.name() + " is missing (expected "
              + expected(s) + "; the table has " + String.join(", ", t.columns()) + ")");
        }
        continue;
      }
      DataType actual = t.schema().apply(s.name()).dataType();
      boolean ok = false;
      for (DataType a : s.accepted()) ok |= same(a, actual);
      if (!ok) {
        throw new IllegalArgumentException(table + ": column " + s.name() + " has type " + sql(actual)
            + ", expected " + expected(s));
      }
    }
    for (StructField f : t.schema().fields()) {
      Spec s = specs.stream().filter(x -> x.name().equals(f.name())).findFirst().orElse(null);
      boolean cast = s != null && !same(s.accepted()[0], f.dataType())
          && !(f.dataType() instanceof org.apache.spark.sql.types.BinaryType);
      out.add(cast ? col(f.name()).cast(s.accepted()[0]).as(f.name()) : col(f.name()));
    }
    return t.select(out.toArray(Column[]::new));
  }

  private static String expected(Spec s) {
    StringBuilder b = new StringBuilder(sql(s.accepted()[0]));
    for (int i = 1; i < s.accepted().length; i++) {
      b.append(i == s.accepted().length - 1 ? " or " : ", ").append(sql(s.accepted()[i]));
    }
    return b.toString();
  }

  /** How {@code t} stores its features column ({@link Kind#NONE} without one). */
  static Kind kindOf(Dataset<Row> t, String column) {
    if (!Set.of(t.columns()).contains(column)) return Kind.NONE;
    return t.schema().apply(column).dataType() instanceof org.apache.spark.sql.types.BinaryType
        ? Kind.BLOB : Kind.ARRAY;
  }

  /** Replaces a blob features column by the FLOAT array it encodes. */
  static Dataset<Row> decodeFeatures(Dataset<Row> t, Kind kind) {
    if (kind != Kind.BLOB) return t;
    return t.withColumn(GraphTables.FEATURES, DECODE.apply(col(GraphTables.FEATURES)));
  }

  private static final UserDefinedFunction DECODE = udf((UDF1<byte[], float[]>) TableColumns::floats,
      DataTypes.createArrayType(DataTypes.FloatType, false));

  /** The float32 values of a little-endian blob (the byte order of numpy's {@code <f4}). */
  static float[] floats(byte[] blob) {
    if (blob == null) return null;
    float[] v = new float[blob.length / 4];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /** The little-endian float32 blob of {@code v}, as a producer of blob tables would write it. */
  static byte[] blob(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }
}
