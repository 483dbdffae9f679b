package org.gnn4j.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for the metadata gnn4j reads (dataset {@code meta.json},
 * safetensors headers): objects become {@code LinkedHashMap}, arrays {@code List}, numbers
 * {@code Double} (or {@code Long} when integral and written without fraction or exponent),
 * plus String, Boolean and null. A key repeated within one object is an error. Errors name the
 * source, the line and the character offset.
 */
public final class Json {
  private final String src;
  private final String name;
  private int pos;
  private int depth;
  /** Deepest nesting of objects and arrays accepted: far beyond any real file, far below the stack. */
  static final int MAX_DEPTH = 256;

  private Json(String src, String name) {
    this.src = src;
    this.name = name;
  }

  /**
   * Parses one JSON value that fills {@code text}.
   *
   * @param sourceName used in error messages (a file name)
   * @throws Gnn4jConfigException on malformed input
   */
  public static Object parse(String text, String sourceName) {
    Json p = new Json(text, sourceName);
    Object v = p.value();
    p.ws();
    if (p.pos != text.length()) throw p.error("unexpected trailing characters");
    return v;
  }

  private Object value() {
    ws();
    if (pos >= src.length()) throw error("unexpected end of input");
    char c = src.charAt(pos);
    if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " objects or arrays");
    }
    return switch (c) {
      case '{' -> nested(object());
      case '[' -> nested(array());
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private <T> T nested(T v) {
    depth--;
    return v;
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    pos++;
    ws();
    if (peek('}')) return m;
    while (true) {
      ws();
      if (pos >= src.length() || src.charAt(pos) != '"') throw error("expected a string key");
      int keyAt = pos;
      String key = string();
      if (m.containsKey(key)) {
        pos = keyAt;
        // YAML configs refuse a repeated key; JSON ones must not keep the last one silently
        throw error("duplicate key \"" + key + "\"");
      }
      ws();
      expect(':');
      m.put(key, value());
      ws();
      if (peek('}')) return m;
      expect(',');
    }
  }

  private List<Object> array() {
    List<Object> list = new ArrayList<>();
    pos++;
    ws();
    if (peek(']')) return list;
    while (true) {
      list.add(value());
      ws();
      if (peek(']')) return list;
      expect(',');
    }
  }

  private String string() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= src.length()) break;
      char e = src.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > src.length()) throw error("truncated \\u escape");
          sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
          pos += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
    throw error("unterminated string");
  }

  private Object number() {
    int start = pos;
    boolean integral = true;
    while (pos < src.length() && "+-0123456789.eE".indexOf(src.charAt(pos)) >= 0) {
      if ("eE.".indexOf(src.charAt(pos)) >= 0) integral = false;
      pos++;
    }
    String t = src.substring(start, pos);
    if (t.isEmpty()) throw error("unexpected character '" + src.charAt(pos) + "'");
    try {
      return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("bad number '" + t + "'");
    }
  }

  private Object literal(String word, Object v) {
    if (!src.startsWith(word, pos)) throw error("unexpected token");
    pos += word.length();
    return v;
  }

  private void ws() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
  }

  private boolean peek(char c) {
    if (pos < src.length() && src.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) throw error("expected '" + c + "'");
  }

  private Gnn4jConfigException error(String what) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, src.length()); i++) if (src.charAt(i) == '\n') line++;
    return new Gnn4jConfigException(name, line, "invalid JSON: " + what + " at offset " + pos);
  }
}
