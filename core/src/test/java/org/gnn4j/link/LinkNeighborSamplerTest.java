package org.gnn4j.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.gnn4j.data.NeighborSampler;
import org.gnn4j.graph.EdgeIndex;
import org.junit.jupiter.api.Test;

class LinkNeighborSamplerTest {
  private static final int N = 60;

  /** Undirected random graph (both directions stored) and its edges once each. */
  private static EdgeIndex graph() {
    SplittableRandom r = new SplittableRandom(11);
    Set<Long> seen = new HashSet<>();
    int[] s = new int[400];
    int[] d = new int[400];
    int k = 0;
    while (k < 400) {
      int u = r.nextInt(N);
      int v = r.nextInt(N);
      if (u == v || !seen.add((long) Math.min(u, v) * N + Math.max(u, v))) continue;
      s[k] = u;
      d[k++] = v;
      s[k] = v;
      d[k++] = u;
    }
    return EdgeIndex.of(s, d, N);
  }

  private static Set<Long> globalEdges(NeighborSampler.Subgraph sg) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < sg.edges().numEdges(); i++) {
      out.add((long) sg.nodes()[sg.edges().src()[i]] * N + sg.nodes()[sg.edges().dst()[i]]);
    }
    return out;
  }

  @Test
  void seedLinksAreRemovedAndBothEndpointsKeepTheirOtherNeighbours() {
    EdgeIndex g = graph();
    NodePairs positives = new NodePairs(new int[] {g.src()[0], g.src()[10], g.src()[20]},
        new int[] {g.dst()[0], g.dst()[10], g.dst()[20]});
    NodePairs negatives = new NegativeSampler(N, new NodePairs(g.src(), g.dst()), false)
        .uniform(3, new SplittableRandom(1));
    NodePairs seeds = positives.concat(negatives);
    LinkNeighborSampler.Batch b = new LinkNeighborSampler(g, new int[] {-1}, true)
        .sample(seeds, positives, new SplittableRandom(2));
    NeighborSampler.Subgraph sg = b.subgraph();
    for (int i = 0; i < seeds.size(); i++) {
      assertEquals(seeds.src()[i], sg.nodes()[b.localSeeds().src()[i]]);
      assertEquals(seeds.dst()[i], sg.nodes()[b.localSeeds().dst()[i]]);
      assertTrue(b.localSeeds().src()[i] < sg.numTargets());
      assertTrue(b.localSeeds().dst()[i] < sg.numTargets());
    }
    Set<Long> sampled = globalEdges(sg);
    Set<Long> banned = new HashSet<>();
    for (int i = 0; i < positives.size(); i++) {
      banned.add((long) positives.src()[i] * N + positives.dst()[i]);
      banned.add((long) positives.dst()[i] * N + positives.src()[i]);
    }
    for (long e : banned) assertFalse(sampled.contains(e), "supervision edge " + e / N + "->" + e % N);
    // with fan-out -1 every other edge into every endpoint is there
    Set<Integer> targets = new HashSet<>();
    for (int i = 0; i < sg.numTargets(); i++) targets.add(sg.nodes()[i]);
    int expected = 0;
    for (int i = 0; i < g.numEdges(); i++) {
      long key = (long) g.src()[i] * N + g.dst()[i];
      if (!targets.contains(g.dst()[i]) || banned.contains(key)) continue;
      expected++;
      assertTrue(sampled.contains(key), "missing " + g.src()[i] + "->" + g.dst()[i]);
    }
    assertEquals(expected, sg.edges().numEdges());
    assertEquals(2 * positives.size(), b.removedEdges());
  }

  @Test
  void sampledEdgesAreGraphEdgesAndTheSampleIsSeeded() {
    EdgeIndex g = graph();
    Set<Long> all = new HashSet<>();
    for (int i = 0; i < g.numEdges(); i++) all.add((long) g.src()[i] * N + g.dst()[i]);
    NodePairs positives = new NodePairs(new int[] {g.src()[4], g.src()[30]}, new int[] {g.dst()[4], g.dst()[30]});
    LinkNeighborSampler s = new LinkNeighborSampler(g, new int[] {2, 2}, true);
    LinkNeighborSampler.Batch a = s.sample(positives, positives, new SplittableRandom(5));
    LinkNeighborSampler.Batch b = s.sample(positives, positives, new SplittableRandom(5));
    assertEquals(globalEdges(a.subgraph()), globalEdges(b.subgraph()));
    for (long e : globalEdges(a.subgraph())) {
      assertTrue(all.contains(e));
      assertFalse(e == (long) positives.src()[0] * N + positives.dst()[0]
          || e == (long) positives.dst()[0] * N + positives.src()[0]);
    }
  }
}
