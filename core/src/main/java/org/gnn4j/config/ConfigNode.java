package org.gnn4j.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.io.Json;

/**
 * One mapping of a config file (YAML or JSON) with typed, defaulted getters. Every getter
 * records the key it was asked for, so after a model and a trainer have read what they need,
 * {@link #checkNoUnknown()} reports the first key nobody read (a typo) with its file, line and
 * the keys that are valid at that place. Values that are out of their allowed set are reported
 * the same way, listing the valid ones.
 */
public final class ConfigNode {
  private final String source;
  private final String path;
  private final Map<String, Object> values;
  private final Map<String, Integer> lines;
  private final int line;
  private final Set<String> read = new LinkedHashSet<>();

  ConfigNode(String source, String path, Map<String, Object> values, Map<String, Integer> lines, int line) {
    this.source = source;
    this.path = path;
    this.values = values;
    this.lines = lines;
    this.line = line;
  }

  /** An empty config (every getter returns its default). */
  public static ConfigNode empty(String source) {
    return new ConfigNode(source, "", new LinkedHashMap<>(), Map.of(), 0);
  }

  /** Reads a {@code .yaml}/{@code .yml} or {@code .json} file. */
  public static ConfigNode load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Gnn4jConfigException(file.toString(), 0, "cannot read config: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses text as JSON when it starts with '{', else as YAML. */
  public static ConfigNode parse(String text, String source) {
    if (text.stripLeading().startsWith("{")) {
      Object v = Json.parse(text, source);
      return fromJson((Map<?, ?>) v, text, source, "", 0);
    }
    return Yaml.parse(text, source);
  }

  private static ConfigNode fromJson(Map<?, ?> m, String text, String source, String path, int from) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    int at = from;
    for (var e : m.entrySet()) {
      String key = (String) e.getKey();
      int idx = text.indexOf("\"" + key + "\"", at);
      if (idx >= 0) at = idx;
      lines.put(key, lineOf(text, idx >= 0 ? idx : at));
      String childPath = path.isEmpty() ? key : path + "." + key;
      values.put(key, convert(e.getValue(), text, source, childPath, at));
    }
    return new ConfigNode(source, path, values, lines, lineOf(text, from));
  }

