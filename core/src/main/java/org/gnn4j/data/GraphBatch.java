package org.gnn4j.data;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.gnn4j.tensor.Tensor;

/**
 * Several graphs of a dataset joined into one disconnected {@link Graph} with their features and
 * labels (PyG's {@code Batch.from_data_list}): node rows are concatenated graph after graph, each
 * graph's edge ids are offset by its first node, so a GNN runs over the whole batch as over one
 * graph and a readout pools per graph.
 *
 * @param graph the structure: batch-level edges and the node count of every graph
 * @param x [N, F] node features (attributes then one-hot labels); F may be 0
 * @param nodeLabels [N] categorical node labels, or null
 * @param edgeAttr [E, numEdgeLabels] one-hot edge labels, or null
 * @param edgeLabels [E] categorical edge labels, or null
 * @param edgesPerGraph [G]
 * @param y [G] classes (classification), or null
 * @param target [G, 1] real targets (regression), or null
 * @param graphIds [G] the dataset ids of the graphs, in batch order
 */
public record GraphBatch(Graph graph, Tensor x, int[] nodeLabels, Tensor edgeAttr,
                         int[] edgeLabels, int[] edgesPerGraph, int[] y, Tensor target,
                         int[] graphIds) {

  /** Number of graphs G in the batch. */
  public int numGraphs() {
    return graphIds.length;
  }

  /** Number of nodes N in the batch. */
  public int numNodes() {
    return graph.numNodes();
  }

  /** The batch-level edges. */
  public EdgeIndex edges() {
    return graph.edges();
  }

  /** [N] graph (0 .. G-1 within the batch) of every node, ascending. */
  public int[] batch() {
    return graph.batch();
  }

  /** [G] node count of every graph. */
  public int[] nodesPerGraph() {
    return graph.nodesPerGraph();
  }

  /** What a model reads of the batch: features, types and the structure; no encoding yet. */
  public ModelInput input() {
    return new ModelInput(x, nodeLabels, graph, edgeAttr, edgeLabels, null);
  }

  /**
   * Joins the graphs {@code graphIds} of {@code data} (in that order; repeats allowed).
   *
   * @throws IllegalArgumentException if a graph id is out of range
   */
  public static GraphBatch collate(GraphDataset data, int[] graphIds, Context ctx) {
    int g = graphIds.length;
    int[] graphPtr = new int[g + 1];
    int[] edgePtr = new int[g + 1];
    int[] nodesPer = new int[g];
    int[] edgesPer = new int[g];
    for (int i = 0; i < g; i++) {
      int id = graphIds[i];
      if (id < 0 || id >= data.numGraphs()) {
        throw new IllegalArgumentException("GraphBatch.collate: graphIds[" + i + "] = " + id
            + " is out of range [0, " + data.numGraphs() + ")");
      }
      nodesPer[i] = data.numNodes(id);
      edgesPer[i] = data.numEdges(id);
      graphPtr[i + 1] = Math.addExact(graphPtr[i], nodesPer[i]);
      edgePtr[i + 1] = Math.addExact(edgePtr[i], edgesPer[i]);
    }
    int n = graphPtr[g];
    int e = edgePtr[g];
    int f = data.numNodeFeatures();
    int fe = data.numEdgeFeatures();
    float[] x = new float[Math.multiplyExact(n, f)];                // [N, F]
    float[] ea = fe == 0 ? null : new float[Math.multiplyExact(e, fe)]; // [E, Fe]
    int[] nodeLabels = data.nodeLabels() == null ? null : new int[n];
    int[] edgeLabels = data.edgeLabels() == null ? null : new int[e];
    int[] src = new int[e];
    int[] dst = new int[e];
    for (int i = 0; i < g; i++) {
      int id = graphIds[i];
      int v0 = data.nodeStart()[id];
      int e0 = data.edgeStart()[id];
      data.nodeFeatures(v0, v0 + nodesPer[i], x, graphPtr[i] * f);
      if (nodeLabels != null) System.arraycopy(data.nodeLabels(), v0, nodeLabels, graphPtr[i], nodesPer[i]);
      for (int k = 0; k < edgesPer[i]; k++) {
        int out = edgePtr[i] + k;
        src[out] = data.src()[e0 + k] + graphPtr[i];
        dst[out] = data.dst()[e0 + k] + graphPtr[i];
        if (edgeLabels != null) {
          edgeLabels[out] = data.edgeLabels()[e0 + k];
          if (ea != null) ea[out * fe + edgeLabels[out]] = 1f;
        }
      }
    }
    int[] y = null;
    Tensor target = null;
    if (data.isRegression()) {
      float[] t = new float[g];
      for (int i = 0; i < g; i++) t[i] = data.target()[graphIds[i]];
      target = new Tensor(ctx, Shape.of(g, 1), t);
    } else {
      y = new int[g];
      for (int i = 0; i < g; i++) y[i] = data.y()[graphIds[i]];
    }
    return new GraphBatch(Graph.batched(EdgeIndex.of(src, dst, n), nodesPer),
        new Tensor(ctx, Shape.of(n, f), x), nodeLabels,
        ea == null ? null : new Tensor(ctx, Shape.of(e, fe), ea), edgeLabels, edgesPer, y, target,
        graphIds.clone());
  }
}
