package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionSplitTest {
  @Test
  void theFileListsTestPairsAndEveryOtherPairTrains(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(InteractionDatasetReaderTest.tiny(dir).toString(), 0);
    TestFiles.gz(dir.resolve("test.tsv.gz"), "7\t10\n3\t20\n");
    InteractionSplit s = InteractionSplit.read(d, DataSource.directory(dir), "test.tsv.gz");
    assertArrayEquals(new int[] {1, 2}, s.test());     // (3, 20) and (7, 10)
    assertArrayEquals(new int[] {0, 3, 4}, s.train());
  }

  @Test
  void aLineThatIsNoInteractionNamesFileAndLine(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(InteractionDatasetReaderTest.tiny(dir).toString(), 0);
    TestFiles.gz(dir.resolve("bad.tsv.gz"), "7\t10\n12\t10\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> InteractionSplit.read(d, DataSource.directory(dir), "bad.tsv.gz"));
    assertTrue(e.getMessage().contains("bad.tsv.gz:2") && e.getMessage().contains("user 12 and item 10"
        + " are not an interaction"), e.getMessage());
    TestFiles.gz(dir.resolve("unknown.tsv.gz"), "99\t10\n");
    e = assertThrows(DataFormatException.class,
        () -> InteractionSplit.read(d, DataSource.directory(dir), "unknown.tsv.gz"));
    assertTrue(e.getMessage().contains("unknown.tsv.gz:1") && e.getMessage().contains("no such user"), e.getMessage());
    TestFiles.gz(dir.resolve("twice.tsv.gz"), "7\t10\n7\t10\n");
    e = assertThrows(DataFormatException.class,
        () -> InteractionSplit.read(d, DataSource.directory(dir), "twice.tsv.gz"));
    assertTrue(e.getMessage().contains("twice.tsv.gz:2") && e.getMessage().contains("listed twice"), e.getMessage());
    TestFiles.gz(dir.resolve("cols.tsv.gz"), "7\t10\t1\n");
    e = assertThrows(DataFormatException.class,
        () -> InteractionSplit.read(d, DataSource.directory(dir), "cols.tsv.gz"));
    assertTrue(e.getMessage().contains("cols.tsv.gz:1"), e.getMessage());
  }

  @Test
  void perUserHoldsOutAFifthOfEveryUsersItemsDeterministically(@TempDir Path dir) throws Exception {
    StringBuilder sb = new StringBuilder("userId,movieId,rating\n");
    for (int u = 1; u <= 4; u++) for (int i = 1; i <= 5 * u + 2; i++) sb.append(u).append(',').append(i).append(",4\n");
    TestFiles.gz(dir.resolve("ratings.csv.gz"), sb.toString());
    InteractionDataset d = Datasets.interactions(dir.toString(), 0);
    InteractionSplit s = InteractionSplit.perUser(d, 5);
    int[] perUser = new int[4];
    for (int m : s.test()) perUser[d.userOf(m)]++;
    assertArrayEquals(new int[] {1, 2, 3, 4}, perUser);   // floor((5u + 2) / 5)
    assertEquals(d.numInteractions(), s.train().length + s.test().length);
    assertArrayEquals(s.test(), InteractionSplit.perUser(d, 5).test());
    assertTrue(!Arrays.equals(s.test(), InteractionSplit.perUser(d, 6).test()));
  }

  @Test
  void theShippedReferenceSplitsHoldTheirPublishedSizes() {
    InteractionDataset d = Datasets.interactions("movielens_small", 0);
    InteractionSplit s = InteractionSplit.read(d, d.source(), "movielens_small-all-seed1-test.tsv.gz");
    assertEquals(19_940, s.test().length);
    assertEquals(80_896, s.train().length);
  }
}
