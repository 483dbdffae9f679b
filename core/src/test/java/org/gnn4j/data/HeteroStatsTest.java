package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeteroStatsTest {
  @Test
  void countsPerTypeAndInDegreesPerRelation(@TempDir Path dir) throws IOException {
    HeteroStats s = HeteroStats.of(HeteroDatasetReader.fromDirectory(
        HeteroDatasetReaderTest.tiny(dir)));
    var user = s.nodeTypes().get(0);
    assertEquals(4, user.nodes());
    assertEquals(2, user.features());
    assertArrayEquals(new int[] {2, 2}, user.classCounts());
    assertEquals(0, s.nodeTypes().get(2).nodes());
    var rates = s.relations().get(0);  // dst item: in-degrees 1, 2, 2
    assertEquals(5, rates.edges());
    assertEquals(5 / 3.0, rates.meanInDegree(), 1e-12);
    assertEquals(2, rates.maxInDegree());
    assertEquals(0, rates.isolatedTargets());
    var follows = s.relations().get(2); // 0->1, 1->0, 2->1: users 2 and 3 get nothing
    assertEquals(2, follows.isolatedTargets());
    var has = s.relations().get(3);
    assertEquals(0, has.edges());
    assertEquals(0.0, has.meanInDegree());
    String json = s.toJson();
    assertTrue(json.contains("{\"type\":\"user\",\"nodes\":4,\"features\":2,\"classes\":2,"
        + "\"class_counts\":[2,2]}"), json);
    assertTrue(json.contains("{\"relation\":\"user__follows__user\",\"edges\":3,\"edge_dim\":0,"
        + "\"mean_in_degree\":0.7500,\"max_in_degree\":2,\"isolated_targets\":2}"), json);
    assertTrue(json.endsWith("\"target\":\"user\",\"train\":2,\"val\":1,\"test\":1}"), json);
    assertTrue(s.toText().contains("user__rates__item"), s.toText());
  }
}
