package org.gnn4j.graph;

/**
 * One edge type of a heterogeneous graph, PyG's {@code (source type, relation, target type)}
 * triple, e.g. {@code (user, rates, item)}: its edges run from nodes of the source type to nodes
 * of the target type. Written {@code user__rates__item} in files and parameter names, as PyG
 * writes it.
 */
public record Relation(String src, String name, String dst) {
  public Relation {
    check("source type", src);
    check("relation name", name);
    check("target type", dst);
  }

  private static void check(String what, String s) {
    if (s == null || s.isEmpty() || s.contains("__") || !s.strip().equals(s)) {
      throw new IllegalArgumentException("Relation: " + what + " '" + s + "' must be a non-empty"
          + " name without surrounding spaces or '__' (expected e.g. user__rates__item)");
    }
  }

  /**
   * Parses {@code src__name__dst}.
   *
   * @throws IllegalArgumentException unless the text has exactly three parts
   */
  public static Relation parse(String text) {
    String[] p = text.split("__", -1);
    if (p.length != 3) {
      throw new IllegalArgumentException("Relation: '" + text + "' is not source__relation__target"
          + " (expected e.g. user__rates__item)");
    }
    return new Relation(p[0], p[1], p[2]);
  }

  /** Whether both ends are nodes of one type (user__follows__user). */
  public boolean sameType() {
    return src.equals(dst);
  }

  @Override
  public String toString() {
    return src + "__" + name + "__" + dst;
  }
}
