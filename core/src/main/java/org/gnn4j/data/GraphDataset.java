package org.gnn4j.data;

import java.util.Arrays;
import org.gnn4j.graph.EdgeIndex;

/**
 * Many small graphs packed one after the other (MUTAG, PROTEINS, ENZYMES, ZINC): the input of
 * graph classification and regression. Graph g owns nodes {@code nodeStart[g] ..
 * nodeStart[g+1]-1} and edges {@code edgeStart[g] .. edgeStart[g+1]-1}; edge ids in
 * {@code src}/{@code dst} are local to their graph. Node features are the dense attributes
 * followed by the one-hot node labels (PyG {@code TUDataset(use_node_attr=True)} order); the
 * labels are also kept as ints for embedding tables (atom types). Classification datasets carry
 * {@code y} (ints in [0, numClasses)), regression datasets {@code target} (floats).
 *
 * @param nodeStart [G+1] first node of each graph, nodeStart[G] = N
 * @param edgeStart [G+1] first edge of each graph, edgeStart[G] = E
 * @param src [E] local source id of each edge
 * @param dst [E] local target id of each edge
 * @param nodeLabels [N] categorical node label in [0, numNodeLabels), or null
 * @param nodeAttr [N, numNodeAttributes] row-major real attributes, or null
 * @param edgeLabels [E] categorical edge label in [0, numEdgeLabels), or null
 * @param y [G] class of each graph (classification), or null
 * @param target [G] real target of each graph (regression), or null
 * @param train graph ids for training (val and test likewise; empty when none)
 */
