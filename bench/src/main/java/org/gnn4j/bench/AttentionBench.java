package org.gnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gnn4j.graph.Csr;
import org.gnn4j.graph.RandomGraph;
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
 * Paired scalar/vector forward of the fused graph-attention kernel (online softmax over each
 * node's in-edges and the weighted sum of values, per head). {@code gnn4j bench --kernel
 * attention} times forward + backward and reports memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class AttentionBench {
  @Param({"10000:100000", "200000:4000000"})
  String graph;

  @Param({"4"})
  int heads;

  @Param({"16"})
  int channels;

  @Param({"2"})
  int threads;

  int n;
  Csr csr;
  float[] q;
  float[] k;
  float[] v;
  float[] out;
  float[] lse;
  float scale;
  Parallel par;

  @Setup(Level.Trial)
  public void setUp() {
    String[] ne = graph.split(":");
    n = Integer.parseInt(ne[0]);
    SplittableRandom r = new SplittableRandom(1);
    csr = RandomGraph.uniform(n, Integer.parseInt(ne[1]), r).csrByDst();
    int hc = heads * channels;
    q = random(r, n * hc);
    k = random(r, n * hc);
    v = random(r, n * hc);
    out = new float[n * hc];
    lse = new float[n * heads];
    scale = (float) (1 / Math.sqrt(channels));
    par = new Parallel(threads);
  }

  private static float[] random(SplittableRandom r, int len) {
    float[] a = new float[len];
    for (int i = 0; i < len; i++) a[i] = (float) r.nextGaussian();
    return a;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    par.close();
  }

  @Benchmark
  public float[] forwardScalar() {
    Kernels.scalar().attention().forward(out, lse, q, k, v, null, null, csr.rowPtr(), csr.col(),
        csr.edge(), scale, n, heads, channels, par);
    return out;
  }

  @Benchmark
  public float[] forwardVector() {
    Kernels.vector().attention().forward(out, lse, q, k, v, null, null, csr.rowPtr(), csr.col(),
        csr.edge(), scale, n, heads, channels, par);
    return out;
  }
}
