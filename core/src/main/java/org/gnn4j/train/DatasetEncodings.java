package org.gnn4j.train;

import java.util.SplittableRandom;
import org.gnn4j.data.GraphBatch;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.ops.Concat;
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.LaplacianPe;
import org.gnn4j.pe.RandomWalkPe;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Positional or structural encodings of every node of a graph dataset, computed once per graph
 * when a run starts (the graphs do not change between epochs) and cut into batches as they are
 * collated. Laplacian eigenvectors get a random sign per eigenvector and graph in training
 * batches (the usual augmentation for their sign ambiguity); evaluation sees the fixed signs.
 * Kind {@code lap_spectrum} is the Laplacian encoding with what a DeepSets encoder reads besides
 * the vectors: each row is [vectors (K) | the graph's eigenvalues (K) | 1 for real slots, 0 for
 * padding (K)], and only the vector columns are sign-flipped.
 */
final class DatasetEncodings {
  private final String kind;
  private final int k;
  private final float[] values;   // [N_total, width()]
  private final int[] nodeStart;

  private DatasetEncodings(String kind, int k, float[] values, int[] nodeStart) {
    this.kind = kind;
    this.k = k;
    this.values = values;
    this.nodeStart = nodeStart;
  }

  /** @param kind {@code lap}, {@code lap_spectrum} or {@code rwse} */
  static DatasetEncodings compute(String kind, int k, GraphDataset data, Context ctx) {
    int g = data.numGraphs();
    int[] ns = data.nodeStart();
    int[] es = data.edgeStart();
    int[] src = new int[data.numEdges()];
    int[] dst = new int[data.numEdges()];
    int[] counts = new int[g];
    for (int i = 0; i < g; i++) {
      counts[i] = ns[i + 1] - ns[i];
      for (int e = es[i]; e < es[i + 1]; e++) {
        src[e] = data.src()[e] + ns[i];
        dst[e] = data.dst()[e] + ns[i];
      }
    }
    EdgeIndex edges = EdgeIndex.of(src, dst, data.numNodes());
    return new DatasetEncodings(kind, k, encode(kind, k, edges, counts, ctx), ns);
  }

  /** The encoding of one whole graph (node tasks). */
  static Tensor forGraph(String kind, int k, EdgeIndex edges, Context ctx) {
    float[] v = encode(kind, k, edges, new int[] {edges.numNodes()}, ctx);
    return ctx.tensor(v, edges.numNodes(), v.length / Math.max(1, edges.numNodes()));
  }

  /** Columns per node: K, or 3K for {@code lap_spectrum}. */
  private int width() {
    return kind.equals("lap_spectrum") ? 3 * k : k;
  }

  private static float[] encode(String kind, int k, EdgeIndex edges, int[] counts, Context ctx) {
    return switch (kind) {
      case "lap" -> LaplacianPe.compute(Adjacency.undirected(edges), counts, k, LaplacianPe.Options.defaults(), ctx)
          .vectors(ctx).data();
      case "lap_spectrum" -> spectrum(LaplacianPe.compute(Adjacency.undirected(edges), counts, k,
          LaplacianPe.Options.defaults(), ctx), ctx);
      case "rwse" -> RandomWalkPe.compute(Adjacency.undirected(edges), counts, k, RandomWalkPe.Options.defaults(), ctx)
          .tensor(ctx).data();
      default -> throw new IllegalArgumentException("unknown encoding '" + kind + "' (valid: lap, lap_spectrum, rwse)");
    };
  }

  /** Rows [vectors | eigenvalues | mask], [N, 3K]. */
  private static float[] spectrum(LaplacianPe.Result r, Context ctx) {
    return Concat.concat(1, r.vectors(ctx), r.valuesPerNode(ctx), r.mask(ctx)).data();
  }

  /** The rows of a batch's nodes, [N_batch, k]; sign-flipped per graph when {@code rng} is given. */
  Tensor of(GraphBatch b, SplittableRandom rng, Context ctx) {
    int w = width();
    float[] out = new float[b.numNodes() * w];
    int row = 0;
    for (int id : b.graphIds()) {
      int len = (nodeStart[id + 1] - nodeStart[id]) * w;
      System.arraycopy(values, nodeStart[id] * w, out, row, len);
      row += len;
    }
    Tensor t = ctx.tensor(out, b.numNodes(), w);
    if (rng != null && kind.equals("lap")) t = LaplacianPe.randomSignFlip(t, b.nodesPerGraph(), rng);
    if (rng != null && kind.equals("lap_spectrum")) {
      Tensor[] parts = Concat.split(t, 1, k, 2 * k);
      t = Concat.concat(1, LaplacianPe.randomSignFlip(parts[0], b.nodesPerGraph(), rng), parts[1]);
    }
    return t;
  }
}
