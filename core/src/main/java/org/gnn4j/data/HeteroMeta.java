package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gnn4j.graph.Relation;
import org.gnn4j.io.Json;

/**
 * The {@code meta.json} of a heterogeneous dataset (docs/data-format.md, section 6), parsed and
 * checked: node types (each once, with counts), relations (each once, between known types) and
 * the optional target. JSON objects lose their line numbers when parsed, so a problem with a type
 * or relation is located by searching the text for its quoted name (the line of its n-th
 * occurrence after the key that lists it).
 */
final class HeteroMeta {
  static final String KIND = "hetero";

  /** One node type: {@code numFeatures} is -1 when meta.json leaves it to the file. */
  record NodeType(String name, int numNodes, int numFeatures) {}

  /** One relation: {@code numEdges} and {@code edgeDim} are -1 when not given. */
  record RelationSpec(Relation relation, int numEdges, int edgeDim) {}

  final List<NodeType> nodeTypes = new ArrayList<>();
  final List<RelationSpec> relations = new ArrayList<>();
  final String target;
  final int numClasses;
  private final String text;
  private final String where;

  private HeteroMeta(String text, String where, Map<String, Object> map) {
    this.text = text;
    this.where = where;
    Object kind = map.get("kind");
    if (!KIND.equals(kind)) {
      throw error(line("\"kind\"", 0, 1), "key 'kind' must be \"hetero\" for a heterogeneous"
          + " dataset (got " + kind + ")");
    }
    readNodeTypes(map.get("node_types"));
    readRelations(map.get("relations"));
    Object t = map.get("target");
    if (t != null && !(t instanceof String)) {
      throw error(line("\"target\"", 0, 1), "key 'target' must be a node type name (got " + t + ")");
    }
    target = (String) t;
    if (target != null && nodeTypes.stream().noneMatch(n -> n.name().equals(target))) {
      throw error(line("\"target\"", 0, 1), "target names unknown node type '" + target
          + "' (known: " + String.join(", ", typeNames()) + ")");
    }
    numClasses = target == null ? 0 : integer(map, "num_classes", "num_classes", -2);
    if (target == null && map.get("num_classes") != null) {
      throw error(line("\"num_classes\"", 0, 1), "num_classes needs a target node type (key"
          + " 'target')");
    }
  }

  @SuppressWarnings("unchecked")
  static HeteroMeta read(DataSource src) {
    String where = src.describe(Meta.FILE);
    if (!src.has(Meta.FILE)) throw new DataFormatException(where, 0, "file is missing");
    String text;
    try (InputStream in = src.open(Meta.FILE)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DataFormatException(where, 0, "cannot read: " + e.getMessage(), e);
    }
    Object v = Json.parse(text, where); // names the file and line of a syntax error itself
    if (!(v instanceof Map)) throw new DataFormatException(where, 0, "expected a JSON object");
    return new HeteroMeta(text, where, (Map<String, Object>) v);
  }

  List<String> typeNames() {
    return nodeTypes.stream().map(NodeType::name).toList();
  }

  NodeType nodeType(String name) {
    for (NodeType t : nodeTypes) if (t.name().equals(name)) return t;
    throw new IllegalStateException("HeteroMeta: no node type " + name);
  }

  private void readNodeTypes(Object v) {
    int from = text.indexOf("\"node_types\"");
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      throw error(line("\"node_types\"", 0, 1), "key 'node_types' must be a non-empty list of"
          + " {\"name\": TYPE, \"num_nodes\": N} (got " + v + ")");
    }
    Set<String> seen = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
        throw error(line("\"node_types\"", 0, 1), "every node type must be an object with a"
            + " string \"name\" (got " + o + ")");
      }
      String quoted = "\"" + name + "\"";
      int occurrence = seen.contains(name) ? 2 : 1;
      int at = line(quoted, from, occurrence);
      if (!seen.add(name)) throw error(at, "node type '" + name + "' is given twice");
      if (name.isEmpty() || name.contains("__") || !name.strip().equals(name)
          || !fileSafe(name)) {
        throw error(at, "node type '" + name + "' must be a non-empty name without surrounding"
            + " spaces, '__', '/' or '\\' (it is part of file names)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> mm = (Map<String, Object>) m;
      int n = integer(mm, "num_nodes", "node type '" + name + "': num_nodes", at);
      int f = mm.get("num_features") == null ? -1
          : integer(mm, "num_features", "node type '" + name + "': num_features", at);
      nodeTypes.add(new NodeType(name, n, f));
    }
  }

  private void readRelations(Object v) {
    int from = text.indexOf("\"relations\"");
    if (!(v instanceof List<?> list)) {
      throw error(line("\"relations\"", 0, 1), "key 'relations' must be a list of"
          + " \"src__rel__dst\" names or {\"name\": ...} objects (got " + v + ")");
    }
    Set<Relation> seen = new HashSet<>();
    for (Object o : list) {
      Map<?, ?> m = o instanceof Map<?, ?> mm ? mm : Map.of();
      Object nameObj = o instanceof String ? o : m.get("name");
      if (!(nameObj instanceof String name)) {
        throw error(line("\"relations\"", 0, 1), "every relation must be a \"src__rel__dst\""
            + " string or an object with a string \"name\" (got " + o + ")");
      }
      String quoted = "\"" + name + "\"";
      Relation r;
      try {
        r = Relation.parse(name);
      } catch (IllegalArgumentException e) {
        throw error(line(quoted, from, 1), e.getMessage());
      }
      if (!fileSafe(name)) {
        throw error(line(quoted, from, 1), "relation " + name + " must not contain '/' or '\\'"
            + " (it is part of file names)");
      }
      int at = line(quoted, from, seen.contains(r) ? 2 : 1);
      if (!seen.add(r)) throw error(at, "relation " + r + " is given twice");
      for (String type : new String[] {r.src(), r.dst()}) {
        if (!typeNames().contains(type)) {
          throw error(at, "relation " + r + " names unknown node type '" + type + "' (known: "
              + String.join(", ", typeNames()) + ")");
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> mm = (Map<String, Object>) m;
      int e = mm.get("num_edges") == null ? -1 : integer(mm, "num_edges", "relation " + r
          + ": num_edges", at);
      int d = mm.get("edge_dim") == null ? -1 : integer(mm, "edge_dim", "relation " + r
          + ": edge_dim", at);
      relations.add(new RelationSpec(r, e, d));
    }
  }

  /** Whether {@code name} can be part of a file name in the dataset directory. */
  static boolean fileSafe(String name) {
    return name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
  }

  /** A non-negative int at {@code key}; {@code at} -2 means "find the key's line". */
  private int integer(Map<String, Object> m, String key, String what, int at) {
    Object v = m.get(key);
    if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
      throw error(at == -2 ? line("\"" + key + "\"", 0, 1) : at, what
          + " must be a non-negative integer (got " + v + ")");
    }
    return (int) (long) l;
  }

  /** 1-based line of the {@code occurrence}-th {@code needle} at or after {@code from}, or 0. */
  private int line(String needle, int from, int occurrence) {
    int pos = Math.max(0, from) - 1;
    for (int k = 0; k < occurrence; k++) {
      pos = text.indexOf(needle, pos + 1);
      if (pos < 0) return 0;
    }
    int line = 1;
    for (int i = 0; i < pos; i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  DataFormatException error(int line, String message) {
    return new DataFormatException(where, line, message);
  }
}
