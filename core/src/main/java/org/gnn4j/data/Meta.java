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
  private final Map<String, Object> map;
  private final String where;

  private Meta(Map<String, Object> map, String where) {
    this.map = map;
    this.where = where;
  }

  @SuppressWarnings("unchecked")
  static Meta read(DataSource src) {
    String where = src.describe(FILE);
    if (!src.has(FILE)) throw new DataFormatException(where, 0, "file is missing");
    try (InputStream in = src.open(FILE)) {
      Object v = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), where);
      if (!(v instanceof Map)) throw new DataFormatException(where, 0, "expected a JSON object");
      return new Meta((Map<String, Object>) v, where);
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

  DataFormatException error(String message) {
    return new DataFormatException(where, 0, message);
  }
}