  private static Object convert(Object v, String text, String source, String path, int at) {
    if (v instanceof Map<?, ?> m) return fromJson(m, text, source, path, at);
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) out.add(convert(o, text, source, path, at));
      return out;
    }
    return v;
  }

  private static int lineOf(String text, int offset) {
    int n = 1;
    for (int i = 0; i < Math.min(offset, text.length()); i++) if (text.charAt(i) == '\n') n++;
    return n;
  }

  public String source() {
    return source;
  }

  public boolean has(String key) {
    return values.containsKey(key) && values.get(key) != null;
  }

  /** Whether {@code key} holds a mapping (rather than a value or a list). */
  public boolean isSection(String key) {
    return values.get(key) instanceof ConfigNode;
  }

  /** The keys of this mapping, in file order. */
  public List<String> keys() {
    return List.copyOf(values.keySet());
  }

  /** The sub-mapping under {@code key}; an empty node when absent. */
  public ConfigNode section(String key) {
    read.add(key);
    Object v = values.get(key);
    if (v == null) {
      return new ConfigNode(source, qualified(key), new LinkedHashMap<>(), Map.of(), lineOf(key));
    }
    if (v instanceof ConfigNode n) return n;
    throw error(key, "expected a mapping of keys (found " + describe(v) + ")");
  }

  public String string(String key, String def) {
    Object v = get(key);
    if (v == null) return def;
    if (v instanceof ConfigNode || v instanceof List) throw error(key, "expected a single value (found " + describe(v) + ")");
    return String.valueOf(v);
  }

  /** A string that must be one of {@code allowed} (case-insensitive); returned lower-case. */
  public String choice(String key, String def, String... allowed) {
    String v = string(key, def);
    if (v == null) return null;
    for (String a : allowed) if (a.equalsIgnoreCase(v)) return a;
    throw error(key, "unknown value '" + v + "' (valid: " + String.join(", ", allowed) + ")");
  }

  /**
   * One of the constants of {@code type}, written in the file as its lower-case name
   * ({@code GPS_GIN} as {@code gps_gin}, case-insensitive).
   */
  public <E extends Enum<E>> E choice(String key, E def, Class<E> type) {
    E[] all = type.getEnumConstants();
    String[] names = new String[all.length];
    for (int i = 0; i < all.length; i++) names[i] = all[i].name().toLowerCase(java.util.Locale.ROOT);
    String v = choice(key, def == null ? null : def.name().toLowerCase(java.util.Locale.ROOT), names);
    return v == null ? null : Enum.valueOf(type, v.toUpperCase(java.util.Locale.ROOT));
  }

  public int integer(String key, int def) {
    Object v = get(key);
    if (v == null) return def;
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return l.intValue();
    throw error(key, "expected an integer (found " + describe(v) + ")");
  }

  /** An integer in [{@code min}, {@code max}]. */
  public int integer(String key, int def, int min, int max) {
    int v = integer(key, def);
    if (v < min || v > max) throw error(key, "must be in [" + min + ", " + max + "] (found " + v + ")");
    return v;
  }

  public double number(String key, double def) {
    Object v = get(key);
    if (v == null) return def;
    if (v instanceof Number n) return n.doubleValue();
    throw error(key, "expected a number (found " + describe(v) + ")");
  }

  /** A number in [{@code min}, {@code max}]. */
  public double number(String key, double def, double min, double max) {
    double v = number(key, def);
    if (!(v >= min && v <= max)) throw error(key, "must be in [" + min + ", " + max + "] (found " + v + ")");
    return v;
  }

  public boolean bool(String key, boolean def) {
    Object v = get(key);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    throw error(key, "expected true or false (found " + describe(v) + ")");
  }

  public int[] integers(String key, int[] def) {
    Object v = get(key);
    if (v == null) return def;
    if (v instanceof Long) return new int[] {integer(key, 0)};
    if (!(v instanceof List<?> l)) throw error(key, "expected a list of integers (found " + describe(v) + ")");
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Long x)) throw error(key, "expected a list of integers (item " + i + " is " + describe(l.get(i)) + ")");
      out[i] = x.intValue();
    }
    return out;
  }

  /**
   * The sub-mapping under {@code key}, added (empty) when the file has none, so that values
   * {@link #set} on it are kept (command-line overrides of a section the file left out).
   */
  public ConfigNode sectionForUpdate(String key) {
    if (!(values.get(key) instanceof ConfigNode)) {
      if (values.get(key) != null) throw error(key, "expected a mapping of keys (found " + describe(values.get(key)) + ")");
      values.put(key, new ConfigNode(source, qualified(key), new LinkedHashMap<>(), new LinkedHashMap<>(), lineOf(key)));
    }
    return section(key);
  }

  /** Removes {@code key} as if the file had not had it (an override that replaces it). */
  public ConfigNode remove(String key) {
    values.remove(key);
    return this;
  }

  /** Sets a value as if the file had it (command-line overrides such as {@code --seed}). */
  public ConfigNode set(String key, Object value) {
    values.put(key, value instanceof Integer i ? Long.valueOf(i) : value);
    return this;
  }

  /**
   * Throws for the first key (depth first) that no getter read, naming its file, line, dotted
   * path and the valid keys at that level.
   */
  public void checkNoUnknown() {
    for (var e : values.entrySet()) {
      if (!read.contains(e.getKey())) {
        List<String> valid = new ArrayList<>(read);
        throw error(e.getKey(), "unknown key '" + qualified(e.getKey()) + "' (valid"
            + (path.isEmpty() ? "" : " in '" + path + "'") + ": "
            + (valid.isEmpty() ? "none" : String.join(", ", valid)) + ")");
      }
      if (e.getValue() instanceof ConfigNode n) n.checkNoUnknown();
    }
  }

  /** An error about {@code key} of this node, with file and line. */
  public Gnn4jConfigException error(String key, String message) {
    return new Gnn4jConfigException(source, lineOf(key), "'" + qualified(key) + "': " + message);
  }

  /** The config as plain JSON (for checkpoints, so a model can be rebuilt from its file). */
  public String toJson() {
    StringBuilder sb = new StringBuilder();
    writeJson(this, sb);
    return sb.toString();
  }

  private static void writeJson(Object v, StringBuilder sb) {
    if (v instanceof ConfigNode n) {
      sb.append('{');
      boolean first = true;
      for (var e : n.values.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        sb.append('"').append(escape(e.getKey())).append("\":");
        writeJson(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        writeJson(l.get(i), sb);
      }
      sb.append(']');
    } else if (v instanceof String s) {
      sb.append('"').append(escape(s)).append('"');
    } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      sb.append("null");
    } else {
      sb.append(v);
    }
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private Object get(String key) {
    read.add(key);
    return values.get(key);
  }

  private String qualified(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private int lineOf(String key) {
    Integer l = lines.get(key);
    return l != null ? l : line;
  }

  private static String describe(Object v) {
    if (v instanceof ConfigNode) return "a mapping";
    if (v instanceof List<?> l) return "a list " + Arrays.toString(l.toArray());
    if (v instanceof String s) return "'" + s + "'";
    return String.valueOf(v);
  }
}
