package org.gnn4j.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * A heterogeneous dataset (PyG's {@code HeteroData}): the {@link HeteroGraph} structure plus a
 * feature table [N_t, F_t] per node type (widths may differ; a type may have none), an optional
 * feature table [E_r, D_r] per relation, and optionally node classification on one target type:
 * its labels and train/val/test ids. Validated once here, so samplers and layers trust it.
 *
 * @param x node type -> [N_t, F_t] features, only for the types that have features
 * @param edgeAttr relation -> [E_r, D_r] features, only for the relations that have them
 * @param target the node type that carries labels and splits, or null for an unlabelled graph
 * @param numClasses classes of {@code y}; 0 without a target
 * @param y [N_target] class of every target node, in [0, numClasses); empty without a target
 * @param train target-type node ids to train on (val and test likewise; may be empty; disjoint)
 */
public record HeteroDataset(String name, HeteroGraph graph, Map<String, Table> x,
                            Map<Relation, Table> edgeAttr, String target, int numClasses, int[] y,
                            int[] train, int[] val, int[] test) {
  private static final String OP = "HeteroDataset";

  /**
   * A dense row-major float table: the features of one node type or one relation.
   *
   * @param data [rows, cols] row-major
   */
  public record Table(int rows, int cols, float[] data) {
    public Table {
      if (rows < 0 || cols < 0 || data == null || (long) rows * cols != data.length) {
        throw new IllegalArgumentException("Table: data must hold rows * cols values (got "
            + (data == null ? "null" : data.length) + ", expected " + rows + " * " + cols + ")");
      }
    }

    public float get(int row, int col) {
      return data[row * cols + col];
    }

    /** A [rows, cols] tensor holding a copy of the table (layers may not alias the dataset). */
    public Tensor toTensor(Context ctx) {
      return new Tensor(ctx, Shape.of(rows, cols), data.clone());
    }

    /** The rows {@code ids} in that order: [ids.length, cols]. */
    public Table gather(int[] ids) {
      float[] out = new float[Math.multiplyExact(ids.length, cols)];
      for (int i = 0; i < ids.length; i++) System.arraycopy(data, ids[i] * cols, out, i * cols, cols);
      return new Table(ids.length, cols, out);
    }
  }

  /**
   * @throws IllegalArgumentException naming the type or relation when a table's row count
   *     differs from its node or edge count, a table names an unknown type or relation, a label
   *     or split id is out of range, or splits overlap
   */
  public HeteroDataset {
    x = Collections.unmodifiableMap(new LinkedHashMap<>(x));
    edgeAttr = Collections.unmodifiableMap(new LinkedHashMap<>(edgeAttr));
    for (var e : x.entrySet()) {
      int n = graph.numNodes(e.getKey());
      if (e.getValue().rows() != n) {
        throw new IllegalArgumentException(OP + ": features of node type '" + e.getKey()
            + "' have the wrong number of rows (got " + e.getValue().rows() + ", expected " + n
            + ")");
      }
    }
    for (var e : edgeAttr.entrySet()) {
      int m = graph.edges(e.getKey()).numEdges();
      if (e.getValue().rows() != m) {
        throw new IllegalArgumentException(OP + ": edge features of relation " + e.getKey()
            + " have the wrong number of rows (got " + e.getValue().rows() + ", expected " + m
            + ")");
      }
    }
    if (target == null) {
      if (numClasses != 0 || y.length > 0 || train.length + val.length + test.length > 0) {
        throw new IllegalArgumentException(OP + ": labels or splits need a target node type"
            + " (got target null)");
      }
    } else {
      int n = graph.numNodes(target);
      if (y.length != n) {
        throw new IllegalArgumentException(OP + ": labels of target type '" + target
            + "' have the wrong length (got " + y.length + ", expected " + n + ")");
      }
      for (int i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= numClasses) {
          throw new IllegalArgumentException(OP + ": y[" + i + "] = " + y[i]
              + " is out of range [0, " + numClasses + ")");
        }
      }
      checkSplits(n, train, val, test);
    }
  }

  private static void checkSplits(int n, int[]... splits) {
    String[] names = {"train", "val", "test"};
    int[] owner = new int[n];
    for (int s = 0; s < splits.length; s++) {
      for (int i = 0; i < splits[s].length; i++) {
        int id = splits[s][i];
        if (id < 0 || id >= n) {
          throw new IllegalArgumentException(OP + ": " + names[s] + "[" + i + "] = " + id
              + " is out of range [0, " + n + ")");
        }
        if (owner[id] != 0) {
          throw new IllegalArgumentException(OP + ": node " + id + " is in " + names[owner[id] - 1]
              + " and " + names[s] + " (splits must not overlap)");
        }
        owner[id] = s + 1;
      }
    }
  }

  /** A dataset without labels: structure and features only. */
  public static HeteroDataset unlabelled(String name, HeteroGraph graph, Map<String, Table> x,
                                         Map<Relation, Table> edgeAttr) {
    int[] none = new int[0];
    return new HeteroDataset(name, graph, x, edgeAttr, null, 0, none, none, none, none);
  }

  /** Feature width of a node type: 0 for a type without features. */
  public int numFeatures(String type) {
    graph.numNodes(type); // names the known types when unknown
    Table t = x.get(type);
    return t == null ? 0 : t.cols();
  }

  /** Feature width of a relation's edges: 0 for a relation without edge features. */
  public int edgeDim(Relation r) {
    graph.edges(r);
    Table t = edgeAttr.get(r);
    return t == null ? 0 : t.cols();
  }

  /** The node features as tensors, per type that has features: [N_t, F_t] (a HeteroLayer's x). */
  public Map<String, Tensor> xTensors(Context ctx) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (var e : x.entrySet()) out.put(e.getKey(), e.getValue().toTensor(ctx));
    return out;
  }

  /** The edge features as tensors, per relation that has them: [E_r, D_r]. */
  public Map<Relation, Tensor> edgeAttrTensors(Context ctx) {
    Map<Relation, Tensor> out = new LinkedHashMap<>();
    for (var e : edgeAttr.entrySet()) out.put(e.getKey(), e.getValue().toTensor(ctx));
    return out;
  }

  public boolean hasTarget() {
    return target != null;
  }
}