public record GraphDataset(String name, int[] nodeStart, int[] edgeStart, int[] src, int[] dst,
                           int[] nodeLabels, int numNodeLabels, float[] nodeAttr,
                           int numNodeAttributes, int[] edgeLabels, int numEdgeLabels, int[] y,
                           float[] target, int numClasses, int[] train, int[] val, int[] test) {

  /** Validates every length and range once, so batching and layers can trust the store. */
  public GraphDataset {
    String op = "GraphDataset(" + name + ")";
    int g = nodeStart.length - 1;
    if (g < 0 || edgeStart.length != g + 1 || nodeStart[0] != 0 || edgeStart[0] != 0) {
      throw new IllegalArgumentException(op + ": nodeStart and edgeStart must both have G+1"
          + " entries starting at 0 (got lengths " + nodeStart.length + ", " + edgeStart.length + ")");
    }
    for (int i = 0; i < g; i++) {
      if (nodeStart[i + 1] < nodeStart[i] || edgeStart[i + 1] < edgeStart[i]) {
        throw new IllegalArgumentException(op + ": graph " + i + " has a negative node or edge count");
      }
    }
    int n = nodeStart[g];
    int e = edgeStart[g];
    need(op, "src", src.length, e);
    need(op, "dst", dst.length, e);
    for (int i = 0; i < g; i++) {
      int size = nodeStart[i + 1] - nodeStart[i];
      for (int k = edgeStart[i]; k < edgeStart[i + 1]; k++) {
        if (src[k] < 0 || src[k] >= size || dst[k] < 0 || dst[k] >= size) {
          throw new IllegalArgumentException(op + ": edge " + k + " (" + src[k] + ", " + dst[k]
              + ") of graph " + i + " is out of range [0, " + size + ")");
        }
      }
    }
    if (nodeLabels != null) {
      need(op, "nodeLabels", nodeLabels.length, n);
      range(op, "nodeLabels", nodeLabels, numNodeLabels);
    } else if (numNodeLabels != 0) {
      throw new IllegalArgumentException(op + ": numNodeLabels is " + numNodeLabels + " without labels");
    }
    if (nodeAttr != null) need(op, "nodeAttr", nodeAttr.length, (long) n * numNodeAttributes);
    else if (numNodeAttributes != 0) throw new IllegalArgumentException(op + ": numNodeAttributes without nodeAttr");
    if (edgeLabels != null) {
      need(op, "edgeLabels", edgeLabels.length, e);
      range(op, "edgeLabels", edgeLabels, numEdgeLabels);
    } else if (numEdgeLabels != 0) {
      throw new IllegalArgumentException(op + ": numEdgeLabels is " + numEdgeLabels + " without labels");
    }
    if ((y == null) == (target == null)) {
      throw new IllegalArgumentException(op + ": exactly one of y (classes) and target (reals)"
          + " must be given");
    }
    if (y != null) {
      need(op, "y", y.length, g);
      range(op, "y", y, numClasses);
    } else {
      need(op, "target", target.length, g);
    }
    train = train == null ? new int[0] : train;
    val = val == null ? new int[0] : val;
    test = test == null ? new int[0] : test;
    range(op, "train", train, g);
    range(op, "val", val, g);
    range(op, "test", test, g);
  }

  private static void need(String op, String what, long got, long expected) {
    if (got != expected) {
      throw new IllegalArgumentException(op + ": " + what + " has length " + got + ", expected "
          + expected);
    }
  }

  private static void range(String op, String what, int[] v, int hi) {
    for (int i = 0; i < v.length; i++) {
      if (v[i] < 0 || v[i] >= hi) {
        throw new IllegalArgumentException(op + ": " + what + "[" + i + "] = " + v[i]
            + " is out of range [0, " + hi + ")");
      }
    }
  }

  /** Number of graphs G. */
  public int numGraphs() {
    return nodeStart.length - 1;
  }

  /** Total number of nodes N over all graphs. */
  public int numNodes() {
    return nodeStart[numGraphs()];
  }

  /** Total number of (directed) edges E over all graphs. */
  public int numEdges() {
    return edgeStart[numGraphs()];
  }

  public int numNodes(int graph) {
    return nodeStart[graph + 1] - nodeStart[graph];
  }

  public int numEdges(int graph) {
    return edgeStart[graph + 1] - edgeStart[graph];
  }

  /** Whether graphs carry a real target rather than a class. */
  public boolean isRegression() {
    return target != null;
  }

  /** Width of {@link #nodeFeatures}: attributes then one-hot labels. */
  public int numNodeFeatures() {
    return numNodeAttributes + numNodeLabels;
  }

  /** Width of the edge features: the one-hot edge labels. */
  public int numEdgeFeatures() {
    return numEdgeLabels;
  }

  /** Class counts [numClasses] (empty for regression). */
  public int[] classCounts() {
    int[] c = new int[y == null ? 0 : numClasses];
    if (y != null) for (int v : y) c[v]++;
    return c;
  }

  /** The edges of one graph with local ids, as an {@link EdgeIndex} of its nodes. */
  public EdgeIndex edgeIndex(int graph) {
    int a = edgeStart[graph];
    int b = edgeStart[graph + 1];
    return EdgeIndex.of(Arrays.copyOfRange(src, a, b), Arrays.copyOfRange(dst, a, b), numNodes(graph));
  }

  /**
   * Writes the feature rows of nodes {@code from .. to-1} (global ids) into {@code out} at
   * {@code outOffset}: [to-from, numNodeFeatures()] row-major, attributes then one-hot labels.
   */
  public void nodeFeatures(int from, int to, float[] out, int outOffset) {
    int f = numNodeFeatures();
    int a = numNodeAttributes;
    for (int v = from; v < to; v++) {
      int row = outOffset + (v - from) * f;
      if (a > 0) System.arraycopy(nodeAttr, v * a, out, row, a);
      if (nodeLabels != null) out[row + a + nodeLabels[v]] = 1f;
    }
  }

  /** A copy with other train/val/test graph ids (e.g. one cross-validation fold). */
  public GraphDataset withSplits(int[] train, int[] val, int[] test) {
    return new GraphDataset(name, nodeStart, edgeStart, src, dst, nodeLabels, numNodeLabels,
        nodeAttr, numNodeAttributes, edgeLabels, numEdgeLabels, y, target, numClasses,
        train, val, test);
  }

  @Override
  public String toString() {
    return "GraphDataset[" + name + ", G=" + numGraphs() + ", N=" + numNodes() + ", E="
        + numEdges() + ", F=" + numNodeFeatures() + (isRegression() ? ", regression"
        : ", classes=" + numClasses) + "]";
  }
}
