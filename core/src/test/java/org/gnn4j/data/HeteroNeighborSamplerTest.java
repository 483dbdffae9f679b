package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Shape;
import org.junit.jupiter.api.Test;

class HeteroNeighborSamplerTest {
  private static final long SEED = 7;
  private static final Relation RATES = new Relation("user", "rates", "item");
  private static final Relation RATED_BY = new Relation("item", "rated_by", "user");
  private static final Relation FOLLOWS = new Relation("user", "follows", "user");
  private static final Relation BLOCKS = new Relation("user", "blocks", "user");
  private static final Relation HAUNTS = new Relation("ghost", "haunts", "user");

  /**
   * 300 users, 200 items, a type with no nodes; rates/rated_by/follows random, blocks empty,
   * haunts empty (its source type has no nodes); users 290..299 have no in-edges at all.
   */
  static HeteroGraph graph(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[][] rates = random(r, 3000, 290, 200);
    int[][] follows = random(r, 1500, 290, 290);
    return HeteroGraph.builder().nodes("user", 300).nodes("item", 200).nodes("ghost", 0)
        .edges(RATES, rates[0], rates[1])
        .edges(RATED_BY, rates[1], rates[0])
        .edges(FOLLOWS, follows[0], follows[1])
        .edges(BLOCKS, new int[0], new int[0])
        .edges(HAUNTS, new int[0], new int[0])
        .build();
  }

  private static int[][] random(SplittableRandom r, int e, int ns, int nd) {
    int[][] out = new int[2][e];
    for (int k = 0; k < e; k++) {
      out[0][k] = r.nextInt(ns);
      out[1][k] = r.nextInt(nd);
    }
    return out;
  }

  private static Map<Relation, int[]> fanouts() {
    Map<Relation, int[]> f = new LinkedHashMap<>();
    f.put(RATES, new int[] {4, 2});
    f.put(RATED_BY, new int[] {3, 1});
    f.put(FOLLOWS, new int[] {2, 2});
    f.put(BLOCKS, new int[] {5, 5});
    f.put(HAUNTS, new int[] {-1, -1});
    return f;
  }

  @Test
  void seedsFirstEdgesExistAndFanoutsHold() {
    HeteroGraph g = graph(SEED);
    HeteroNeighborSampler s = new HeteroNeighborSampler(g, fanouts());
    int[] seeds = {5, 77, 291, 0, 250};
    var sub = s.sample("user", seeds, new SplittableRandom(SEED));
    assertArrayEquals(seeds, sub.seeds());
    assertArrayEquals(seeds, Arrays.copyOf(sub.nodes().get("user"), seeds.length));
    assertEquals(g.relations(), sub.graph().relations());
    assertEquals(g.nodeTypes(), sub.graph().nodeTypes());
    assertEquals(0, sub.graph().numNodes("ghost"));
    assertEquals(0, sub.graph().edges(BLOCKS).numEdges());
    assertEquals(0, sub.graph().edges(HAUNTS).numEdges());
    for (String t : g.nodeTypes()) {
      int[] ids = sub.nodes().get(t);
      assertEquals(ids.length, sub.graph().numNodes(t), t);
      assertEquals(ids.length, new HashSet<>(Arrays.stream(ids).boxed().toList()).size(),
          "distinct " + t + ", seed " + SEED);
    }
    for (Relation r : g.relations()) {
      EdgeIndex orig = g.edges(r);
      EdgeIndex e = sub.graph().edges(r);
      int[] srcIds = sub.nodes().get(r.src());
      int[] dstIds = sub.nodes().get(r.dst());
      int[] perTarget = new int[dstIds.length];
      assertEquals(e.numEdges(), new HashSet<>(Arrays.stream(sub.edgeIds().get(r)).boxed()
          .toList()).size(), "edges drawn without replacement, " + r);
      for (int k = 0; k < e.numEdges(); k++) {
        int id = sub.edgeIds().get(r)[k];
        assertEquals(orig.src()[id], srcIds[e.src()[k]], r + " edge " + k + ", seed " + SEED);
        assertEquals(orig.dst()[id], dstIds[e.dst()[k]], r + " edge " + k + ", seed " + SEED);
        perTarget[e.dst()[k]]++;
      }
      int[] f = fanouts().get(r);
      int cap = f[0] < 0 || f[1] < 0 ? Integer.MAX_VALUE : Math.max(f[0], f[1]);
      int[] inDeg = orig.inDegree();
      for (int v = 0; v < dstIds.length; v++) {
        assertTrue(perTarget[v] <= cap, r + " target " + v + ": " + perTarget[v] + " > " + cap);
      }
      if (r.dst().equals("user")) { // the seeds are expanded at hop 0 with fanouts[r][0]
        for (int i = 0; i < seeds.length; i++) {
          assertEquals(f[0] < 0 ? inDeg[seeds[i]] : Math.min(f[0], inDeg[seeds[i]]), perTarget[i],
              r + " seed " + seeds[i]);
        }
      }
    }
  }

