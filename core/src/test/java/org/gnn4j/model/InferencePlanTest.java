package org.gnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.internal.kernel.Kernels;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The eval-mode forward on reused buffers ({@link InferencePlan}) against the op-by-op forward
 * of the same model: the same bits for graphs of changing sizes (so buffers grown for a large
 * graph are reused, part-filled, for a small one), for batches of graphs, and from 8 threads at
 * once; inputs it does not take go the op-by-op way and fail there as before.
 */
class InferencePlanTest {
  private static final String ZINC_LIKE = "layer: gine\nlayers: 3\nhidden: 24\nnorm: batch\nresidual: true\n"
      + "encoder: {node: embedding, edge: embedding, pe: rwse, pe_k: 8, pe_dim: 8}\npooling: sum\nhead: {type: mlp, layers: 3}";
  private static final int NODE_TYPES = 9;
  private static final int EDGE_TYPES = 4;
  private static final int FEATURES = 5;

  /** ZINC-like (atom and bond types embedded, RWSE) and with dense features, mean pooling, no norm. */
  @ParameterizedTest
  @ValueSource(strings = {ZINC_LIKE,
      "layer: gine\nlayers: 2\nhidden: 16\nnorm: none\nresidual: false\n"
          + "encoder: {node: linear, edge: embedding, pe: rwse, pe_k: 4, pe_dim: 4}\npooling: mean\nhead: {type: mlp, layers: 2}",
      "layer: gine\nlayers: 2\nhidden: 16\nnorm: batch\nresidual: true\nencoder: {node: linear, edge: embedding}\n"
          + "pooling: none\nhead: {type: mlp, layers: 2}"})
  void equalsTheOpByOpForwardBitForBitAcrossGraphSizes(String config) {
    for (Kernels kernels : new Kernels[] {Kernels.scalar(), Kernels.vector()}) {
      try (Context ctx = Context.builder().threads(2).seed(3).kernels(kernels).build()) {
        equalsOpByOp(ctx, config);
      }
    }
  }

  private static void equalsOpByOp(Context ctx, String config) {
    GraphModel model = model(ctx, config);
    assertTrue(model.hasInferencePlan(), "a GINE stack is one the plan covers");
    SplittableRandom rng = new SplittableRandom(11);
    // large first, then smaller and larger again: buffers are grown, then reused part-filled
    int[] sizes = {60, 7, 31, 2, 75, 12, 12, 40};
    for (int n : sizes) {
      ModelInput in = input(ctx, model.spec(), rng, n);
      float[] opByOp = model.forward(in).data().clone();      // grad on: the plan steps aside
      float[] planned;
      try (var s = ctx.noGrad()) {
        Tensor direct = model.inferencePlan().forward(in);
        assertNotNull(direct, "the plan takes a well-formed input (n = " + n + ")");
        planned = direct.data().clone();
        assertArrayEquals(planned, model.forward(in).data(), 0f, "forward goes through the plan");
      }
      assertArrayEquals(opByOp, planned, 0f, ctx.kernelsName() + ", n = " + n);
    }
    // batches of graphs (pooling over each); the large one takes the packed SGEMM path
    int[] large = new int[24];
    for (int i = 0; i < large.length; i++) large[i] = 10 + rng.nextInt(30);
    for (int[] sizes2 : new int[][] {{5, 9, 1, 22}, large}) {
      ModelInput batch = batchInput(ctx, model.spec(), rng, sizes2);
      float[] opByOp = model.forward(batch).data().clone();
      try (var s = ctx.noGrad()) {
        assertArrayEquals(opByOp, model.forward(batch).data(), 0f, "batch of " + sizes2.length + " graphs");
      }
    }
  }

