package org.gnn4j.data;

import org.gnn4j.graph.EdgeIndex;

/**
 * One graph with per-node features, labels and a train/validation/test split of its nodes
 * (Cora, karate club): the input of transductive node classification.
 *
 * @param x node features, row-major [numNodes, numFeatures]
 * @param y class of every node, in [0, numClasses)
 * @param train node ids used for training (val and test likewise; may be empty)
 * @param edgeType the relation of every edge [E], in [0, numRelations), for layers over typed
 *     edges (RGCN); null when the edges carry none
 * @param numRelations how many relations the edges may carry (0 without edge types)
 */
public record NodeDataset(String name, int numNodes, int numFeatures, float[] x, EdgeIndex edges,
                          int numClasses, int[] y, int[] train, int[] val, int[] test,
                          int[] edgeType, int numRelations) {
  /** @throws IllegalArgumentException when the edge types do not fit the edges or the relations */
  public NodeDataset {
    if ((edgeType == null) != (numRelations == 0) || numRelations < 0) {
      throw new IllegalArgumentException("NodeDataset: edge types and numRelations go together (got "
          + (edgeType == null ? "no edge types" : edgeType.length + " edge types") + " and numRelations "
          + numRelations + ")");
    }
    if (edgeType != null && edgeType.length != edges.numEdges()) {
      throw new IllegalArgumentException("NodeDataset: one edge type per edge (got " + edgeType.length
          + ", expected " + edges.numEdges() + ")");
    }
  }

  /** A dataset whose edges carry no relation. */
  public NodeDataset(String name, int numNodes, int numFeatures, float[] x, EdgeIndex edges,
                     int numClasses, int[] y, int[] train, int[] val, int[] test) {
    this(name, numNodes, numFeatures, x, edges, numClasses, y, train, val, test, null, 0);
  }

  /**
   * A copy whose feature rows sum to 1 (rows of zeros stay zero), as PyG's
   * {@code NormalizeFeatures} and Kipf &amp; Welling's preprocessing of Cora.
   */
  public NodeDataset withRowNormalizedFeatures() {
    float[] nx = x.clone();
    for (int i = 0; i < numNodes; i++) {
      double sum = 0;
      for (int j = 0; j < numFeatures; j++) sum += nx[i * numFeatures + j];
      if (sum == 0) continue;
      for (int j = 0; j < numFeatures; j++) nx[i * numFeatures + j] = (float) (nx[i * numFeatures + j] / sum);
    }
    return new NodeDataset(name, numNodes, numFeatures, nx, edges, numClasses, y, train, val, test,
        edgeType, numRelations);
  }
}
