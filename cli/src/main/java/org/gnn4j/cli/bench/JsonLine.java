package org.gnn4j.cli.bench;

import org.gnn4j.io.JsonText;

/**
 * Builds one flat JSON object in insertion order: the line format of {@code gnn4j bench} and of
 * every command's result line (reals with 4 decimals).
 */
public final class JsonLine {
  private final JsonText text = JsonText.rounded(4);

  public JsonLine put(String key, Object value) {
    text.put(key, value);
    return this;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
