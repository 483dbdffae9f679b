package org.gnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.gnn4j.graph.Relation;

/**
 * Typed access to a layer's constructor arguments as PyG users write them, with PyG's defaults
 * and errors that name the layer and the argument ({@link LayerFactory}'s reader).
 */
record LayerArgs(String layer, Map<String, Object> kw) {
  int i(String key) {
    Object v = kw.get(key);
    if (v instanceof Long || v instanceof Integer) return Math.toIntExact(((Number) v).longValue());
    throw new IllegalArgumentException(layer + ": argument '" + key
        + "' must be an integer (got " + v + ")");
  }

  /** An integer with a default, for absent keys and PyG's None. */
  int i(String key, int def) {
    return kw.get(key) == null ? def : i(key);
  }

  float f(String key, float def) {
    Object v = kw.get(key);
    if (v == null) return def;
    if (v instanceof Number n) return n.floatValue();
    throw new IllegalArgumentException(layer + ": argument '" + key + "' must be a number (got "
        + v + ")");
  }

  boolean b(String key, boolean def) {
    Object v = kw.get(key);
    if (v == null) return def;
    if (v instanceof Boolean b) return b;
    throw new IllegalArgumentException(layer + ": argument '" + key + "' must be true or false"
        + " (got " + v + ")");
  }

  String s(String key, String def) {
    Object v = kw.get(key);
    return v == null ? def : String.valueOf(v);
  }

  /** PyG's in_channels: one width for both sides, or a pair (source, target). */
  int[] inChannels() {
    Object v = kw.get("in_channels");
    if (v instanceof List<?> l && l.size() == 2) {
      LayerArgs pair = new LayerArgs(layer,
          Map.of("in_channels[0]", l.get(0), "in_channels[1]", l.get(1)));
      return new int[] {pair.i("in_channels[0]"), pair.i("in_channels[1]")};
    }
    int c = i("in_channels");
    return new int[] {c, c};
  }

  /** Whether in_channels is PyG's pair (GATConv then has lin_src and lin_dst). */
  boolean inChannelsPair() {
    return kw.get("in_channels") instanceof List<?> l && l.size() == 2;
  }

  /** PyG's metadata: [node types, [[src, rel, dst], ...]]. */
  List<String> nodeTypes() {
    return metadataPart(0).stream().map(String::valueOf).toList();
  }

  List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    for (Object r : metadataPart(1)) {
      if (!(r instanceof List<?> t) || t.size() != 3) {
        throw new IllegalArgumentException(layer + ": metadata relation " + r
            + " is not [src, rel, dst]");
      }
      out.add(new Relation(String.valueOf(t.get(0)), String.valueOf(t.get(1)),
          String.valueOf(t.get(2))));
    }
    return out;
  }

  private List<?> metadataPart(int i) {
    if (!(kw.get("metadata") instanceof List<?> m) || m.size() != 2
        || !(m.get(i) instanceof List<?> part)) {
      throw new IllegalArgumentException(layer + ": argument 'metadata' must be [node types,"
          + " relations] (got " + kw.get("metadata") + ")");
    }
    return part;
  }

  void expect(String key, String value) {
    Object v = kw.get(key);
    if (v != null && !value.equals(v)) {
      throw new IllegalArgumentException(layer + ": " + key + " = '" + v + "' is not supported"
          + " yet (supported: '" + value + "')");
    }
  }
}
