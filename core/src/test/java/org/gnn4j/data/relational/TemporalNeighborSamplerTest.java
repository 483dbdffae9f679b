package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.gnn4j.graph.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalNeighborSamplerTest {
  @TempDir
  Path dir;

  @Test
  void anExampleSeesOnlyRowsStrictlyBeforeItsTime() {
    RelationalGraph rg = TinyTables.load(dir, null, null);
    var s = TemporalNeighborSampler.uniform(rg.data().graph(), rg.times(), -1, -1);
    // user 7 (id 1) and movie 2 (id 0) at t = 200, the time of rating (7, 2): row 2
    var sg = s.sample(List.of("users", "movies"), new int[][] {{1}, {0}}, new long[] {200}, new SplittableRandom(1));
    int[] ratings = sg.nodes().get("ratings");
    // visible: (3,2)@50 (movie 2's earlier rating) and (7,10)@100 (user 7's); not itself, not @300
    assertEquals(java.util.Set.of(0, 1), java.util.Arrays.stream(ratings).boxed().collect(java.util.stream.Collectors.toSet()));
    // tags are reached at hop 1 from their user or movie: user 7 and movie 2 have none
    assertEquals(0, sg.nodes().get("tags").length);
    var late = s.sample(List.of("users", "movies"), new int[][] {{0}, {2}}, new long[] {1000}, new SplittableRandom(1));
    assertEquals(1, late.nodes().get("tags").length); // user 3 tagged movie 10 at 150 < 1000
  }

  @Test
  void examplesDoNotShareNodes() {
    RelationalGraph rg = TinyTables.load(dir, null, null);
    var s = TemporalNeighborSampler.uniform(rg.data().graph(), rg.times(), -1, -1);
    var sg = s.sample(List.of("users", "movies"), new int[][] {{1, 1}, {0, 0}}, new long[] {60, 1000},
        new SplittableRandom(1));
    int[] ex = sg.example().get("ratings");
    int[] ids = sg.nodes().get("ratings");
    long early = java.util.Arrays.stream(ex).filter(e -> e == 0).count();
    long all = java.util.Arrays.stream(ex).filter(e -> e == 1).count();
    assertEquals(1, early);  // at 60 only (3,2)@50 through movie 2
    assertEquals(3, all);    // at 1000 every rating of user 7 or movie 2; hop 2 adds no rating
    for (int i = 0; i < ids.length; i++) if (ex[i] == 0) assertEquals(0, ids[i]);
  }

  /**
   * The leakage test on the real data: sample the subgraphs of training ratings of MovieLens with
   * every neighbour at both hops and check no rating or tag row at or after the example's time,
   * nor the example's own row, is in them.
   */
  @Test
  void noFutureRowReachesATrainingExampleOnMovieLens() {
    RelationalGraph rg = RelationalDatasets.load("movielens", null);
    long[] time = rg.time("ratings");
    TemporalSplit split = TemporalSplit.of(time, 0.1, 0.1);
    var s = TemporalNeighborSampler.uniform(rg.data().graph(), rg.times(), -1, 20);
    int[] users = rg.foreignKey("ratings", "userId");
    int[] movies = rg.foreignKey("ratings", "movieId");
    SplittableRandom pick = new SplittableRandom(7);
    int examples = 200;
    int[][] seeds = new int[2][examples];
    long[] t = new long[examples];
    int[] row = new int[examples];
    for (int e = 0; e < examples; e++) {
      row[e] = split.train()[pick.nextInt(split.train().length)];
      seeds[0][e] = users[row[e]];
      seeds[1][e] = movies[row[e]];
      t[e] = time[row[e]];
    }
    var sg = s.sample(List.of("users", "movies"), seeds, t, new SplittableRandom(3));
    int seen = 0;
    for (String table : List.of("ratings", "tags")) {
      int[] ids = sg.nodes().get(table);
      int[] ex = sg.example().get(table);
      for (int i = 0; i < ids.length; i++) {
        long rowTime = rg.time(table)[ids[i]];
        assertTrue(rowTime < t[ex[i]], table + " row " + ids[i] + " at " + rowTime + " reached example "
            + ex[i] + " at " + t[ex[i]]);
        if (table.equals("ratings")) assertTrue(ids[i] != row[ex[i]], "example " + ex[i] + " sees its own rating");
        seen++;
      }
    }
    assertTrue(seen > 1000, "the check saw only " + seen + " rows"); // not vacuous
    // and the edges only join nodes of one example
    for (Relation r : sg.graph().relations()) {
      var ei = sg.graph().edges(r);
      for (int k = 0; k < ei.numEdges(); k++) {
        assertEquals(sg.example().get(r.src())[ei.src()[k]], sg.example().get(r.dst())[ei.dst()[k]], r.toString());
      }
    }
  }
}
