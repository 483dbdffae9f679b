package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeteroNeighborLoaderTest {
  private static final long SEED = 21;

  private static List<int[]> epoch(HeteroNeighborLoader loader, List<int[]> userNodes) {
    List<int[]> seeds = new ArrayList<>();
    for (var sub : loader) {
      seeds.add(sub.seeds());
      userNodes.add(sub.nodes().get("user"));
    }
    return seeds;
  }

  @Test
  void epochsCoverEverySeedOnceInASeededShuffledOrder() {
    HeteroDataset d = UserItemGraph.generate(50, 12, 3, 3, SEED);
    var sampler = HeteroNeighborSampler.uniform(d.graph(), 4, 2);
    HeteroNeighborLoader a = new HeteroNeighborLoader(sampler, "user", d.train(), 8, true,
        new SplittableRandom(SEED));
    HeteroNeighborLoader b = new HeteroNeighborLoader(sampler, "user", d.train(), 8, true,
        new SplittableRandom(SEED));
    assertEquals((d.train().length + 7) / 8, a.numBatches());
    List<int[]> nodesA = new ArrayList<>();
    List<int[]> nodesB = new ArrayList<>();
    List<int[]> e1 = epoch(a, nodesA);
    List<int[]> e1b = epoch(b, nodesB);
    assertEquals(a.numBatches(), e1.size());
    int[] all = e1.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(d.train(), all, "every train seed once, seed " + SEED);
    for (int i = 0; i < e1.size(); i++) {
      assertArrayEquals(e1.get(i), e1b.get(i));
      assertArrayEquals(nodesA.get(i), nodesB.get(i), "same seed, same samples");
    }
    int[] order1 = e1.stream().flatMapToInt(Arrays::stream).toArray();
    int[] order2 = epoch(a, new ArrayList<>()).stream().flatMapToInt(Arrays::stream).toArray();
    assertFalse(Arrays.equals(order1, order2), "a new order each epoch");
    assertFalse(Arrays.equals(d.train(), order1), "shuffled");
  }

  @Test
  void withoutShuffleBatchesFollowTheSeedOrder() {
    HeteroDataset d = UserItemGraph.generate(20, 6, 2, 3, SEED);
    var loader = new HeteroNeighborLoader(HeteroNeighborSampler.uniform(d.graph(), 2), "item",
        new int[] {5, 0, 3}, 2, false, new SplittableRandom(SEED));
    List<int[]> seeds = epoch(loader, new ArrayList<>());
    assertArrayEquals(new int[] {5, 0}, seeds.get(0));
    assertArrayEquals(new int[] {3}, seeds.get(1));
  }

  @Test
  void rejectsBadArguments() {
    HeteroDataset d = UserItemGraph.generate(20, 6, 2, 3, SEED);
    var s = HeteroNeighborSampler.uniform(d.graph(), 2);
    var r = new SplittableRandom(SEED);
    assertThrows(IllegalArgumentException.class,
        () -> new HeteroNeighborLoader(s, "user", new int[] {1}, 0, true, r));
    assertThrows(IllegalArgumentException.class,
        () -> new HeteroNeighborLoader(s, "user", new int[] {1, 1}, 2, true, r));
    assertThrows(IllegalArgumentException.class,
        () -> new HeteroNeighborLoader(s, "user", new int[] {20}, 2, true, r));
    assertThrows(IllegalArgumentException.class,
        () -> new HeteroNeighborLoader(s, "film", new int[] {0}, 2, true, r));
    assertThrows(IllegalArgumentException.class,
        () -> new HeteroNeighborLoader(s, "user", new int[] {0}, 2, true, null));
  }
}
