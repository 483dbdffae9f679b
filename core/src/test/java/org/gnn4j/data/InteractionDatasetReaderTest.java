package org.gnn4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractionDatasetReaderTest {
  /** Users 7, 3, 12 (unsorted, with a repeated pair and one low rating); movie 50 has no title. */
  static Path tiny(Path dir) throws Exception {
    TestFiles.gz(dir.resolve("ratings.csv.gz"), """
        userId,movieId,rating,timestamp
        7,20,4.0,100
        3,10,5.0,101
        7,10,1.0,102
        12,50,3.5,103
        3,20,2.0,104
        7,20,4.5,105
        """);
    Files.writeString(dir.resolve("movies.csv"), """
        movieId,title,genres
        10,"American President, The (1995)",Comedy|Drama
        20,Heat (1995),Action
        30,"Say ""Cheese"" (2001)",Comedy
        """);
    return dir;
  }

  @Test
  void idsAreRenumberedAscendingAndRepeatedPairsCountOnce(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(tiny(dir).toString(), 0);
    assertEquals(Datasets.Format.INTERACTIONS, Datasets.formatOf(dir.toString()));
    assertEquals(3, d.numUsers());
    assertEquals(3, d.numItems());
    assertEquals(5, d.numInteractions());              // (7, 20) twice counts once
    assertArrayEquals(new int[] {3, 7, 12}, new int[] {d.userId(0), d.userId(1), d.userId(2)});
    assertArrayEquals(new int[] {10, 20, 50}, new int[] {d.itemId(0), d.itemId(1), d.itemId(2)});
    assertEquals(1, d.userIndex(7));
    assertEquals(-1, d.userIndex(8));
    assertEquals(2, d.itemIndex(50));
    assertArrayEquals(new int[] {0, 2, 4, 5}, d.userPtr());
    assertArrayEquals(new int[] {0, 1, 0, 1, 2}, d.items());
    assertEquals(3, d.find(1, 1));
    assertEquals(-1, d.find(2, 0));
    assertEquals("American President, The (1995)", d.title(0));
    assertEquals("Heat (1995)", d.title(1));
    assertNull(d.title(2));
    assertEquals("Say \"Cheese\" (2001)", InteractionDatasetReader.unquote("\"Say \"\"Cheese\"\" (2001)\""));
  }

  @Test
  void minRatingDropsLowRatingsAndTheUsersAndItemsLeftWithout(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(tiny(dir).toString(), 4.0);
    assertEquals(2, d.numUsers());                     // user 12 rated only 3.5
    assertEquals(2, d.numItems());                     // movie 50 likewise
    assertEquals(2, d.numInteractions());              // (3, 10) and (7, 20) (rated 4.0, then 4.5)
    assertTrue(d.describe().contains(">= 4.0"), d.describe());
  }

  @Test
  void theGraphHoldsEachPairInBothDirectionsWithItemsAfterUsers(@TempDir Path dir) throws Exception {
    InteractionDataset d = Datasets.interactions(tiny(dir).toString(), 0);
    var e = d.graph(new int[] {0, 4});                 // (user 0, item 0) and (user 2, item 2)
    assertEquals(6, e.numNodes());
    assertArrayEquals(new int[] {0, 2, 3, 5}, e.src());
    assertArrayEquals(new int[] {3, 5, 0, 2}, e.dst());
  }

  @Test
  void aMalformedRowNamesFileAndLine(@TempDir Path dir) throws Exception {
    TestFiles.gz(dir.resolve("ratings.csv.gz"), "userId,movieId,rating\n1,2,4.0\n1,x,3.0\n");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Datasets.interactions(dir.toString(), 0));
    assertTrue(e.getMessage().contains("ratings.csv.gz:3") && e.getMessage().contains("movieId"), e.getMessage());
    Files.delete(dir.resolve("ratings.csv.gz"));
    TestFiles.gz(dir.resolve("ratings.csv.gz"), "user,movieId,rating\n1,2,4.0\n");
    e = assertThrows(DataFormatException.class, () -> Datasets.interactions(dir.toString(), 0));
    assertTrue(e.getMessage().contains(":1") && e.getMessage().contains("no column 'userId'"), e.getMessage());
  }

  @Test
  void theEmbeddedMovieLensHasItsPublishedCounts() {
    InteractionDataset d = Datasets.interactions("movielens_small", 0);
    assertEquals(610, d.numUsers());
    assertEquals(9724, d.numItems());
    assertEquals(100_836, d.numInteractions());
    assertEquals("Toy Story (1995)", d.title(d.itemIndex(1)));
    assertEquals(609, Datasets.interactions("movielens_small", 4.0).numUsers());
    assertEquals(9, DataFiles.verify(DataSource.resolve("movielens_small")));   // + the relational tables and schema
  }
}
