package org.gnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.internal.kernel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Paired scalar/vector SpMM sum aggregation over the CSR by target on a uniform random graph.
 * {@code gnn4j bench --kernel spmm} adds the bandwidth bound of the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class SpmmBench {
  @Param({"10000:100000", "200000:4000000"})
  String graph;

  @Param({"64"})
  int f;

  @Param({"2"})
  int threads;

  int n;
  Csr csr;
  float[] x;
  float[] out;
  Parallel par;

  @Setup(Level.Trial)
  public void setUp() {
    String[] ne = graph.split(":");
    n = Integer.parseInt(ne[0]);
    int e = Integer.parseInt(ne[1]);
    SplittableRandom r = new SplittableRandom(1);
    int[] src = new int[e];
    int[] dst = new int[e];
    for (int i = 0; i < e; i++) {
      src[i] = r.nextInt(n);
      dst[i] = r.nextInt(n);
    }
    csr = EdgeIndex.of(src, dst, n).csrByDst();
    x = new float[n * f];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
    out = new float[n * f];
    par = new Parallel(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    par.close();
  }

  @Benchmark
  public float[] spmmScalar() {
    Kernels.scalar().graph().spmmCsr(out, csr.rowPtr(), csr.col(), csr.edge(), null, 1, x, n, f, par);
    return out;
  }

  @Benchmark
  public float[] spmmVector() {
    Kernels.vector().graph().spmmCsr(out, csr.rowPtr(), csr.col(), csr.edge(), null, 1, x, n, f, par);
    return out;
  }
}
