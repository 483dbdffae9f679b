package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where a dataset's files come from: a directory the user names ({@code --data DIR}) or the
 * datasets embedded in the gnn4j jar. Opens {@code .gz} files decompressed, and names each file
 * the way error messages should print it.
 */
public interface DataSource {
  /** Whether the dataset has this file. */
  boolean has(String file);

  /** The raw bytes of a file (not decompressed). */
  InputStream openRaw(String file) throws IOException;

  /** How to print {@code file} in a message: a path or {@code embedded:cora/y.tsv.gz}. */
  String describe(String file);

  /** Opens a file, gunzipping {@code *.gz}. */
  default InputStream open(String file) throws IOException {
    InputStream in = openRaw(file);
    return file.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** The datasets shipped inside gnn4j, in the order {@code gnn4j info} lists them. */
  List<String> EMBEDDED = List.of("cora", "karate", "mutag", "proteins", "enzymes", "zinc_subset");

  /**
   * The heterogeneous datasets shipped inside gnn4j ({@link HeteroDatasetReader}); kept apart
   * from {@link #EMBEDDED}, whose names the homogeneous training configs accept.
   */
  List<String> EMBEDDED_HETERO = List.of("user_item");

  /**
   * The user-item interaction datasets shipped inside gnn4j ({@link InteractionDatasetReader}),
   * the data of recommendation configs.
   */
  List<String> EMBEDDED_INTERACTIONS = List.of("movielens_small");

  /** Whether {@code name} is one of the datasets shipped inside gnn4j. */
  static boolean isEmbedded(String name) {
    return EMBEDDED.contains(name) || EMBEDDED_HETERO.contains(name) || EMBEDDED_INTERACTIONS.contains(name);
  }

  /**
   * An embedded dataset when {@code dirOrName} is one of {@link #EMBEDDED}, else the directory
   * of that path.
   *
   * @throws IllegalArgumentException if it is neither an embedded name nor a directory
   */
  static DataSource resolve(String dirOrName) {
    if (isEmbedded(dirOrName)) return embedded(dirOrName);
    Path dir = Path.of(dirOrName);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("data: '" + dirOrName + "' is neither a directory nor an"
          + " embedded dataset (embedded: " + String.join(", ", EMBEDDED) + ", "
          + String.join(", ", EMBEDDED_HETERO) + ", " + String.join(", ", EMBEDDED_INTERACTIONS) + ")");
    }
    return directory(dir);
  }

  /** The last path element of a directory, or the embedded name: a default dataset name. */
  static String nameOf(String dirOrName) {
    if (isEmbedded(dirOrName)) return dirOrName;
    Path f = Path.of(dirOrName).toAbsolutePath().normalize().getFileName();
    return f == null ? dirOrName : f.toString();
  }

  /** A dataset directory on disk. */
  static DataSource directory(Path dir) {
    return new DataSource() {
      @Override
      public boolean has(String file) {
        return Files.isRegularFile(dir.resolve(file));
      }

      @Override
      public InputStream openRaw(String file) throws IOException {
        return Files.newInputStream(dir.resolve(file));
      }

      @Override
      public String describe(String file) {
        return dir.resolve(file).toString();
      }
    };
  }

  /** A dataset shipped inside gnn4j under {@code org/gnn4j/data/NAME/}. */
  static DataSource embedded(String name) {
    String base = "/org/gnn4j/data/" + name + "/";
    if (DataSource.class.getResource(base + "meta.json") == null) {
      throw new IllegalArgumentException("embedded dataset '" + name + "' does not exist"
          + " (embedded: " + String.join(", ", EMBEDDED) + ")");
    }
    return new DataSource() {
      @Override
      public boolean has(String file) {
        return DataSource.class.getResource(base + file) != null;
      }

      @Override
      public InputStream openRaw(String file) throws IOException {
        InputStream in = DataSource.class.getResourceAsStream(base + file);
        if (in == null) throw new UncheckedIOException(new IOException("missing " + base + file));
        return in;
      }

      @Override
      public String describe(String file) {
        return "embedded:" + name + "/" + file;
      }
    };
  }
}
