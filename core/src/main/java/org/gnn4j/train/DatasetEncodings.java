package org.gnn4j.train;

import java.util.SplittableRandom;
import org.gnn4j.data.GraphBatch;
import org.gnn4j.data.GraphDataset;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.ops.Concat;
import org.gnn4j.pe.Adjacency;
import org.gnn4j.pe.CycleCounts;
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
 * padding (K)], and only the vector columns are sign-flipped. With cycle counts (kind {@code none}
 * or {@code rwse}), each row ends with the node's counts of simple cycles of lengths 3..C
 * ({@link CycleCounts}).
 */
final class DatasetEncodings {
  private final String kind;
  private final int k;
  private final int cycles;
  private final float[] values;   // [N_total, width()]
  private final int[] nodeStart;

  private DatasetEncodings(String kind, int k, int cycles, float[] values, int[] nodeStart) {
    this.kind = kind;
    this.k = k;
    this.cycles = cycles;
    this.values = values;
    this.nodeStart = nodeStart;
  }

  /**
   * @param kind {@code none}, {@code lap}, {@code lap_spectrum} or {@code rwse}
   * @param cycles the longest cycle counted, 0 for no counts
   */
  static DatasetEncodings compute(String kind, int k, int cycles, GraphDataset data, Context ctx) {
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
    return new DatasetEncodings(kind, k, cycles, withCycles(kind, k, cycles, edges, counts, ctx), ns);
  }

  /** The encoding of one whole graph (node tasks). */
  static Tensor forGraph(String kind, int k, int cycles, EdgeIndex edges, Context ctx) {
    float[] v = withCycles(kind, k, cycles, edges, new int[] {edges.numNodes()}, ctx);
    return ctx.tensor(v, edges.numNodes(), width(kind, k, cycles));
  }

  /** Columns per node: K, or 3K for {@code lap_spectrum}, or none; plus C - 2 cycle counts. */
  private int width() {
    return width(kind, k, cycles);
  }

  private static int width(String kind, int k, int cycles) {
    int pe = kind.equals("none") ? 0 : kind.equals("lap_spectrum") ? 3 * k : k;
    return pe + (cycles > 0 ? CycleCounts.width(cycles) : 0);
  }

  /** Rows [encoding | cycle counts], [N, width]. */
  private static float[] withCycles(String kind, int k, int cycles, EdgeIndex edges, int[] counts,
                                    Context ctx) {
    float[] pe = kind.equals("none") ? new float[0] : encode(kind, k, edges, counts, ctx);
    if (cycles == 0) return pe;
    float[] c = CycleCounts.compute(Adjacency.undirected(edges), counts, cycles);   // [N, C - 2]
    int n = edges.numNodes();
    int wp = pe.length / Math.max(1, n);
    int wc = CycleCounts.width(cycles);
    float[] out = new float[n * (wp + wc)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(pe, i * wp, out, i * (wp + wc), wp);
      System.arraycopy(c, i * wc, out, i * (wp + wc) + wp, wc);
    }
    return out;
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
