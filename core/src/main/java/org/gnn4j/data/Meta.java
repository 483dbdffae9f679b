package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.gnn4j.io.Json;

/** The parsed {@code meta.json} of a dataset with typed, error-naming accessors. */
final class Meta {
  static final String FILE = "meta.json";
  /** The dataset kinds a meta.json may name; the readers check theirs. */
  static final List<String> KINDS = List.of("node_classification", "graph_classification",
      "graph_regression", "hetero", "interactions");
  private final Map<String, Object> map;
  private final String where;
  private final String text;

  private Meta(Map<String, Object> map, String where, String text) {
    this.map = map;
    this.where = where;
    this.text = text;
  }

  @SuppressWarnings("unchecked")
  static Meta read(DataSource src) {
    String where = src.describe(FILE);
    if (!src.has(FILE)) throw new DataFormatException(where, 0, "file is missing");
    try (InputStream in = src.open(FILE)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Object v = Json.parse(text, where);
      if (!(v instanceof Map)) throw new DataFormatException(where, 0, "expected a JSON object");
      Meta m = new Meta((Map<String, Object>) v, where, text);
      Object kind = m.map.get("kind");
      if (kind != null && !KINDS.contains(kind)) {
        // a misspelt kind must not quietly fall back to a default task
        throw new DataFormatException(where, m.lineOf("kind"), "kind '" + kind + "' is not one of "
            + String.join(", ", KINDS));
      }
      return m;
    } catch (IOException e) {
      throw new DataFormatException(where, 0, "cannot read: " + e.getMessage(), e);
    }
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  Object get(String key) {
    return map.get(key);
  }

  int integer(String key) {
    Object v = map.get(key);
    if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
      throw new DataFormatException(where, 0, "key '" + key
          + "' must be a non-negative integer (got " + v + ")");
    }
    return (int) (long) l;
  }

  /** {@code key} as an integer, or {@code fallback} when absent or null. */
  int integer(String key, int fallback) {
    return has(key) ? integer(key) : fallback;
  }

  String string(String key, String fallback) {
    Object v = map.get(key);
    if (v == null) return fallback;
    if (!(v instanceof String s)) {
      throw new DataFormatException(where, 0, "key '" + key + "' must be a string (got " + v + ")");
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  List<String> strings(String key) {
    Object v = map.get(key);
    if (!(v instanceof List<?> l)) return List.of();
    return (List<String>) l.stream().map(String::valueOf).toList();
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(String key) {
    Object v = map.get(key);
    return v instanceof Map ? (Map<String, Object>) v : Map.of();
  }

  /**
   * Checks that a present {@code kind} is one the calling reader reads: a directory whose files
   * say one format and whose meta.json says another is refused rather than guessed.
   *
   * @param reader names the reader in the message
   */
  void expectKind(String reader, String... kinds) {
    Object kind = map.get("kind");
    if (kind != null && !List.of(kinds).contains(kind)) {
      throw new DataFormatException(where, lineOf("kind"), "kind '" + kind + "' does not match the"
          + " files, which are in the " + reader + " format (expected " + String.join(" or ", kinds)
          + ")");
    }
  }

  /** Line of the first {@code "key"} in the file (1 when not found). */
  int lineOf(String key) {
    int at = text.indexOf("\"" + key + "\"");
    int line = 1;
    for (int i = 0; i < Math.max(at, 0); i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  DataFormatException error(String message) {
    return new DataFormatException(where, 0, message);
  }
}
