package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.graph.HeteroGraph;
import org.gnn4j.graph.Relation;
import org.gnn4j.io.Gnn4jConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelationalGraphBuilderTest {
  @TempDir
  Path dir;

  @Test
  void tablesBecomeNodeTypesAndForeignKeysRelationsBothWays() {
    RelationalGraph rg = TinyTables.load(dir, null, null);
    HeteroGraph g = rg.data().graph();
    assertEquals(List.of("users", "genres", "movies", "ratings", "tags"), g.nodeTypes());
    assertEquals(2, g.numNodes("users"));   // implied: 3 and 7, from ratings and tags
    assertEquals(4, g.numNodes("genres"));  // Action, Animation, Comedy, Crime
    assertEquals(3, g.numNodes("movies"));
    assertEquals(4, g.numNodes("ratings"));
    // ratings in time order: (3,2)@50 (7,10)@100 (7,2)@200 (3,5)@300; movies by key 2, 5, 10
    EdgeIndex ru = g.edges(new Relation("ratings", "userId", "users"));
    assertArrayEquals(new int[] {0, 1, 2, 3}, ru.src());
    assertArrayEquals(new int[] {0, 1, 1, 0}, ru.dst());
    EdgeIndex rm = g.edges(new Relation("ratings", "movieId", "movies"));
    assertArrayEquals(new int[] {0, 2, 0, 1}, rm.dst());
    EdgeIndex rev = g.edges(new Relation("movies", "rev_movieId", "ratings"));
    assertArrayEquals(rm.src(), rev.dst());
    assertArrayEquals(rm.dst(), rev.src());
    // movies.genres is a multi-valued reference: Toy Story -> Animation, Comedy
    EdgeIndex mg = g.edges(new Relation("movies", "genres", "genres"));
    assertArrayEquals(new int[] {0, 0, 1, 2, 2}, mg.src());
    assertArrayEquals(new int[] {1, 2, 1, 0, 3}, mg.dst());
    assertArrayEquals(new long[] {50, 100, 200, 300}, rg.time("ratings"));
    assertArrayEquals(new int[] {0, 2, 0, 1}, rg.foreignKey("ratings", "movieId"));
  }

  @Test
  void featuresConcatenateTheEncodedColumnsAndImpliedTablesHaveNone() {
    RelationalGraph rg = TinyTables.load(dir, null, null);
    assertEquals(0, rg.data().numFeatures("users"));
    assertEquals(8, rg.data().numFeatures("movies"));     // title text, genres are edges
    assertEquals(1 + 5, rg.data().numFeatures("ratings")); // rating + timestamp (z, hour, weekday)
    assertEquals("rating", rg.featureNames().get("ratings").get(0));
    // ratings 3.5, 4.0, 5.0, 2.0 standardised: the largest is row 2 (5.0)
    var x = rg.data().x().get("ratings");
    assertTrue(x.get(2, 0) > x.get(1, 0) && x.get(1, 0) > x.get(0, 0) && x.get(0, 0) > x.get(3, 0));
  }

  @Test
  void rowOrderOfTheFilesDoesNotChangeTheGraph() {
    RelationalGraph a = TinyTables.load(dir, null, null);
    String reversed = "userId,movieId,rating,timestamp\n3,5,2.0,300\n7,2,5,200\n3,2,3.5,50\n7,10,4.0,100\n";
    RelationalGraph b = TinyTables.load(dir, "ratings.csv", reversed);
    GraphAssert.same(a, b);
  }

  @Test
  void duplicatePrimaryKeyNamesBothLines() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "movies.csv",
        TinyTables.MOVIES + "2,Copy,Drama\n"));
    assertTrue(e.getMessage().matches(".*movies\\.csv:5: table movies, column movieId: duplicate primary key '2'"
        + " \\(also at line 3\\)"), e.getMessage());
  }

  @Test
  void foreignKeyWithoutItsRowNamesTableLineAndColumn() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "ratings.csv",
        TinyTables.RATINGS + "7,99,1.0,400\n"));
    assertTrue(e.getMessage().contains("ratings.csv:6: table ratings, column movieId: '99' is not a key of table movies"),
        e.getMessage());
  }

  @Test
  void textInANumericColumnNamesLineAndColumn() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "ratings.csv",
        TinyTables.RATINGS.replace("3,5,2.0,300", "3,5,good,300")));
    assertTrue(e.getMessage().contains("ratings.csv:5: table ratings, column rating: 'good' is not a number"),
        e.getMessage());
  }

  @Test
  void badTimeNamesLineAndColumn() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "tags.csv",
        TinyTables.TAGS.replace("150", "yesterday")));
    assertTrue(e.getMessage().contains("tags.csv:2: table tags, column timestamp: 'yesterday' is not a time"),
        e.getMessage());
  }

  @Test
  void schemaNamingAMissingColumnNamesFileAndColumn() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "schema.yaml",
        TinyTables.SCHEMA.replace("rating: numeric", "stars: numeric")));
    assertTrue(e.getMessage().contains("ratings.csv:1: table ratings: column 'stars' named by the schema is not"
        + " in the header"), e.getMessage());
  }

  @Test
  void schemaNamingAMissingTableNamesSchemaLine() {
    var e = assertThrows(Gnn4jConfigException.class, () -> TinyTables.load(dir, "schema.yaml",
        TinyTables.SCHEMA.replace("movieId: movies}", "movieId: films}")));
    assertTrue(e.getMessage().contains("schema.yaml:15: 'tables.ratings.foreign_keys.movieId': table 'films' is"
        + " not in the schema"), e.getMessage());
  }

  @Test
  void schemaNamingAMissingFileNamesIt() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "schema.yaml",
        TinyTables.SCHEMA.replace("file: tags.csv", "file: tagz.csv")));
    assertTrue(e.getMessage().contains("tagz.csv: table tags: file is missing"), e.getMessage());
  }

  @Test
  void rowWithTheWrongNumberOfFieldsNamesItsLine() {
    var e = assertThrows(DataFormatException.class, () -> TinyTables.load(dir, "ratings.csv",
        TinyTables.RATINGS + "7,5,3.0\n"));
    assertTrue(e.getMessage().contains("ratings.csv:6: table ratings: expected 4 fields"), e.getMessage());
  }

  @Test
  void unknownColumnKindNamesSchemaLineAndValidKinds() {
    var e = assertThrows(Gnn4jConfigException.class, () -> TinyTables.load(dir, "schema.yaml",
        TinyTables.SCHEMA.replace("rating: numeric", "rating: float")));
    assertTrue(e.getMessage().contains("schema.yaml:17") && e.getMessage().contains("numeric, categorical, multi,"
        + " text, timestamp"), e.getMessage());
  }
}