  @Test
  void hopEndsSplitNodesAndEdgesByTheHopThatReachedThem() {
    HeteroGraph g = graph(SEED);
    var sub = new HeteroNeighborSampler(g, fanouts()).sample("user", new int[] {8, 9, 10},
        new SplittableRandom(SEED));
    int[] users = sub.nodeHopEnds().get("user");
    assertEquals(3, users[0]);
    assertTrue(users[0] <= users[1] && users[1] <= users[2]);
    assertEquals(sub.graph().numNodes("user"), users[2]);
    assertEquals(0, sub.nodeHopEnds().get("item")[0]);
    assertEquals(sub.graph().numNodes("item"), sub.nodeHopEnds().get("item")[2]);
    for (Relation r : g.relations()) {
      int[] ends = sub.edgeHopEnds().get(r);
      assertEquals(0, ends[0]);
      assertEquals(sub.graph().edges(r).numEdges(), ends[2], r.toString());
      int[] dstEnds = sub.nodeHopEnds().get(r.dst());
      int[] srcEnds = sub.nodeHopEnds().get(r.src());
      for (int k = 0; k < ends[2]; k++) { // hop h expands the nodes reached at hop h - 1
        int hop = k < ends[1] ? 0 : 1;
        int d = sub.graph().edges(r).dst()[k];
        assertTrue(d >= (hop == 0 ? 0 : dstEnds[0]) && d < dstEnds[hop], r + " edge " + k);
        assertTrue(sub.graph().edges(r).src()[k] < srcEnds[hop + 1], r + " edge " + k);
      }
    }
    assertEquals(0, sub.edgeHopEnds().get(RATES)[1], "no items before hop 1");
  }

  @Test
  void oneHopOnlyReachesTheSeedsThroughRelationsIntoTheirType() {
    HeteroGraph g = graph(SEED);
    var sub = HeteroNeighborSampler.uniform(g, -1).sample("user", new int[] {3, 4},
        new SplittableRandom(SEED));
    int[] inDeg = new int[2];
    for (Relation r : g.relationsInto("user")) {
      for (int i = 0; i < 2; i++) inDeg[i] += g.edges(r).inDegree()[3 + i];
    }
    assertEquals(0, sub.graph().edges(RATES).numEdges());
    int sampled = 0;
    for (Relation r : g.relationsInto("user")) {
      for (int d : sub.graph().edges(r).dst()) assertTrue(d < 2, "only seeds are targets");
      sampled += sub.graph().edges(r).numEdges();
    }
    assertEquals(inDeg[0] + inDeg[1], sampled, "-1 takes every in-edge");
  }

  @Test
  void sameSeedSameSampleOtherSeedOtherSample() {
    HeteroNeighborSampler s = new HeteroNeighborSampler(graph(SEED), fanouts());
    int[] seeds = {1, 2, 3, 4, 5, 6};
    var a = s.sample("user", seeds, new SplittableRandom(99));
    var b = s.sample("user", seeds, new SplittableRandom(99));
    var c = s.sample("user", seeds, new SplittableRandom(100));
    for (String t : a.nodes().keySet()) assertArrayEquals(a.nodes().get(t), b.nodes().get(t), t);
    for (Relation r : a.edgeIds().keySet()) {
      assertArrayEquals(a.edgeIds().get(r), b.edgeIds().get(r), r.toString());
    }
    assertFalse(Arrays.equals(a.edgeIds().get(RATES), c.edgeIds().get(RATES)));
  }

