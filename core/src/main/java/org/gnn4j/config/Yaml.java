package org.gnn4j.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.io.Gnn4jConfigException;

/**
 * The YAML subset gnn4j's config files use, read without a dependency: block mappings by
 * indentation, block lists ({@code - item}), flow lists ({@code [1, 2]}) and flow maps
 * ({@code {a: 1}}) of scalars, quoted or plain scalars, {@code #} comments. Anchors, multi-line
 * strings and multiple documents are refused with the line they are on, so a config never means
 * something other than what it appears to say. Every mapping comes back as a {@link ConfigNode}
 * that remembers the line of each key for error messages.
 */
public final class Yaml {
  private record Line(int number, int indent, String text) {}

  private final String source;
  private final List<Line> lines = new ArrayList<>();
  private int pos;

  private Yaml(String text, String source) {
    this.source = source;
    String[] raw = text.split("\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String s = stripComment(raw[i]).stripTrailing();
      if (s.isBlank()) continue;
      if (s.equals("---") && lines.isEmpty()) continue;
      if (s.indexOf('\t') >= 0 && s.indexOf('\t') < s.length() - s.stripLeading().length()) {
        throw new Gnn4jConfigException(source, i + 1, "tabs are not allowed for indentation");
      }
      int indent = s.length() - s.stripLeading().length();
      lines.add(new Line(i + 1, indent, s.strip()));
    }
  }

  /** Parses a whole document whose top level is a mapping. */
  public static ConfigNode parse(String text, String source) {
    Yaml y = new Yaml(text, source);
    if (y.lines.isEmpty()) return new ConfigNode(source, "", new LinkedHashMap<>(), Map.of(), 1);
    Object root = y.block(y.lines.get(0).indent);
    if (y.pos < y.lines.size()) {
      Line l = y.lines.get(y.pos);
      throw new Gnn4jConfigException(source, l.number, "unexpected indentation of '" + l.text + "'");
    }
    if (!(root instanceof ConfigNode node)) {
      throw new Gnn4jConfigException(source, 1, "the top level must be a mapping of keys (found a list)");
    }
    return node;
  }

  private Object block(int indent) {
    Line first = lines.get(pos);
    return first.text.startsWith("- ") || first.text.equals("-") ? list(indent) : map(indent, "");
  }

