package org.gnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.gnn4j.graph.Graph;
import org.gnn4j.graph.RandomGraph;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One loaded model serving many requests at once: 8 threads, each with its own {@link Context},
 * run the same model (in eval mode, without gradients) on shared graphs and must get exactly the
 * outputs of single-threaded calls. The graphs are shared on purpose, so their lazily computed
 * views (batch vector, self-loops, GCN weights, shortest paths, CSR) are raced as well.
 */
class ConcurrentInferenceTest {
  private static final int FEATURES = 6;
  private static final int GRAPHS = 32;
  private static final int THREADS = 8;
  private static final int ROUNDS = 3;

  @ParameterizedTest
  @ValueSource(strings = {
      "layer: gcn\nlayers: 2\nhidden: 16\nhead: {type: conv}\npooling: mean",
      "layer: gat\nlayers: 2\nhidden: 16\nheads: 4\npooling: sum",
      "layer: sage\nlayers: 2\nhidden: 16\nnorm: batch\nresidual: true\npooling: max",
      "layer: gps_gin\nlayers: 2\nhidden: 16\nheads: 2\nencoder: {node: linear}\npooling: mean",
      "layer: graphormer\nlayers: 2\nhidden: 16\nheads: 2\nencoder: {node: linear}\npooling: mean"})
  void manyThreadsGetBitIdenticalOutputs(String config) throws Exception {
    ModelSpec spec = ModelSpec.from(ConfigNode.parse(config, "m.yaml"));
    GraphModel.DataShape shape = new GraphModel.DataShape(FEATURES, 0, 0, 0, 3, true);
    List<Graph> graphs = new ArrayList<>();
    List<float[]> features = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(7);
    for (int g = 0; g < GRAPHS; g++) {
      int n = 5 + rng.nextInt(40);
      Graph graph = Graph.of(RandomGraph.uniform(n, 3 * n, rng));
      graphs.add(graph);
      float[] x = new float[n * FEATURES];
      for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
      features.add(x);
    }
    float[][] expected = new float[GRAPHS][];
    try (Context modelCtx = Context.builder().threads(2).seed(0).build();
         var serving = modelCtx.noGrad()) {
      GraphModel model = new GraphModel(modelCtx, spec, shape, new SplittableRandom(1));
      model.train(false);
      // the reference runs on fresh copies of the graphs, so the shared ones start with empty caches
      for (int g = 0; g < GRAPHS; g++) {
        expected[g] = predict(model, modelCtx, copy(graphs.get(g)), features.get(g));
      }
      hammer(model, modelCtx, graphs, features, expected);
    }
  }

  private static void hammer(GraphModel model, Context modelCtx, List<Graph> graphs,
                             List<float[]> features, float[][] expected) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        Callable<float[][]> job = () -> {
          float[][] got = new float[ROUNDS * GRAPHS][];
          try (Context ctx = modelCtx.derive(2)) {
            start.await();
            for (int k = 0; k < got.length; k++) {
              int g = (first * 5 + k) % GRAPHS;   // threads visit the graphs in different orders
              got[k] = predict(model, ctx, graphs.get(g), features.get(g));
            }
          }
          return got;
        };
        results.add(pool.submit(job));
      }
      start.countDown();
      for (int t = 0; t < THREADS; t++) {
        float[][] got = results.get(t).get();
        for (int k = 0; k < got.length; k++) {
          int g = (t * 5 + k) % GRAPHS;
          assertArrayEquals(expected[g], got[k], 0f, "thread " + t + ", graph " + g);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, expected[0].length);
  }

  @Test
  void derivedContextsShareTensorsAndUnrelatedOnesStillDoNot() {
    try (Context a = Context.builder().threads(1).build(); Context b = Context.builder().threads(1).build();
         Context a1 = a.derive(1); Context a2 = a1.derive(2)) {
      assertTrue(a1.sharesTensorsWith(a) && a2.sharesTensorsWith(a) && a2.sharesTensorsWith(a1));
      assertFalse(b.sharesTensorsWith(a1));
      Tensor sum = a.ones(3).add(a2.ones(3));
      assertArrayEquals(new float[] {2, 2, 2}, sum.data());
      assertThrows(IllegalArgumentException.class, () -> a1.ones(3).add(b.ones(3)));
      assertThrows(IllegalArgumentException.class, () -> a.derive(0));
    }
  }

  private static float[] predict(GraphModel model, Context ctx, Graph graph, float[] x) {
    try (var scope = ctx.noGrad()) {
      Tensor in = ctx.tensor(x.clone(), graph.numNodes(), FEATURES);
      return model.forward(ModelInput.of(in, graph)).data().clone();
    }
  }

  private static Graph copy(Graph g) {
    return Graph.of(g.edges().src().clone(), g.edges().dst().clone(), g.numNodes());
  }
}
