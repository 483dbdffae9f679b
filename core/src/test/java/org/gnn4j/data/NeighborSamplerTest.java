package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.testing.RandomGraphs;
import org.junit.jupiter.api.Test;

class NeighborSamplerTest {
  private static final long SEED = 11;

  @Test
  void targetsComeFirstEdgesExistAndFanoutsHold() {
    EdgeIndex g = RandomGraphs.uniform(500, 6000, SEED);
    int[] fanouts = {10, 5};
    NeighborSampler s = new NeighborSampler(g, fanouts);
    int[] targets = {3, 77, 401, 0, 250};
    NeighborSampler.Subgraph sub = s.sample(targets, new SplittableRandom(SEED));
    assertArrayEquals(targets, java.util.Arrays.copyOf(sub.nodes(), targets.length));
    assertEquals(targets.length, sub.numTargets());
    assertEquals(sub.nodes().length, sub.hopEnds()[2]);
    assertEquals(sub.nodes().length, new HashSet<>(java.util.Arrays.stream(sub.nodes()).boxed()
        .toList()).size(), "sampled nodes are distinct");
    Map<Long, Integer> original = new HashMap<>();
    for (int e = 0; e < g.numEdges(); e++) original.merge(key(g.src()[e], g.dst()[e]), 1, Integer::sum);
    int[] inDeg = g.inDegree();
    int[] sampledIn = new int[sub.nodes().length];
    for (int e = 0; e < sub.edges().numEdges(); e++) {
      int u = sub.nodes()[sub.edges().src()[e]];
      int v = sub.nodes()[sub.edges().dst()[e]];
      assertTrue(original.containsKey(key(u, v)), "edge " + u + "->" + v + " not in graph, seed " + SEED);
      int id = sub.edgeIds()[e];
      assertEquals(u, g.src()[id]);
      assertEquals(v, g.dst()[id]);
      sampledIn[sub.edges().dst()[e]]++;
    }
    for (int i = 0; i < sub.nodes().length; i++) {
      int hop = i < sub.hopEnds()[0] ? 0 : i < sub.hopEnds()[1] ? 1 : 2;
      int want = hop < 2 ? Math.min(fanouts[hop], inDeg[sub.nodes()[i]]) : 0;
      assertEquals(want, sampledIn[i], "in-edges of sampled node " + sub.nodes()[i] + " at hop " + hop);
    }
    Set<Integer> ids = new HashSet<>();
    for (int id : sub.edgeIds()) assertTrue(ids.add(id), "edge " + id + " sampled twice");
  }

  @Test
  void sameSeedSameSampleAndAllNeighboursWithMinusOne() {
    EdgeIndex g = RandomGraphs.hub(300, SEED);
    NeighborSampler s = new NeighborSampler(g, new int[] {4, 4});
    int[] t = {0, 1};
    NeighborSampler.Subgraph a = s.sample(t, new SplittableRandom(5));
    NeighborSampler.Subgraph b = s.sample(t, new SplittableRandom(5));
    assertArrayEquals(a.nodes(), b.nodes());
    assertArrayEquals(a.edgeIds(), b.edgeIds());
    NeighborSampler all = new NeighborSampler(g, new int[] {-1});
    NeighborSampler.Subgraph full = all.sample(t, new SplittableRandom(5));
    assertEquals(g.inDegree()[0] + g.inDegree()[1], full.edges().numEdges());
  }

  @Test
  void gathersFeatureRowsAndTargetLabelsOnCora() {
    NodeDataset cora = NodeDatasetReader.cora();
    NeighborSampler s = new NeighborSampler(cora.edges(), new int[] {10, 5});
    int[] targets = java.util.Arrays.copyOf(cora.train(), 16);
    NeighborSampler.Subgraph sub = s.sample(targets, new SplittableRandom(SEED));
    float[] x = sub.gatherRows(cora.x(), cora.numFeatures());
    int f = cora.numFeatures();
    int last = sub.nodes().length - 1;
    assertArrayEquals(java.util.Arrays.copyOfRange(cora.x(), sub.nodes()[last] * f,
        sub.nodes()[last] * f + f), java.util.Arrays.copyOfRange(x, last * f, last * f + f));
    int[] y = sub.targetLabels(cora.y());
    for (int i = 0; i < 16; i++) assertEquals(cora.y()[targets[i]], y[i]);
  }

  @Test
  void badTargetsAreNamed() {
    NeighborSampler s = new NeighborSampler(RandomGraphs.uniform(10, 20, SEED), new int[] {2});
    var e = assertThrows(IllegalArgumentException.class,
        () -> s.sample(new int[] {1, 10}, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("targets[1] = 10 is out of range [0, 10)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> s.sample(new int[] {1, 1}, new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("is repeated"), e.getMessage());
  }

  private static long key(int u, int v) {
    return ((long) u << 32) | v;
  }
}
