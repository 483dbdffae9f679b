package org.gnn4j.data;

import org.gnn4j.graph.EdgeIndex;

/**
 * One graph with per-node features, labels and a train/validation/test split of its nodes
 * (Cora, karate club): the input of transductive node classification.
 *
 * @param x node features, row-major [numNodes, numFeatures]
 * @param y class of every node, in [0, numClasses)
 * @param train node ids used for training (val and test likewise; may be empty)
 */
public record NodeDataset(String name, int numNodes, int numFeatures, float[] x, EdgeIndex edges,
                          int numClasses, int[] y, int[] train, int[] val, int[] test) {

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
    return new NodeDataset(name, numNodes, numFeatures, nx, edges, numClasses, y, train, val, test);
  }
}
