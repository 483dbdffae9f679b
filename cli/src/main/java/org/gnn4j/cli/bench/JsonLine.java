package org.gnn4j.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds one flat JSON object in insertion order: the line format of {@code gnn4j bench}. */
public final class JsonLine {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public JsonLine put(String key, Object value) {
    fields.put(key, value);
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
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Double d) {
        sb.append(Double.isFinite(d) ? String.format(java.util.Locale.ROOT, "%.4f", d) : "null");
      } else if (v instanceof Float f) {
        sb.append(Float.isFinite(f) ? String.format(java.util.Locale.ROOT, "%.4f", f) : "null");
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        sb.append(quote(v.toString()));
      }
    }
    return sb.append('}').toString();
  }

  static String quote(String s) {
    return org.gnn4j.io.JsonText.quote(s);
  }
}