  @Test
  void trainingModeAndGradientsGoOpByOp() {
    try (Context ctx = Context.builder().threads(1).seed(3).build()) {
      GraphModel model = model(ctx, ZINC_LIKE);
      ModelInput in = input(ctx, model.spec(), new SplittableRandom(2), 10);
      assertNull(model.inferencePlan().forward(in), "gradients on: recorded op by op");
      Tensor out = model.forward(in);
      assertTrue(out.requiresGrad(), "the op-by-op forward recorded the graph for backward");
      try (var s = ctx.noGrad()) {
        ModelInput bad = new ModelInput(null, new int[] {0, NODE_TYPES + 5, 1, 2, 3, 4, 5, 6, 7, 8},
            in.graph(), null, in.edgeTypes(), in.pe());
        assertNull(model.inferencePlan().forward(bad), "an id out of range is not the plan's to report");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.forward(bad));
        assertTrue(e.getMessage().contains("node type"), e.getMessage());
      }
    }
  }

  @Test
  void concurrentCallersNeverShareAWorkspace() {
    try (Context ctx = Context.builder().threads(1).seed(3).build()) {
      InferencePlan plan = model(ctx, ZINC_LIKE).inferencePlan();
      InferencePlan.Workspace a = plan.take();
      InferencePlan.Workspace b = plan.take();
      assertNotSame(a, b, "a workspace in use is not handed out again");
      plan.give(a);
      assertEquals(1, plan.pooledWorkspaces());
      assertSame(a, plan.take(), "a returned workspace is reused");
      assertEquals(0, plan.pooledWorkspaces());
      plan.give(a);
      plan.give(b);
    }
  }

  /** 8 threads, each with its own derived context for its inputs, get the single-threaded bits. */
  @Test
  void manyThreadsGetTheSingleThreadedBits() throws Exception {
    String config = "layer: gine\nlayers: 3\nhidden: 24\nnorm: batch\nresidual: true\n"
        + "encoder: {node: linear, edge: embedding, pe: rwse, pe_k: 8, pe_dim: 8}\npooling: sum\nhead: {type: mlp, layers: 3}";
    int graphs = 24;
    int threads = 8;
    try (Context modelCtx = Context.builder().threads(2).seed(0).build()) {
      GraphModel model = model(modelCtx, config);
      SplittableRandom rng = new SplittableRandom(5);
      List<ModelInput> inputs = new ArrayList<>();
      float[][] expected = new float[graphs][];
      for (int g = 0; g < graphs; g++) {
        ModelInput in = input(modelCtx, model.spec(), rng, 3 + rng.nextInt(50));
        inputs.add(in);
        expected[g] = model.forward(in).data().clone();          // op by op, grad on
      }
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<float[][]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          Callable<float[][]> job = () -> {
            float[][] got = new float[3 * graphs][];
            try (Context ctx = modelCtx.derive(2); var s = ctx.noGrad()) {
              List<ModelInput> mine = new ArrayList<>();
              for (ModelInput in : inputs) mine.add(copyTo(ctx, in));
              assertNotNull(model.inferencePlan().forward(mine.get(0)), "the plan serves these calls");
              start.await();
              for (int k = 0; k < got.length; k++) {
                got[k] = model.forward(mine.get((first * 7 + k) % graphs)).data().clone();
              }
            }
            return got;
          };
          results.add(pool.submit(job));
        }
        start.countDown();
        for (int t = 0; t < threads; t++) {
          float[][] got = results.get(t).get();
          for (int k = 0; k < got.length; k++) {
            int g = (t * 7 + k) % graphs;
            assertArrayEquals(expected[g], got[k], 0f, "thread " + t + ", graph " + g);
          }
        }
      } finally {
        pool.shutdownNow();
      }
      InferencePlan plan = model.inferencePlan();
      assertTrue(plan.pooledWorkspaces() >= 1 && plan.pooledWorkspaces() <= threads,
          "workspaces came back to the free list: " + plan.pooledWorkspaces());
    }
  }

  @Test
  void modelsItDoesNotCoverHaveNoPlan() {
    try (Context ctx = Context.builder().threads(1).seed(3).build()) {
      GraphModel gcn = new GraphModel(ctx, ModelSpec.from(ConfigNode.parse(
          "layer: gcn\nlayers: 2\nhidden: 8\nencoder: {node: linear}\npooling: sum", "m.yaml")),
          new GraphModel.DataShape(FEATURES, 0, 0, 0, 1, true), new SplittableRandom(1));
      assertFalse(gcn.hasInferencePlan());
    }
  }

  private static GraphModel model(Context ctx, String config) {
    ModelSpec spec = ModelSpec.from(ConfigNode.parse(config, "m.yaml"));
    GraphModel.DataShape shape = new GraphModel.DataShape(FEATURES, NODE_TYPES, 0, EDGE_TYPES, 2,
        spec.pooling() != ModelSpec.Pooling.NONE);
    GraphModel model = new GraphModel(ctx, spec, shape, new SplittableRandom(1));
    // running statistics away from 0 and 1, so the batch norm's arithmetic is exercised
    SplittableRandom rng = new SplittableRandom(9);
    model.namedParameters().forEach((name, t) -> {
      if (name.endsWith("running_mean")) for (int i = 0; i < t.numel(); i++) t.data()[i] = (float) rng.nextGaussian();
      if (name.endsWith("running_var")) for (int i = 0; i < t.numel(); i++) t.data()[i] = 0.2f + (float) rng.nextDouble();
      if (name.endsWith("eps")) t.data()[0] = 0.25f;
    });
    model.train(false);
    return model;
  }

  private static ModelInput input(Context ctx, ModelSpec spec, SplittableRandom rng, int n) {
    return inputOn(ctx, spec, rng, Graph.of(RandomGraph.uniform(n, 2 * n + 1, rng)));
  }

  /** Graphs of the given sizes as one batch. */
  private static ModelInput batchInput(Context ctx, ModelSpec spec, SplittableRandom rng, int... sizes) {
    List<Integer> src = new ArrayList<>();
    List<Integer> dst = new ArrayList<>();
    int offset = 0;
    for (int n : sizes) {
      EdgeIndex e = RandomGraph.uniform(n, 2 * n, rng);
      for (int k = 0; k < e.numEdges(); k++) {
        src.add(e.src()[k] + offset);
        dst.add(e.dst()[k] + offset);
      }
      offset += n;
    }
    EdgeIndex all = EdgeIndex.of(src.stream().mapToInt(i -> i).toArray(), dst.stream().mapToInt(i -> i).toArray(), offset);
    return inputOn(ctx, spec, rng, Graph.batched(all, sizes));
  }

  private static ModelInput inputOn(Context ctx, ModelSpec spec, SplittableRandom rng, Graph graph) {
    int n = graph.numNodes();
    int e = graph.numEdges();
    int[] nodeTypes = new int[n];
    for (int i = 0; i < n; i++) nodeTypes[i] = rng.nextInt(NODE_TYPES + 1);   // + the mask token's row
    int[] edgeTypes = new int[e];
    for (int i = 0; i < e; i++) edgeTypes[i] = rng.nextInt(EDGE_TYPES);
    Tensor x = ctx.randn(rng, n, FEATURES);
    Tensor pe = spec.pe() == ModelSpec.Pe.NONE ? null : ctx.randn(rng, n, spec.peK());
    return new ModelInput(x, nodeTypes, graph, null, edgeTypes, pe);
  }

  private static ModelInput copyTo(Context ctx, ModelInput in) {
    return new ModelInput(ctx.tensor(in.x().data(), in.x().dim(0), in.x().dim(1)), in.nodeTypes(), in.graph(),
        null, in.edgeTypes(), in.pe() == null ? null : ctx.tensor(in.pe().data(), in.pe().dim(0), in.pe().dim(1)));
  }
}
