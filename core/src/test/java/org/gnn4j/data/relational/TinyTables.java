package org.gnn4j.data.relational;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny set of MovieLens-like tables written to a directory, with one file changed per test. */
final class TinyTables {
  static final String SCHEMA = """
      tables:
        users:
          implied: true
        genres:
          implied: true
        movies:
          file: movies.csv
          primary_key: movieId
          columns:
            title: {kind: text, dims: 8}
            genres: {kind: multi, separator: "|", references: genres}
        ratings:
          file: ratings.csv
          time: timestamp
          foreign_keys: {userId: users, movieId: movies}
          columns:
            rating: numeric
            timestamp: timestamp
        tags:
          file: tags.csv
          time: timestamp
          foreign_keys: {userId: users, movieId: movies}
          columns:
            tag: {kind: text, dims: 4}
      """;
  static final String MOVIES = """
      movieId,title,genres
      10,"Heat, The (1995)",Action|Crime
      2,Toy Story (1995),Animation|Comedy
      5,Up (2009),Animation
      """;
  static final String RATINGS = """
      userId,movieId,rating,timestamp
      7,10,4.0,100
      3,2,3.5,50
      7,2,5,200
      3,5,2.0,300
      """;
  static final String TAGS = """
      userId,movieId,tag,timestamp
      3,10,"funny, \"\"dark\"\"",150
      """;

  private TinyTables() {}

  static Map<String, String> files() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("schema.yaml", SCHEMA);
    m.put("movies.csv", MOVIES);
    m.put("ratings.csv", RATINGS);
    m.put("tags.csv", TAGS);
    return m;
  }

  /** Writes the tables with {@code file} replaced by {@code content} (both null: unchanged). */
  static Path write(Path dir, String file, String content) {
    Map<String, String> m = files();
    if (file != null) m.put(file, content);
    try {
      for (var e : m.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve("schema.yaml");
  }

  static RelationalGraph load(Path dir, String file, String content) {
    return RelationalDatasets.load(write(dir, file, content).toString(), null);
  }
}
