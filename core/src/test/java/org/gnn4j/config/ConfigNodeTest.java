package org.gnn4j.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gnn4j.io.Gnn4jConfigException;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private static final String YAML = """
      # a comment
      dataset:
        name: cora        # trailing comment
      model:
        layer: gat
        hidden: 64
        dropout: 0.6
        head: {type: conv, layers: 2}
        fanouts: [10, 5]
      train:
        epochs: 200
        resume: true
        label: "a: b # not a comment"
      """;

  @Test
  void yamlValuesAreTyped() {
    ConfigNode c = ConfigNode.parse(YAML, "x.yaml");
    assertEquals("cora", c.section("dataset").string("name", null));
    ConfigNode m = c.section("model");
    assertEquals("gat", m.choice("layer", "gcn", "gcn", "gat"));
    assertEquals(64, m.integer("hidden", 0));
    assertEquals(0.6, m.number("dropout", 0), 1e-12);
    assertEquals("conv", m.section("head").string("type", null));
    assertEquals(2, m.section("head").integer("layers", 0));
    assertArrayEquals(new int[] {10, 5}, m.integers("fanouts", null));
    ConfigNode t = c.section("train");
    assertEquals(200, t.integer("epochs", 0));
    assertTrue(t.bool("resume", false));
    assertEquals("a: b # not a comment", t.string("label", null));
    assertEquals(7, t.integer("absent", 7));
  }

  @Test
  void unknownKeyNamesFileLineAndValidKeys() {
    ConfigNode c = ConfigNode.parse("model:\n  layer: gcn\n  hiden: 16\n", "cfg.yaml");
    ConfigNode m = c.section("model");
    m.string("layer", null);
    m.integer("hidden", 16);
    var e = assertThrows(Gnn4jConfigException.class, c::checkNoUnknown);
    assertTrue(e.getMessage().startsWith("cfg.yaml:3:"), e.getMessage());
    assertTrue(e.getMessage().contains("model.hiden"), e.getMessage());
    assertTrue(e.getMessage().contains("layer, hidden"), e.getMessage());
  }

  @Test
  void badValuesListTheValidOnes() {
    ConfigNode c = ConfigNode.parse("model:\n  layer: gcnn\n  hidden: big\n", "c.yaml");
    var e = assertThrows(Gnn4jConfigException.class, () -> c.section("model").choice("layer", "gcn", "gcn", "gat"));
    assertTrue(e.getMessage().contains("c.yaml:2") && e.getMessage().contains("valid: gcn, gat"), e.getMessage());
    var e2 = assertThrows(Gnn4jConfigException.class, () -> c.section("model").integer("hidden", 1));
    assertTrue(e2.getMessage().contains("c.yaml:3") && e2.getMessage().contains("integer"), e2.getMessage());
  }

  @Test
  void jsonConfigsWorkTheSameWithLines() {
    ConfigNode c = ConfigNode.parse("{\n \"model\": {\n  \"layer\": \"gin\",\n  \"layrs\": 3\n }\n}", "c.json");
    assertEquals("gin", c.section("model").string("layer", null));
    var e = assertThrows(Gnn4jConfigException.class, c::checkNoUnknown);
    assertTrue(e.getMessage().startsWith("c.json:4:"), e.getMessage());
  }

  @Test
  void yamlStructureErrorsNameTheLine() {
    var e = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse("a: 1\n   b: 2\n", "y.yaml"));
    assertTrue(e.getMessage().startsWith("y.yaml:2:"), e.getMessage());
    var dup = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse("a: 1\na: 2\n", "y.yaml"));
    assertTrue(dup.getMessage().contains("duplicate key 'a'"), dup.getMessage());
    var anchor = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse("a: &x 1\n", "y.yaml"));
    assertTrue(anchor.getMessage().contains("anchors"), anchor.getMessage());
  }

  @Test
  void toJsonRoundTripsThroughTheJsonParser() {
    ConfigNode c = ConfigNode.parse(YAML, "x.yaml");
    ConfigNode back = ConfigNode.parse(c.toJson(), "copy.json");
    assertEquals(64, back.section("model").integer("hidden", 0));
    assertEquals("conv", back.section("model").section("head").string("type", null));
    assertFalse(back.has("nothing"));
  }

  @Test
  void overridesActAsIfWritten() {
    ConfigNode c = ConfigNode.parse(YAML, "x.yaml");
    c.section("train").set("seed", 5);
    assertEquals(5, c.section("train").integer("seed", 0));
  }

  @Test
  void flowNestingDeeperThanTheLimitIsOneErrorAtItsLine() {
    String text = "a: 1\nb: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
    var e = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse(text, "deep.yaml"));
    assertTrue(e.getMessage().startsWith("deep.yaml:2: mappings and lists nested deeper than 64"),
        e.getMessage());
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 5_000; i++) block.append(" ".repeat(i)).append("k:\n");
    e = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse(block.toString(), "deep.yaml"));
    assertTrue(e.getMessage().startsWith("deep.yaml:65: mappings and lists nested deeper than 64"),
        e.getMessage());
  }

  @Test
  void yamlOnePointTwoWithWhatAConfigMustNotMeanRefusedAtItsLine() {
    ConfigNode c = ConfigNode.parse("""
        a: yes
        b: 0x1f
        c: .inf
        d: "12"
        e: |
          two
          lines
        f: [1, {g: 2.5}]
        """, "y.yaml");
    assertEquals("yes", c.string("a", null));
    assertEquals(31, c.integer("b", 0));
    assertEquals(Double.POSITIVE_INFINITY, c.number("c", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    assertEquals("12", c.string("d", null));
    assertEquals("two\nlines\n", c.string("e", null));
    String[][] bad = {
        {"a: 1\nb: 2\na: 3\n", "y.yaml:3: duplicate key 'a' (first on line 1)"},
        {"a: &x 1\nb: *x\n", "y.yaml:1: anchors (&name) are not supported"},
        {"a: !!str 1\n", "y.yaml:1: tags (!name) are not supported"},
        {"a: 1\n---\nb: 2\n", "y.yaml:2: a file holds one document"},
        {"a: [1, 2\n", "y.yaml:2: invalid YAML: "},
        {"- 1\n- 2\n", "y.yaml:1: the top level must be a mapping of keys (found a list)"},
    };
    for (String[] b : bad) {
      var e = assertThrows(Gnn4jConfigException.class, () -> ConfigNode.parse(b[0], "y.yaml"), b[0]);
      assertTrue(e.getMessage().startsWith(b[1]), b[0] + " -> " + e.getMessage());
    }
  }
}
