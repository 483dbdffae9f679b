package org.gnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Paired scalar/vector SGEMM (C = A B, square n) on a pool of {@code threads}. Divide
 * 2 n^3 by the score to get FLOP/s; {@code gnn4j bench --kernel sgemm} prints GFLOP/s next to
 * OpenBLAS directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SgemmBench {
  @Param({"256", "1024"})
  int n;

  @Param({"2"})
  int threads;

  float[] a;
  float[] b;
  float[] c;
  Parallel par;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom r = new SplittableRandom(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
      b[i] = (float) r.nextGaussian();
    }
    par = new Parallel(threads);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    par.close();
  }

  @Benchmark
  public float[] sgemmScalar() {
    Kernels.scalar().dense().sgemm(c, 0, n, 0f, a, 0, n, false, b, 0, n, false, 1f, n, n, n, par);
    return c;
  }

  @Benchmark
  public float[] sgemmVector() {
    Kernels.vector().dense().sgemm(c, 0, n, 0f, a, 0, n, false, b, 0, n, false, 1f, n, n, n, par);
    return c;
  }
}
