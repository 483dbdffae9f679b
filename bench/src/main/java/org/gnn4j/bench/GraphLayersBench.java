package org.gnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.gnn4j.autograd.Autograd;
import org.gnn4j.graph.BatchVector;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.EdgeSets;
import org.gnn4j.graph.ShortestPaths;
import org.gnn4j.nn.gn.GnBlock;
import org.gnn4j.nn.gn.GraphsTuple;
import org.gnn4j.nn.transformer.GraphTransformerLayer;
import org.gnn4j.nn.transformer.GraphormerBias;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.TransformerEncoderLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
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
 * One training step (forward + backward of sum(out)) of the graph-transformer layers built on
 * the generic ops, on a molecule-like batch: {@code graphs} rings of {@code nodes} nodes with
 * a chord every 6 nodes, both directions (~2.3 directed edges per node), width 64, 8 heads.
 * Also the shortest-path tables of that batch and a 256-token Transformer encoder layer on the
 * complete graph.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class GraphLayersBench {
  static final int C = 64;
  static final int HEADS = 8;

  @Param({"128"})
  int graphs;

  @Param({"24"})
  int nodes;

  @Param({"2"})
  int threads;

  Context ctx;
  EdgeIndex edges;
  int[] batch;
  ShortestPaths sp;
  Tensor x;
  Tensor e;
  Tensor eSmall;
  Tensor u;
  Tensor tokens;
  GraphTransformerLayer gt;
  GraphormerBias bias;
  GraphormerLayer graphormer;
  GnBlock gn;
  TransformerEncoderLayer encoder;

  @Setup(Level.Trial)
  public void setUp() {
    ctx = Context.builder().threads(threads).seed(1).build();
    SplittableRandom r = new SplittableRandom(1);
    int[] counts = new int[graphs];
    java.util.Arrays.fill(counts, nodes);
    batch = BatchVector.fromCounts(counts);
    edges = molecules(graphs, nodes);
    sp = ShortestPaths.compute(edges, batch, 5);
    x = ctx.randn(r, graphs * nodes, C).requiresGrad(true);
    e = ctx.randn(r, edges.numEdges(), C).requiresGrad(true);
    eSmall = ctx.randn(r, edges.numEdges(), 16);
    u = ctx.randn(r, graphs, 16);
    tokens = ctx.randn(r, 256, C).requiresGrad(true);
    gt = new GraphTransformerLayer(ctx, GraphTransformerLayer.Config.of(C, HEADS), r);
    bias = new GraphormerBias(ctx, 5, HEADS, 16, r);
    graphormer = new GraphormerLayer(ctx, GraphormerLayer.Config.sharedBias(C, HEADS, 2 * C), r);
    gn = new GnBlock(ctx, new GnBlock.Config(C, 16, 16, C, 16, 16,
        org.gnn4j.nn.pool.Aggregation.SUM, org.gnn4j.nn.pool.Aggregation.MEAN,
        org.gnn4j.nn.pool.Aggregation.MEAN), C, r);
    encoder = new TransformerEncoderLayer(ctx, new TransformerEncoderLayer.Config(C, HEADS,
        2 * C, true), r);
  }

  static EdgeIndex molecules(int graphs, int n) {
    int perGraph = 2 * (n + n / 6);
    int[] src = new int[graphs * perGraph];
    int[] dst = new int[src.length];
    int p = 0;
    for (int g = 0; g < graphs; g++) {
      int s = g * n;
      for (int i = 0; i < n; i++) {
        src[p] = s + i; dst[p++] = s + (i + 1) % n;
        src[p] = s + (i + 1) % n; dst[p++] = s + i;
      }
      for (int i = 0; i < n / 6; i++) {
        int a = s + 6 * i;
        int b = s + (6 * i + n / 2) % n;
        src[p] = a; dst[p++] = b;
        src[p] = b; dst[p++] = a;
      }
    }
    return EdgeIndex.of(src, dst, graphs * n);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    ctx.close();
  }

  private static float step(Tensor out) {
    Autograd.backward(out.sum());
    return out.data()[0];
  }

  @Benchmark
  public float graphTransformerStep() {
    var o = gt.forward(x, edges, e);
    return step(o.h().sum().add(o.e().sum()));
  }

  @Benchmark
  public float graphormerStep() {
    return step(graphormer.forward(x, sp.pairs(), bias.forward(sp, eSmall)));
  }

  @Benchmark
  public float gnBlockStep() {
    GraphsTuple out = gn.forward(new GraphsTuple(x, eSmall, u, edges, batch, graphs));
    return step(out.nodes());
  }

  @Benchmark
  public float encoderCompleteGraph256Step() {
    return step(encoder.forward(tokens));
  }

  @Benchmark
  public int shortestPaths() {
    return ShortestPaths.compute(edges, batch, 5).numPairs();
  }
}
