package org.gnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesNestedValues() {
    Object v = Json.parse("{\"a\": [1, 2.5, -3e2], \"b\": {\"c\": \"x\\ty\\u0041\"}, \"d\": null,"
        + " \"e\": true}", "t.json");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, 2.5, -300.0), m.get("a"));
    assertEquals("x\tyA", ((Map<?, ?>) m.get("b")).get("c"));
    assertTrue(m.containsKey("d") && m.get("d") == null);
    assertEquals(Boolean.TRUE, m.get("e"));
  }

  @Test
  void errorsNameSourceAndLine() {
    var e = assertThrows(Gnn4jConfigException.class, () -> Json.parse("{\n\"a\": [1,,2]}", "meta.json"));
    assertTrue(e.getMessage().startsWith("meta.json:2: invalid JSON"), e.getMessage());
    assertThrows(Gnn4jConfigException.class, () -> Json.parse("{} x", "t"));
  }

  @Test
  void aRepeatedKeyIsRefusedAtItsLine() {
    var e = assertThrows(Gnn4jConfigException.class,
        () -> Json.parse("{\n \"kind\": \"node_classification\",\n \"kind\": \"x\"\n}", "meta.json"));
    assertTrue(e.getMessage().startsWith("meta.json:3: invalid JSON: duplicate key \"kind\""),
        e.getMessage());
    // the same key in two different objects is fine
    Json.parse("{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}}", "t");
  }

  @Test
  void nestingDeeperThanTheLimitIsOneErrorNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    var e = assertThrows(Gnn4jConfigException.class, () -> Json.parse(deep, "deep.json"));
    assertTrue(e.getMessage().startsWith("deep.json:1: invalid JSON: nested deeper than"),
        e.getMessage());
    Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH), "ok.json");
  }
}