  @Test
  void isolatedSeedsAndEmptyBatchesGiveEmptySamples() {
    HeteroGraph g = graph(SEED);
    var sub = new HeteroNeighborSampler(g, fanouts()).sample("user", new int[] {295, 299},
        new SplittableRandom(SEED));
    assertArrayEquals(new int[] {295, 299}, sub.nodes().get("user"));
    assertEquals(0, sub.graph().totalEdges());
    assertEquals(0, sub.graph().numNodes("item"));
    var none = new HeteroNeighborSampler(g, fanouts()).sample("ghost", new int[0],
        new SplittableRandom(SEED));
    assertEquals(0, none.graph().totalNodes());
    assertEquals(0, none.numSeeds());
  }

  @Test
  void tensorsForAHeteroLayerHaveTheSampleShapes() {
    HeteroDataset d = UserItemGraph.generate(40, 12, 3, 3, SEED);
    var sub = HeteroNeighborSampler.uniform(d.graph(), 3).sample("user", new int[] {2},
        new SplittableRandom(SEED));
    var ctx = Context.create();
    var x = sub.xTensors(d, ctx);
    assertEquals(Shape.of(sub.graph().numNodes("item"), 3), x.get("item").shape());
    assertEquals(Shape.of(1, 2), x.get("user").shape());
    Relation ratedBy = new Relation("item", "rated_by", "user");
    assertEquals(Shape.of(sub.graph().edges(ratedBy).numEdges(), 1),
        sub.edgeAttrTensors(d, ctx).get(ratedBy).shape());
    assertEquals(Shape.of(40, 2), d.xTensors(ctx).get("user").shape());
  }

  @Test
  void gathersFeaturesEdgeFeaturesAndSeedLabels() {
    HeteroDataset d = UserItemGraph.generate(40, 12, 3, 3, SEED);
    var sub = HeteroNeighborSampler.uniform(d.graph(), 3, 2).sample("user", new int[] {7, 1},
        new SplittableRandom(SEED));
    var x = sub.features(d);
    assertEquals(sub.graph().numNodes("item"), x.get("item").rows());
    assertFalse(x.containsKey("tag"));
    int[] items = sub.nodes().get("item");
    for (int i = 0; i < items.length; i++) {
      assertEquals(d.x().get("item").get(items[i], 2), x.get("item").get(i, 2));
    }
    Relation rates = new Relation("user", "rates", "item");
    var ea = sub.edgeFeatures(d);
    assertEquals(sub.graph().edges(rates).numEdges(), ea.get(rates).rows());
    assertArrayEquals(new int[] {d.y()[7], d.y()[1]}, sub.seedLabels(d.y()));
  }

  @Test
  void rejectsBadFanoutsAndSeeds() {
    HeteroGraph g = graph(SEED);
    Map<Relation, int[]> f = fanouts();
    f.remove(BLOCKS);
    var e = assertThrows(IllegalArgumentException.class, () -> new HeteroNeighborSampler(g, f));
    assertEquals("HeteroNeighborSampler: no fan-outs for relation user__blocks__user (expected one"
        + " list per relation; {0, ...} skips it)", e.getMessage());
    f.put(BLOCKS, new int[] {1});
    e = assertThrows(IllegalArgumentException.class, () -> new HeteroNeighborSampler(g, f));
    assertTrue(e.getMessage().contains("user__blocks__user has 1 fan-outs (got 1, expected 2"),
        e.getMessage());
    f.put(BLOCKS, new int[] {1, -2});
    assertThrows(IllegalArgumentException.class, () -> new HeteroNeighborSampler(g, f));
    f.put(new Relation("item", "x", "user"), new int[] {1, 1});
    assertThrows(IllegalArgumentException.class, () -> new HeteroNeighborSampler(g, f));
    var s = new HeteroNeighborSampler(g, fanouts());
    e = assertThrows(IllegalArgumentException.class,
        () -> s.sample("item", new int[] {200}, new SplittableRandom(1)));
    assertEquals("HeteroNeighborSampler: seeds[0] = 200 is out of range [0, 200) for node type"
        + " 'item'", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> s.sample("user", new int[] {1, 1}, new SplittableRandom(1)));
    assertThrows(IllegalArgumentException.class,
        () -> s.sample("film", new int[] {1}, new SplittableRandom(1)));
  }
}
