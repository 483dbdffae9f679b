package org.gnn4j.pe;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Random-walk structural encodings (RWSE; Dwivedi et al., arXiv:2110.07875; PyG's
 * {@code AddRandomWalkPE(k)}): for every node i the landing probabilities (P^t)_ii, t = 1..K, of
 * the walk P = D^-1 A on the undirected simple graph of the edges ({@link Adjacency}; isolated
 * nodes get zeros). With S = D^-1/2 A D^-1/2 symmetric and P^t = D^-1/2 S^t D^1/2, the diagonal
 * is (P^t)_ii = (S^t)_ii = u_a . u_b with u_a = S^a e_i and a + b = t, so K/2 products suffice.
 *
 * <p>{@link Method#EXACT} computes that in double precision, one block of source nodes at a time
 * ({@link RwseExact}); it costs about N * nnz * K / 2 and is the choice for every graph of up to
 * {@link Options#exactLimit()} nodes (each small graph of a batch on its own).
 * {@link Method#ESTIMATED} ({@link RwseEstimator}) is exact for t &lt;= 2h from the sparse h-hop
 * neighbourhood, and for larger t averages, over W seeded random walks from i, the exact h-step
 * return probability (P^h)_{X_s i} of the node X_s the walk reached after s = t - h steps: an
 * unbiased estimate whose variance is tiny because large-t values are tiny.
 */
public final class RandomWalkPe {
  /** How to compute the diagonal. AUTO: exact up to the limit, estimated beyond. */
  public enum Method { AUTO, EXACT, ESTIMATED }

  /**
   * @param method see {@link Method}
   * @param exactLimit AUTO uses the exact method for graphs of at most this many nodes
   * @param walks W, walks per node of the estimator
   * @param exactHops h, the estimator's exact neighbourhood depth (exact for t &lt;= 2h)
   * @param seed seeds the walks (node i's walks depend only on seed and i)
   */
  public record Options(Method method, int exactLimit, int walks, int exactHops, long seed) {
    public Options {
      if (method == null || exactLimit < 0 || walks < 1 || exactHops < 1) {
        throw new IllegalArgumentException("RandomWalkPe: need a method, exactLimit >= 0, "
            + "walks >= 1, exactHops >= 1 (got " + method + ", " + exactLimit + ", " + walks
            + ", " + exactHops + ")");
      }
    }

    /** AUTO with exact up to 20,000 nodes, 16 walks, 2 exact hops, seed 0. */
    public static Options defaults() {
      return new Options(Method.AUTO, 20_000, 16, 2, 0);
    }
  }

  /**
   * @param k K, walk lengths 1..K
   * @param values [N * K] row-major: (P^t)_ii at i * K + t - 1
   * @param estimated [G] whether graph g used the estimator
   */
  public record Result(int k, double[] values, boolean[] estimated) {
    /** The encodings as a constant float tensor [N, K]. */
    public Tensor tensor(Context ctx) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      return ctx.tensor(f, values.length / k, k);
    }

    /** "exact", "estimated", or "mixed" over the graphs. */
    public String method() {
      boolean any = false;
      boolean all = true;
      for (boolean e : estimated) {
        any |= e;
        all &= e;
      }
      return !any ? "exact" : all ? "estimated" : "mixed";
    }
  }

  private RandomWalkPe() {}

  /** One graph, default options. */
  public static Result compute(EdgeIndex edges, int k, Context ctx) {
    return compute(Adjacency.undirected(edges), new int[] {edges.numNodes()}, k,
        Options.defaults(), ctx);
  }

  /**
   * A batch whose graph g owns the next {@code nodesPerGraph[g]} nodes.
   *
   * @throws IllegalArgumentException if k &lt; 1, a count is negative, the counts do not add up
   *     to N, or an edge joins two graphs
   */
  public static Result compute(Adjacency adj, int[] nodesPerGraph, int k, Options opt,
                               Context ctx) {
    int[] off = BatchVector.offsets("RandomWalkPe", adj.n(), nodesPerGraph);
    if (k < 1) throw new IllegalArgumentException("RandomWalkPe: k must be >= 1 (got " + k + ")");
    int g = nodesPerGraph.length;
    double[] values = new double[adj.n() * k];
    DoubleLoops loops = ContextAccess.kernels(ctx).doubles();
    boolean[] estimated = new boolean[g];
    for (int i = 0; i < g; i++) {
      estimated[i] = opt.method() == Method.ESTIMATED
          || (opt.method() == Method.AUTO && nodesPerGraph[i] > opt.exactLimit());
    }
    // Small exact graphs: one graph per task, spread over the threads.
    ContextAccess.parallel(ctx).forRange(g, 8, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        if (!estimated[i] && nodesPerGraph[i] <= RwseExact.BLOCK) {
          Adjacency sub = adj.slice(off[i], off[i + 1]);
          RwseExact.all(sub, k, values, off[i] * k, null, loops);
        }
      }
    });
    for (int i = 0; i < g; i++) {
      if (estimated[i] || nodesPerGraph[i] > RwseExact.BLOCK) {
        Adjacency sub = g == 1 ? adj : adj.slice(off[i], off[i + 1]);
        if (estimated[i]) {
          RwseEstimator.all(sub, k, opt, values, off[i] * k, ContextAccess.parallel(ctx));
        } else {
          RwseExact.all(sub, k, values, off[i] * k, ContextAccess.parallel(ctx), loops);
        }
      }
    }
    return new Result(k, values, estimated);
  }

  /**
   * Exact (P^t)_ii, t = 1..K, for the given nodes only (for checks of the estimator).
   *
   * @return [nodes.length * K]
   * @throws IllegalArgumentException if k &lt; 1 or a node is out of range
   */
  public static double[] exactForNodes(Adjacency adj, int[] nodes, int k, Context ctx) {
    if (k < 1) throw new IllegalArgumentException("RandomWalkPe: k must be >= 1 (got " + k + ")");
    for (int p = 0; p < nodes.length; p++) {
      if (nodes[p] < 0 || nodes[p] >= adj.n()) {
        throw new IllegalArgumentException("RandomWalkPe: nodes[" + p + "] = " + nodes[p]
            + " is out of range [0, " + adj.n() + ")");
      }
    }
    double[] out = new double[nodes.length * k];
    RwseExact.forNodes(adj, nodes, k, out, ContextAccess.parallel(ctx), ContextAccess.kernels(ctx).doubles());
    return out;
  }
}
