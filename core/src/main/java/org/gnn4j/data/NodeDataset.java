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
                          int numClasses, int[] y, int[] train, int[] val, int[] test) {}
