package org.gnn4j.pe;

import org.gnn4j.internal.kernel.ContextAccess;

import org.gnn4j.graph.BatchVector;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.DoubleLoops;
import org.gnn4j.internal.kernel.Parallel;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Laplacian eigenvector positional encodings (Dwivedi et al., arXiv:2003.00982; PyG's
 * {@code AddLaplacianEigenvectorPE(k, is_undirected=True)}): for every graph, the k
 * eigenvectors of the symmetric normalised Laplacian L = I - D^-1/2 A D^-1/2 with the smallest
 * non-trivial eigenvalues, and those eigenvalues, ascending. A is the undirected simple graph of
 * the edges ({@link Adjacency}); an isolated node has D^-1/2 = 0, so its row of L is the unit
 * row and it contributes eigenvalue 1 (as PyG).
 *
 * <p>Trivial means eigenvalue 0: each connected component with an edge has one trivial
 * eigenvector, D^1/2 1 restricted to it. For a connected graph this equals PyG (compute k + 1,
 * drop the smallest); for a disconnected graph all c trivial vectors are dropped, where PyG
 * would keep c - 1 of them (an arbitrary basis of the null space). Graphs of at most
 * {@link Options#denseLimit()} nodes are solved exactly by {@link DenseEigen}; larger ones by
 * {@link Lanczos} on S = D^-1/2 A D^-1/2 (the smallest eigenvalues of L are the largest of S)
 * with the trivial vectors deflated; with {@link Options#filterDegree()} > 0 Lanczos runs on a
 * {@link ChebyshevFilter} p(S) whose cut-off comes from a rough first run (a lower bound on the
 * k-th eigenvalue, so no wanted pair can fall below it), started from that run's Ritz vectors,
 * and the eigenvalues are the Rayleigh quotients v^T S v. {@link Result#matVecs()} counts the
 * products with S, the work of a solve independent of the machine's speed and load. Signs are fixed (the entry of largest magnitude is
 * positive); {@link #randomSignFlip} is the usual training-time augmentation. A graph with
 * fewer than k non-trivial eigenpairs (fewer than k + 1 nodes, or several components) gets
 * zero columns and zero eigenvalues in the missing slots, and {@link Result#valid()} says how
 * many slots are real.
 */
public final class LaplacianPe {
  /**
   * @param tol residual ||L v - lambda v|| at which Lanczos stops
   * @param subspace Lanczos basis size (0 = {@link Lanczos.Options#defaults})
   * @param denseLimit graphs with at most this many nodes use the dense solver
   * @param seed seeds the Lanczos start vectors (graph g uses the g-th split)
   * @param filterDegree degree of the Chebyshev filter for large graphs (0 = none)
   * @param block Lanczos block size (0 = {@link Lanczos.Options#defaults}, 2; 1 is faster on
   *     some graphs but finds only one vector of a repeated eigenvalue for sure)
   */
  public record Options(double tol, int subspace, int denseLimit, long seed, int filterDegree,
                        int block) {
    public Options {
      if (!(tol > 0) || subspace < 0 || denseLimit < 1 || filterDegree < 0 || block < 0) {
        throw new IllegalArgumentException("LaplacianPe: need tol > 0, subspace >= 0, "
            + "denseLimit >= 1, filterDegree >= 0, block >= 0 (got " + tol + ", " + subspace
            + ", " + denseLimit + ", " + filterDegree + ", " + block + ")");
      }
    }

    /** Default Lanczos block ({@link Lanczos.Options#defaults}). */
    public Options(double tol, int subspace, int denseLimit, long seed, int filterDegree) {
      this(tol, subspace, denseLimit, seed, filterDegree, 0);
    }

    /** Without a Chebyshev filter (plain Lanczos on S). */
    public Options(double tol, int subspace, int denseLimit, long seed) {
      this(tol, subspace, denseLimit, seed, 0, 0);
    }

    /**
     * tol 1e-5, default subspace and block, dense up to 100 nodes, seed 0, filter degree 5 (odd:
     * its damped interval starts near the bottom of S's spectrum instead of at -1). A lower
     * degree takes fewer S mat-vecs but more Lanczos columns, each a Gram-Schmidt pass over the
     * basis; with that pass now a single one per block, 5 is where the two balance.
     */
    public static Options defaults() {
      return new Options(1e-5, 0, 100, 0, 5, 0);
    }
  }

  /**
   * The encodings of a batch of G graphs with N nodes in total.
   *
   * @param k encoding width K
   * @param nodesPerGraph [G]
   * @param vectors [N * K] row-major: node i's entry of eigenvector j at i * K + j
   * @param values [G * K] eigenvalues of graph g at g * K + j, ascending (0 in padded slots)
   * @param valid [G] how many of the K slots of each graph hold a real eigenpair
   * @param residuals [G * K] ||L v - lambda v|| of each pair, computed explicitly
   * @param matVecs [G] products of a vector with S that each graph's solve took, the final
   *     residual checks included: the work, independent of the machine and its load
   */
  public record Result(int k, int[] nodesPerGraph, double[] vectors, double[] values,
                       int[] valid, double[] residuals, long[] matVecs) {
    /** Eigenvectors as a constant float tensor [N, K]. */
    public Tensor vectors(Context ctx) {
      return ctx.tensor(toFloat(vectors), vectors.length / Math.max(1, k), k);
    }

    /** Each node's graph's eigenvalues, [N, K] (GraphGPS's EigVals layout). */
    public Tensor valuesPerNode(Context ctx) {
      return perNode(ctx, values);
    }

    /** 1 where a slot holds a real eigenpair, 0 where it is padding, [N, K]. */
    public Tensor mask(Context ctx) {
      double[] m = new double[values.length];
      for (int g = 0; g < valid.length; g++) {
        for (int j = 0; j < valid[g]; j++) m[g * k + j] = 1;
      }
      return perNode(ctx, m);
    }

    /** Largest residual over all real pairs (0 if none). */
    public double maxResidual() {
      double r = 0;
      for (double x : residuals) r = Math.max(r, x);
      return r;
    }

    private Tensor perNode(Context ctx, double[] perGraph) {
      int n = vectors.length / Math.max(1, k);
      float[] out = new float[n * k];
      int node = 0;
      for (int g = 0; g < nodesPerGraph.length; g++) {
        for (int i = 0; i < nodesPerGraph[g]; i++, node++) {
          for (int j = 0; j < k; j++) out[node * k + j] = (float) perGraph[g * k + j];
        }
      }
      return ctx.tensor(out, n, k);
    }

    private static float[] toFloat(double[] d) {
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
      return f;
    }
  }

  private static final System.Logger LOG = System.getLogger("org.gnn4j.pe");

  private LaplacianPe() {}

  /** One graph, default options. */
  public static Result compute(EdgeIndex edges, int k, Context ctx) {
    return compute(Adjacency.undirected(edges), new int[] {edges.numNodes()}, k,
        Options.defaults(), ctx);
  }

  /** A batch whose graph g owns the next {@code nodesPerGraph[g]} nodes; default options. */
  public static Result compute(EdgeIndex edges, int[] nodesPerGraph, int k, Context ctx) {
    return compute(Adjacency.undirected(edges), nodesPerGraph, k, Options.defaults(), ctx);
  }

  /**
   * @throws IllegalArgumentException if k &lt; 1, a count is negative, the counts do not add up
   *     to N, or an edge joins two graphs
   */
  public static Result compute(Adjacency adj, int[] nodesPerGraph, int k, Options opt,
                               Context ctx) {
    int[] offsets = BatchVector.offsets("LaplacianPe", adj.n(), nodesPerGraph);
    if (k < 1) {
      throw new IllegalArgumentException("LaplacianPe: k must be >= 1 (got " + k + ")");
    }
    int g = nodesPerGraph.length;
    Result out = new Result(k, nodesPerGraph.clone(), new double[adj.n() * k],
        new double[g * k], new int[g], new double[g * k], new long[g]);
    SplittableRandom root = new SplittableRandom(opt.seed());
    SplittableRandom[] rngs = new SplittableRandom[g];
    for (int i = 0; i < g; i++) rngs[i] = root.split();
    // Small graphs: one dense solve each, graphs spread over the threads.
    ContextAccess.parallel(ctx).forRange(g, 16, (c, from, to) -> {
      for (int i = from; i < to; i++) {
        if (nodesPerGraph[i] <= opt.denseLimit()) {
          solve(adj.slice(offsets[i], offsets[i + 1]), i, offsets[i], k, opt, rngs[i], null,
              DoubleLoops.scalar(), out);
        }
      }
    });
    for (int i = 0; i < g; i++) {
      if (nodesPerGraph[i] > opt.denseLimit()) {
        Adjacency sub = g == 1 ? adj : adj.slice(offsets[i], offsets[i + 1]);
        solve(sub, i, offsets[i], k, opt, rngs[i], ContextAccess.parallel(ctx), ContextAccess.kernels(ctx).doubles(),
            out);
      }
    }
    return out;
  }

  /** Solves graph {@code g} (nodes from {@code offset}) into its slots of out. */
  private static void solve(Adjacency a, int g, int offset, int k, Options opt,
                            SplittableRandom rng, Parallel par, DoubleLoops loops,
                            Result out) {
    int n = a.n();
    NormalizedAdjacency s = new NormalizedAdjacency(a, par == null ? new Parallel(1) : par, loops);
    int dim = n - s.trivialCount();
    int want = Math.min(k, dim);
    if (want == 0) return;
    double[] values = new double[want];       // eigenvalues of L, ascending
    double[][] vecs = new double[want][];
    if (par == null || n <= opt.denseLimit()) {
      DenseEigen.Result e = DenseEigen.symmetric(s.denseLaplacian());
      // The first trivialCount eigenvalues are the zeros of the components with edges.
      for (int j = 0; j < want; j++) {
        int idx = s.trivialCount() + j;
        values[j] = e.values()[idx];
        vecs[j] = new double[n];
        for (int i = 0; i < n; i++) vecs[j][i] = e.vectors()[i][idx];
      }
    } else {
      Lanczos.Options d = Lanczos.Options.defaults(want);
      Lanczos.Options lo = new Lanczos.Options(opt.subspace() > 0 ? opt.subspace() : d.subspace(),
          opt.block() > 0 ? opt.block() : d.block(), opt.tol(), d.maxRestarts());
      Lanczos.Result r = opt.filterDegree() > 0 && dim > 4 * lo.subspace()
          ? filtered(s, want, dim, lo, opt.filterDegree(), rng, par, loops)
          : Lanczos.largest(s, want, dim, s::deflate, lo, rng, par, loops);
      for (int j = 0; j < want; j++) {
        values[j] = 1 - r.values()[j];
        vecs[j] = r.vectors()[j];
      }
    }
    double[] y = new double[n];
    for (int j = 0; j < want; j++) {
      fixSign(vecs[j]);
      s.apply(vecs[j], y);
      // L v - lambda v = (v - S v) - lambda v
      double r2 = 0;
      for (int i = 0; i < n; i++) {
        double d = vecs[j][i] - y[i] - values[j] * vecs[j][i];
        r2 += d * d;
      }
      out.residuals()[g * k + j] = Math.sqrt(r2);
      out.values()[g * k + j] = values[j];
      for (int i = 0; i < n; i++) out.vectors()[(offset + i) * k + j] = vecs[j][i];
    }
    out.valid()[g] = want;
    out.matVecs()[g] = s.matVecs();
  }

  /**
   * Lanczos on the Chebyshev polynomial p(S) over [lo, hi] (S's spectrum lies in [-1, 1]), hi a
   * little under the want-th Ritz value of a rough plain run (Ritz values interlace, so that
   * one is at most the want-th eigenvalue), started from random combinations of that run's
   * Ritz vectors. Values returned are S's Rayleigh quotients.
   */
  private static Lanczos.Result filtered(NormalizedAdjacency s, int want, int dim,
                                         Lanczos.Options lo, int degree, SplittableRandom rng,
                                         Parallel par, DoubleLoops loops) {
    long t0 = System.nanoTime();
    Lanczos.Options rough = new Lanczos.Options(Math.max(2 * want + 8, 24), 1, 1e-2, 3);
    Lanczos.Result first = Lanczos.largest(s, want, dim, s::deflate, rough, rng, par, loops);
    long roughNanos = System.nanoTime() - t0;
    long roughMatVecs = s.matVecs();
    double bottom = first.values()[want - 1];
    double hi = bottom - 0.01 * (1 + bottom);
    if (!(hi > -1 + 1e-3)) {
      return Lanczos.largest(s, want, dim, s::deflate, lo, rng, par, loops);
    }
    // An odd T_q is negative below the damped interval, so an eigenvalue under a misjudged
    // bottom only slows Lanczos down; an even one would make it the largest of p(S). Odd degrees
    // therefore damp from a little under the rough run's lowest Ritz value (S's spectrum starts
    // near -0.44 on a random graph of mean degree 20, not at -1, and a narrower interval
    // stretches the wanted end more), even degrees from -1.
    double bottomOfS = degree % 2 == 1
        ? Math.max(-1, first.lowest() - 0.1 * (hi - first.lowest())) : -1;
    ChebyshevFilter p = new ChebyshevFilter(s, degree, bottomOfS, hi);
    // p stretches the wanted end: its residuals are about p' times S's (residualScale), so that
    // projected test only estimates S's residual, and directions in the damped range keep a
    // larger one. Lanczos therefore stops when S's residuals, measured, are at most tol (the
    // Acceptance; a refusal tightens the estimate and goes on); should it give up first, the
    // run is repeated with a 10x tighter estimate.
    double[][] start = startBlock(first.vectors(), lo.block(), rng);
    double ptol = lo.tol();
    double[] y = new double[s.size()];
    double[] theta = new double[want];
    double[] res = new double[want];
    for (int attempt = 0; ; attempt++) {
      Lanczos.Options po = new Lanczos.Options(lo.subspace(), lo.block(), ptol, lo.maxRestarts());
      double[][][] measured = new double[1][][];    // the vectors theta and res belong to
      Lanczos.Result r = Lanczos.largest(p, want, dim, s::deflate, po, rng, par, loops, v -> {
        measured[0] = v;
        return rayleigh(s, v, y, theta, res) <= lo.tol();
      }, start);
      // Accepted vectors were measured just now; only a run that gave up needs measuring.
      double worst = measured[0] == r.vectors() ? max(res)
          : rayleigh(s, r.vectors(), y, theta, res);
      if (worst <= lo.tol() || attempt == 2) {
        LOG.log(System.Logger.Level.DEBUG, () -> String.format(java.util.Locale.ROOT,
            "LaplacianPe: n %d, filter degree %d on [%.4f, %.4f]: rough run %d mat-vecs %.0f ms;"
            + " filtered run %d mat-vecs, %d restarts, %.0f ms (filter %.0f ms)",
            s.size(), degree, p.lo(), hi, roughMatVecs, roughNanos / 1e6,
            s.matVecs() - roughMatVecs, r.restarts(), (System.nanoTime() - t0 - roughNanos) / 1e6,
            p.nanos() / 1e6));
        return new Lanczos.Result(theta.clone(), r.vectors(), res.clone(), r.matVecs() * degree,
            r.restarts(), worst <= lo.tol(), r.lowest());
      }
      ptol /= 10;
    }
  }

  /**
   * b start vectors for the filtered run, each a random combination of the rough run's Ritz
   * vectors plus a random vector of equal norm: the combination puts the wanted directions
   * (which the rough vectors hold with weights near 1, where a random vector holds about
   * n^-1/2) into the first Krylov vectors; the random part keeps the b vectors independent in
   * every eigenspace, so a block of b still finds eigenvalues of multiplicity b (the rough run's
   * single-vector Krylov space sees one direction of each).
   */
  private static double[][] startBlock(double[][] ritz, int b, SplittableRandom rng) {
    int n = ritz[0].length;
    double[][] start = new double[b][n];
    for (double[] x : start) {
      for (double[] v : ritz) {
        double c = rng.nextDouble() * 2 - 1;
        for (int i = 0; i < n; i++) x[i] += c * v[i];
      }
      double[] r = new double[n];
      for (int i = 0; i < n; i++) r[i] = rng.nextDouble() * 2 - 1;
      double scale = Math.sqrt(dot(x, x) / dot(r, r));
      for (int i = 0; i < n; i++) x[i] += scale * r[i];
    }
    return start;
  }

  private static double max(double[] x) {
    double m = 0;
    for (double e : x) m = Math.max(m, e);
    return m;
  }

  private static double dot(double[] x, double[] y) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) sum += x[i] * y[i];
    return sum;
  }

  /**
   * theta[j] = v_j^T S v_j and res[j] = ||S v_j - theta[j] v_j|| for unit vectors v_j (y is
   * scratch of length n); returns the largest residual.
   */
  private static double rayleigh(NormalizedAdjacency s, double[][] vecs, double[] y,
                                 double[] theta, double[] res) {
    double worst = 0;
    for (int j = 0; j < vecs.length; j++) {
      double[] v = vecs[j];
      s.apply(v, y);
      double q = 0;
      for (int i = 0; i < y.length; i++) q += y[i] * v[i];
      double r2 = 0;
      for (int i = 0; i < y.length; i++) r2 += (y[i] - q * v[i]) * (y[i] - q * v[i]);
      theta[j] = q;
      res[j] = Math.sqrt(r2);
      worst = Math.max(worst, res[j]);
    }
    return worst;
  }

  /** Makes the entry of largest magnitude positive (the first one on ties). */
  static void fixSign(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[best])) best = i;
    if (v.length > 0 && v[best] < 0) for (int i = 0; i < v.length; i++) v[i] = -v[i];
  }

  /**
   * Training-time augmentation: multiplies each eigenvector column of each graph by an
   * independent random sign (eigenvectors are only defined up to sign).
   *
   * @param vectors [N, K]
   * @param nodesPerGraph [G], adding up to N
   * @return a new constant tensor [N, K]
   */
  public static Tensor randomSignFlip(Tensor vectors, int[] nodesPerGraph, SplittableRandom rng) {
    if (vectors.rank() != 2) {
      throw new IllegalArgumentException("LaplacianPe.randomSignFlip: vectors must be [N, K] (got "
          + vectors.shape() + ")");
    }
    int n = vectors.dim(0);
    int k = vectors.dim(1);
    BatchVector.offsets("LaplacianPe.randomSignFlip", n, nodesPerGraph);
    float[] src = vectors.data();
    float[] dst = new float[src.length];
    int node = 0;
    float[] sign = new float[k];
    for (int count : nodesPerGraph) {
      for (int j = 0; j < k; j++) sign[j] = rng.nextBoolean() ? 1f : -1f;
      for (int i = 0; i < count; i++, node++) {
        for (int j = 0; j < k; j++) dst[node * k + j] = sign[j] * src[node * k + j];
      }
    }
    return vectors.ctx().tensor(dst, n, k);
  }
}