  private ConfigNode map(int indent, String path) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Integer> keyLines = new LinkedHashMap<>();
    int startLine = lines.get(pos).number;
    while (pos < lines.size()) {
      Line l = lines.get(pos);
      if (l.indent < indent) break;
      if (l.indent > indent) throw new Gnn4jConfigException(source, l.number, "unexpected indentation of '" + l.text + "'");
      int colon = keyColon(l.text);
      if (colon < 0) throw new Gnn4jConfigException(source, l.number, "expected 'key: value' (found '" + l.text + "')");
      String key = unquote(l.text.substring(0, colon).strip(), l.number);
      if (values.containsKey(key)) throw new Gnn4jConfigException(source, l.number, "duplicate key '" + key + "'");
      String rest = l.text.substring(colon + 1).strip();
      keyLines.put(key, l.number);
      pos++;
      String childPath = path.isEmpty() ? key : path + "." + key;
      if (rest.isEmpty()) {
        if (pos < lines.size() && lines.get(pos).indent > indent) {
          Line c = lines.get(pos);
          values.put(key, c.text.startsWith("- ") || c.text.equals("-") ? list(c.indent) : map(c.indent, childPath));
        } else if (pos < lines.size() && lines.get(pos).indent == indent && lines.get(pos).text.startsWith("- ")) {
          values.put(key, list(indent)); // a list may sit at its key's own indentation
        } else {
          values.put(key, null);
        }
      } else {
        values.put(key, inline(rest, l.number, childPath));
      }
    }
    return new ConfigNode(source, path, values, keyLines, startLine);
  }

  private List<Object> list(int indent) {
    List<Object> out = new ArrayList<>();
    while (pos < lines.size()) {
      Line l = lines.get(pos);
      if (l.indent != indent || !(l.text.startsWith("- ") || l.text.equals("-"))) break;
      String rest = l.text.substring(1).strip();
      pos++;
      if (rest.isEmpty()) {
        if (pos < lines.size() && lines.get(pos).indent > indent) out.add(block(lines.get(pos).indent));
        else out.add(null);
      } else if (keyColon(rest) > 0 && !rest.startsWith("[") && !rest.startsWith("{")) {
        throw new Gnn4jConfigException(source, l.number, "mappings inside lists are not supported; use a flow map {k: v}");
      } else {
        out.add(inline(rest, l.number, ""));
      }
    }
    return out;
  }

  private int flowDepth;

  private Object inline(String s, int line, String path) {
    if ((s.startsWith("[") || s.startsWith("{")) && flowDepth >= MAX_FLOW_DEPTH) {
      throw new Gnn4jConfigException(source, line, "flow lists and maps nested deeper than "
          + MAX_FLOW_DEPTH);
    }
    flowDepth++;
    try {
      return inlineValue(s, line, path);
    } finally {
      flowDepth--;
    }
  }

  /** Deepest nesting of [..] and {..} accepted: far beyond any real config, far below the stack. */
  static final int MAX_FLOW_DEPTH = 64;

  private Object inlineValue(String s, int line, String path) {
    if (s.startsWith("&") || s.startsWith("*") || s.startsWith("|") || s.startsWith(">")) {
      throw new Gnn4jConfigException(source, line, "anchors, aliases and block strings are not supported (found '" + s + "')");
    }
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) throw new Gnn4jConfigException(source, line, "unterminated flow list '" + s + "'");
      List<Object> out = new ArrayList<>();
      String body = s.substring(1, s.length() - 1).strip();
      if (!body.isEmpty()) for (String part : splitFlow(body, line)) out.add(inline(part.strip(), line, path));
      return out;
    }
    if (s.startsWith("{")) {
      if (!s.endsWith("}")) throw new Gnn4jConfigException(source, line, "unterminated flow map '" + s + "'");
      Map<String, Object> values = new LinkedHashMap<>();
      Map<String, Integer> keyLines = new LinkedHashMap<>();
      String body = s.substring(1, s.length() - 1).strip();
      if (!body.isEmpty()) {
        for (String part : splitFlow(body, line)) {
          int colon = keyColon(part.strip());
          if (colon < 0) throw new Gnn4jConfigException(source, line, "expected 'key: value' in flow map (found '" + part.strip() + "')");
          String key = unquote(part.strip().substring(0, colon).strip(), line);
          String childPath = path.isEmpty() ? key : path + "." + key;
          values.put(key, inline(part.strip().substring(colon + 1).strip(), line, childPath));
          keyLines.put(key, line);
        }
      }
      return new ConfigNode(source, path, values, keyLines, line);
    }
    return scalar(s, line);
  }

  private Object scalar(String s, int line) {
    if (s.startsWith("\"") || s.startsWith("'")) return unquote(s, line);
    switch (s) {
      case "true", "True", "TRUE", "yes" -> { return Boolean.TRUE; }
      case "false", "False", "FALSE", "no" -> { return Boolean.FALSE; }
      case "null", "~", "Null", "NULL" -> { return null; }
      default -> { }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException ignored) {
      // not an integer: try a real number next
    }
    if (s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?") || s.matches("[-+]?\\.?(inf|Inf|nan|NaN)")) {
      return Double.parseDouble(s.replace(".inf", "Infinity").replace(".Inf", "Infinity").replace(".nan", "NaN"));
    }
    return s;
  }

  private String unquote(String s, int line) {
    if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'')) {
      char q = s.charAt(0);
      if (s.charAt(s.length() - 1) != q) throw new Gnn4jConfigException(source, line, "unterminated string " + s);
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  /** Index of the colon that ends a key (followed by a space or the end), outside quotes; -1 if none. */
  private static int keyColon(String s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        return -1;
      } else if (c == ':' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private List<String> splitFlow(String body, int line) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    char quote = 0;
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(body.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0 || quote != 0) throw new Gnn4jConfigException(source, line, "unbalanced brackets or quotes in '" + body + "'");
    parts.add(body.substring(start));
    return parts;
  }

  private static String stripComment(String s) {
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ')) {
        return s.substring(0, i);
      }
    }
    return s;
  }
}
