package org.gnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.gnn4j.data.relational.RelationalDatasets;
import org.gnn4j.data.relational.RelationalGraph;
import org.gnn4j.graph.Relation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbCommandTest {
  @TempDir
  Path dir;

  /** The proof of the JDBC path on the real case: MovieLens from SQLite is the graph from CSV. */
  @Test
  void movieLensImportedIntoSqliteGivesTheSameGraphAsItsCsvTables() {
    Path db = dir.resolve("ml.db");
    CliRun r = CliRun.of("db", "import", "--schema", "movielens", "--out", db.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"rows_ratings\":100836"), r.out());
    RelationalGraph csv = RelationalDatasets.load("movielens", null);
    RelationalGraph sql = RelationalDatasets.load("movielens", "jdbc:sqlite:" + db);
    var a = csv.data().graph();
    var b = sql.data().graph();
    assertEquals(a.nodeTypes(), b.nodeTypes());
    assertEquals(a.relations(), b.relations());
    for (String t : a.nodeTypes()) {
      assertEquals(a.numNodes(t), b.numNodes(t), t);
      if (csv.data().x().containsKey(t)) assertArrayEquals(csv.data().x().get(t).data(), sql.data().x().get(t).data(), t);
      if (csv.time(t) != null) assertArrayEquals(csv.time(t), sql.time(t), t);
    }
    for (Relation rel : a.relations()) {
      assertArrayEquals(a.edges(rel).src(), b.edges(rel).src(), rel.toString());
      assertArrayEquals(a.edges(rel).dst(), b.edges(rel).dst(), rel.toString());
    }
    assertEquals(100836, b.numNodes("ratings"));
    assertEquals(610, b.numNodes("users"));
  }

  @Test
  void anExistingDatabaseIsKeptUnlessForced() throws Exception {
    Path db = dir.resolve("keep.db");
    Files.writeString(db, "precious");
    Path schema = slice();
    CliRun r = CliRun.of("db", "import", "--schema", schema.toString(), "--out", db.toString());
    assertEquals(1, r.code());
    assertEquals("gnn4j: db import: " + db + " exists; add --force to replace it, or choose another --out", r.err().strip());
    assertEquals("precious", Files.readString(db));
    r = CliRun.of("db", "import", "--schema", schema.toString(), "--out", db.toString(), "--force");
    assertEquals(0, r.code(), r.err());
    r = CliRun.of("db", "info", "--schema", schema.toString(), "--jdbc", "jdbc:sqlite:" + db);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\"nodes_ratings\":1355"), r.out());
  }

  @Test
  void badTablesAreOneLineAndLeaveNoFile() throws Exception {
    Path schema = slice();
    Path movies = schema.resolveSibling("movies.csv");
    Files.writeString(movies, Files.readString(movies) + "1,Copy of Toy Story (1995),Comedy\n");
    Path db = dir.resolve("bad.db");
    CliRun r = CliRun.of("db", "import", "--schema", schema.toString(), "--out", db.toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("movies.csv:1006: table movies, column movieId: duplicate primary key '1'"), r.err());
    try (var files = Files.list(dir)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().contains("bad.db")), "left a file behind");
    }
  }

  @Test
  void anUnreachableDatabaseIsOneLine() {
    CliRun r = CliRun.of("db", "info", "--schema", "movielens", "--jdbc", "jdbc:sqlite:" + dir.resolve("none.db"));
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("none.db does not exist"), r.err());
    assertFalse(Files.exists(dir.resolve("none.db")));
  }

  private Path slice() throws Exception {
    Path d = dir.resolve("slice");
    Files.createDirectories(d);
    for (String f : new String[] {"schema.yaml", "movies.csv", "ratings.csv", "tags.csv"}) {
      try (var in = DbCommandTest.class.getResourceAsStream("/relational/movielens_slice/" + f)) {
        Files.write(d.resolve(f), in.readAllBytes());
      }
    }
    return d.resolve("schema.yaml");
  }
}
