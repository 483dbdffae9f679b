package org.gnn4j.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gnn4j.io.Gnn4jConfigException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads gnn4j's YAML files (configs, schemas) as YAML 1.2: SnakeYAML Engine scans and parses the
 * text into events, and this class builds the values from them, so it can hold what the library
 * leaves open: every key remembers its line (each mapping comes back as a {@link ConfigNode} for
 * error messages), a duplicate key is an error, nesting deeper than {@link #MAX_DEPTH} stops at
 * the line that goes too deep (the events are consumed iteratively, so no input reaches the
 * stack's limit), and anchors, aliases, tags and multiple documents are refused with their line,
 * so a config never means something other than what it appears to say. Plain scalars resolve
 * by the YAML 1.2 core schema ({@code true}, {@code 12}, {@code 1e-3}, {@code null}; {@code yes}
 * is a string).
 */
public final class Yaml {
  /** Deepest nesting of mappings and lists accepted: far beyond any real config. */
  static final int MAX_DEPTH = 64;

  private static final ScalarResolver RESOLVER = new CoreSchema().getScalarResolver();
  private static final LoadSettings SETTINGS = LoadSettings.builder().setUseMarks(true)
      .setAllowDuplicateKeys(false).setMaxAliasesForCollections(0).build();

  /** A mapping or list being filled. */
  private static final class Frame {
    final String path;
    final int line;
    final Map<String, Object> map;          // null for a list
    final Map<String, Integer> keyLines;
    final List<Object> list;
    String key;                             // a mapping's key waiting for its value

    Frame(String path, int line, boolean isMap) {
      this.path = path;
      this.line = line;
      this.map = isMap ? new LinkedHashMap<>() : null;
      this.keyLines = isMap ? new LinkedHashMap<>() : null;
      this.list = isMap ? null : new ArrayList<>();
    }
  }

  private final String source;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private Object root;
  private boolean sawRoot;
  private int documents;

  private Yaml(String source) {
    this.source = source;
  }

  /** Parses a whole document whose top level is a mapping. */
  public static ConfigNode parse(String text, String source) {
    Yaml y = new Yaml(source);
    try {
      // what api.lowlevel.Parse does, from exported packages: snakeyaml-engine's module does
      // not export api.lowlevel, so a named gnn4j module cannot use Parse itself
      ParserImpl events = new ParserImpl(SETTINGS, new StreamReader(SETTINGS, new java.io.StringReader(text)));
      while (events.hasNext()) y.accept(events.next());
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().orElse(e.getContextMark().orElse(null));
      throw new Gnn4jConfigException(source, m == null ? 0 : m.getLine() + 1,
          "invalid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getContext()));
    } catch (YamlEngineException e) {
      throw new Gnn4jConfigException(source, 0, "invalid YAML: " + e.getMessage());
    }
    if (!y.sawRoot || y.root == null) return new ConfigNode(source, "", new LinkedHashMap<>(), Map.of(), 1);
    if (!(y.root instanceof ConfigNode node)) {
      throw new Gnn4jConfigException(source, 1, "the top level must be a mapping of keys (found "
          + (y.root instanceof List ? "a list" : "'" + y.root + "'") + ")");
    }
    return node;
  }

  private static int line(Event e) {
    return e.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  private void accept(Event e) {
    switch (e.getEventId()) {
      case StreamStart, StreamEnd, DocumentEnd, Comment -> { }
      case DocumentStart -> {
        if (++documents > 1) throw new Gnn4jConfigException(source, line(e), "a file holds one document (found a second '---')");
      }
      case Alias -> throw new Gnn4jConfigException(source, line(e), "aliases (*name) are not supported");
      case MappingStart, SequenceStart -> {
        noAnchorOrTag(e);
        if (stack.size() >= MAX_DEPTH) {
          throw new Gnn4jConfigException(source, line(e), "mappings and lists nested deeper than " + MAX_DEPTH);
        }
        stack.push(new Frame(childPath(), line(e), e.getEventId() == Event.ID.MappingStart));
      }
      case MappingEnd, SequenceEnd -> {
        Frame f = stack.pop();
        value(f.map != null ? new ConfigNode(source, f.path, f.map, f.keyLines, f.line) : f.list, line(e));
      }
      case Scalar -> {
        noAnchorOrTag(e);
        ScalarEvent s = (ScalarEvent) e;
        Frame top = stack.peek();
        if (top != null && top.map != null && top.key == null) {
          key(top, s.getValue(), line(e));
        } else {
          value(scalar(s), line(e));
        }
      }
    }
  }

  private void noAnchorOrTag(Event e) {
    if (e instanceof org.snakeyaml.engine.v2.events.NodeEvent n && n.getAnchor().isPresent()) {
      throw new Gnn4jConfigException(source, line(e), "anchors (&name) are not supported");
    }
    boolean tagged = e instanceof ScalarEvent s ? s.getTag().isPresent() && !s.getImplicit().canOmitTagInPlainScalar()
        && !s.getImplicit().canOmitTagInNonPlainScalar()
        : e instanceof org.snakeyaml.engine.v2.events.CollectionStartEvent c && c.getTag().isPresent() && !c.isImplicit();
    if (tagged) throw new Gnn4jConfigException(source, line(e), "tags (!name) are not supported");
  }

  private void key(Frame f, String key, int line) {
    if (f.map.containsKey(key)) {
      throw new Gnn4jConfigException(source, line, "duplicate key '" + key + "' (first on line "
          + f.keyLines.get(key) + ")");
    }
    f.key = key;
    f.keyLines.put(key, line);
  }

  /** A finished value: the root, the next list item, or the value of the waiting key. */
  private void value(Object v, int line) {
    Frame top = stack.peek();
    if (top == null) {
      root = v;
      sawRoot = true;
    } else if (top.list != null) {
      top.list.add(v);
    } else if (top.key == null) {
      throw new Gnn4jConfigException(source, line, "keys must be plain strings (found a mapping or list as a key)");
    } else {
      top.map.put(top.key, v);
      top.key = null;
    }
  }

  /** The dotted path a mapping opened now will have (its parent's path plus the waiting key). */
  private String childPath() {
    Frame top = stack.peek();
    if (top == null || top.map == null || top.key == null) return top == null ? "" : top.path;
    return top.path.isEmpty() ? top.key : top.path + "." + top.key;
  }

  /** Quoted scalars are strings; plain ones resolve by the YAML 1.2 core schema. */
  private Object scalar(ScalarEvent s) {
    String v = s.getValue();
    if (!s.isPlain()) return v;
    Tag t = RESOLVER.resolve(v, true);
    if (t.equals(Tag.NULL)) return null;
    if (t.equals(Tag.BOOL)) return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
    if (t.equals(Tag.INT)) {
      try {
        if (v.startsWith("0x")) return Long.parseLong(v.substring(2), 16);
        if (v.startsWith("0o")) return Long.parseLong(v.substring(2), 8);
        return Long.parseLong(v.startsWith("+") ? v.substring(1) : v);
      } catch (NumberFormatException e) {
        return Double.parseDouble(v);          // an integer beyond 64 bits
      }
    }
    if (t.equals(Tag.FLOAT)) {
      String f = v.toLowerCase(java.util.Locale.ROOT);
      if (f.endsWith(".inf")) return f.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      if (f.equals(".nan")) return Double.NaN;
      return Double.parseDouble(v);
    }
    return v;
  }
}
