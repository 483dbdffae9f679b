package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.data.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcTablesTest {
  @TempDir
  Path dir;

  private String importTiny() throws Exception {
    Path schemaFile = TinyTables.write(dir, null, null);
    Schema schema = Schema.read(DataSource.directory(dir), "schema.yaml");
    String url = "jdbc:sqlite:" + dir.resolve("tiny.db");
    try (Connection c = DriverManager.getConnection(url)) {
      var rows = TableImport.run("tiny", schema, new CsvTables(DataSource.directory(dir)), c, url);
      assertEquals(4, rows.get("ratings"));
    }
    assertTrue(Files.exists(schemaFile));
    return url;
  }

  @Test
  void theDatabaseGivesTheGraphTheCsvFilesGive() throws Exception {
    String url = importTiny();
    RelationalGraph csv = RelationalDatasets.load(dir.resolve("schema.yaml").toString(), null);
    RelationalGraph db = RelationalDatasets.load(dir.resolve("schema.yaml").toString(), url);
    GraphAssert.same(csv, db);
  }

  @Test
  void rowOrderInTheDatabaseDoesNotMatter() throws Exception {
    String url = importTiny();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // rewrite ratings in the reverse of their insertion order
      s.executeUpdate("CREATE TABLE r2 AS SELECT * FROM ratings ORDER BY rowid DESC");
      s.executeUpdate("DROP TABLE ratings");
      s.executeUpdate("ALTER TABLE r2 RENAME TO ratings");
    }
    GraphAssert.same(RelationalDatasets.load(dir.resolve("schema.yaml").toString(), null),
        RelationalDatasets.load(dir.resolve("schema.yaml").toString(), url));
  }

  @Test
  void badValuesInTheDatabaseNameTableRowAndColumn() throws Exception {
    String url = importTiny();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE ratings SET movieId = 99 WHERE timestamp = 300");
    }
    var e = assertThrows(DataFormatException.class,
        () -> RelationalDatasets.load(dir.resolve("schema.yaml").toString(), url));
    // canonical order puts the row at time 300 last: row 4 of ratings
    assertEquals(url + ": table ratings, row 4, column movieId: '99' is not a key of table movies (no row has it)",
        e.getMessage());
  }

  @Test
  void aMissingTableOrColumnInTheDatabaseNamesIt() throws Exception {
    String url = importTiny();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("ALTER TABLE tags RENAME COLUMN tag TO label");
    }
    var e = assertThrows(DataFormatException.class,
        () -> RelationalDatasets.load(dir.resolve("schema.yaml").toString(), url));
    assertTrue(e.getMessage().contains("table tags: column 'tag' named by the schema is not in the database table"),
        e.getMessage());
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.executeUpdate("DROP TABLE tags");
    }
    var f = assertThrows(DataFormatException.class,
        () -> RelationalDatasets.load(dir.resolve("schema.yaml").toString(), url));
    assertTrue(f.getMessage().contains("table tags named by the schema cannot be read"), f.getMessage());
  }

  @Test
  void anUnreachableUrlIsOneLineAndCreatesNoFile() {
    Path missing = dir.resolve("none.db");
    var e = assertThrows(DataFormatException.class, () -> JdbcTables.open("jdbc:sqlite:" + missing));
    assertTrue(e.getMessage().contains("database file " + missing + " does not exist"), e.getMessage());
    assertFalse(Files.exists(missing));
    var g = assertThrows(DataFormatException.class, () -> JdbcTables.open("jdbc:postgresql://127.0.0.1:1/none"));
    assertTrue(g.getMessage().startsWith("jdbc:postgresql://127.0.0.1:1/none: cannot connect"), g.getMessage());
    assertFalse(g.getMessage().contains("\n"));
  }
}
