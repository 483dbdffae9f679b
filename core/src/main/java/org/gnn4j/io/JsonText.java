package org.gnn4j.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one flat JSON object in insertion order, with doubles in their shortest exact form
 * (they read back bit for bit through {@link Json}) and non-finite numbers as {@code null}.
 * For the small machine-written JSON gnn4j stores inside checkpoints.
 */
public final class JsonText {
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private final Map<String, Boolean> raw = new LinkedHashMap<>();
  private final int decimals;

  /** Doubles in their exact shortest form. */
  public JsonText() {
    this(-1);
  }

  private JsonText(int decimals) {
    this.decimals = decimals;
  }

  /** Doubles and floats printed with a fixed number of decimals (report lines for people). */
  public static JsonText rounded(int decimals) {
    return new JsonText(decimals);
  }

  public JsonText put(String key, Object value) {
    fields.put(key, value);
    return this;
  }

  /** Puts already-serialised JSON (an array or object) as the value. */
  public JsonText putRaw(String key, String json) {
    fields.put(key, json);
    raw.put(key, true);
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (var e : fields.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append(quote(e.getKey())).append(':');
      Object v = e.getValue();
      if (raw.containsKey(e.getKey())) {
        sb.append(v);
      } else if (v == null) {
        sb.append("null");
      } else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        if (!Double.isFinite(d)) sb.append("null");
        else if (decimals >= 0) sb.append(String.format(java.util.Locale.ROOT, "%." + decimals + "f", d));
        else sb.append(v instanceof Float f ? Double.toString(f) : Double.toString(d));
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append(quote(v.toString()));
      }
    }
    return sb.append('}').toString();
  }

  /** A JSON string literal. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
