package org.gnn4j.spark.train;

import java.io.Serializable;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * What every task of a data-parallel training stage reads: the graph's structure, the node
 * features (and positional encodings when the model takes them), the labels and the training
 * nodes, in a form Spark can broadcast. Broadcasting the whole graph suits graphs that fit one
 * executor's memory (the test datasets, and graphs up to a few GB); a deployment on a graph that
 * fits no executor would instead give each task the features of the nodes its sampled batches
 * reach, fetched by a join on the sampled ids, and the sampler a distributed CSR (DistDGL's
 * design); the training step itself would not change.
 *
 * @param x [numNodes, numFeatures] row-major
 * @param src [E] source of every edge (message direction: src to dst)
 * @param dst [E] target of every edge
 * @param y [numNodes] class of every node
 * @param train ids of the training nodes
 * @param pe [numNodes, peDim] the model's positional encoding, or null
 */
public record TrainingGraph(String name, int numNodes, int numFeatures, float[] x, int[] src, int[] dst,
                            int numClasses, int[] y, int[] train, float[] pe, int peDim)
    implements Serializable {

  /** The graph of a node dataset, with the encoding a task computed for it (may be null). */
  public static TrainingGraph of(NodeDataset d, Tensor pe) {
    return new TrainingGraph(d.name(), d.numNodes(), d.numFeatures(), d.x(), d.edges().src(), d.edges().dst(),
        d.numClasses(), d.y(), d.train(), pe == null ? null : pe.data(), pe == null ? 0 : pe.dim(1));
  }

  /** The dataset again (no validation or test nodes: tasks only train). */
  NodeDataset dataset() {
    return new NodeDataset(name, numNodes, numFeatures, x, EdgeIndex.of(src, dst, numNodes), numClasses, y,
        train, new int[0], new int[0]);
  }

  /** The positional encoding as a tensor of {@code ctx}, or null. */
  Tensor peTensor(Context ctx) {
    return pe == null ? null : ctx.tensor(pe, numNodes, peDim);
  }
}
