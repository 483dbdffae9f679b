package org.gnn4j.data.relational;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.gnn4j.data.DataFormatException;
import org.junit.jupiter.api.Test;

class ColumnEncodersTest {
  private static RawTable table(String column, ColumnKind kind, String... values) {
    TableSpec spec = new TableSpec("t", "t.csv", null, Map.of(), null, List.of(ColumnSpec.of(column, kind)), false);
    String[][] rows = new String[values.length][];
    int[] lines = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      rows[i] = new String[] {values[i]};
      lines[i] = i + 2;
    }
    return new RawTable(spec, List.of(column), rows, "t.csv", lines);
  }

  @Test
  void numericIsStandardisedAndMissingGetsAnIndicator() {
    var b = ColumnEncoders.numeric(table("x", ColumnKind.NUMERIC, "1", "3", null), "x");
    assertEquals(List.of("x", "x:missing"), b.names());
    assertArrayEquals(new float[] {-1, 0, 1, 0, 0, 1}, b.data(), 1e-6f);
    var full = ColumnEncoders.numeric(table("x", ColumnKind.NUMERIC, "2", "2"), "x");
    assertArrayEquals(new float[] {0, 0}, full.data()); // constant: deviation taken as 1
  }

  @Test
  void numericRefusesTextNamingLine() {
    var e = assertThrows(DataFormatException.class, () -> ColumnEncoders.numeric(table("x", ColumnKind.NUMERIC, "1", "two"), "x"));
    assertEquals("t.csv:3: table t, column x: 'two' is not a number", e.getMessage());
  }

  @Test
  void categoricalIsOneHotMostFrequentFirstWithOther() {
    var b = ColumnEncoders.categorical(table("c", ColumnKind.CATEGORICAL, "b", "a", "b", "c", null), "c", 2);
    assertEquals(List.of("c=b", "c=a", "c:other"), b.names());
    assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0}, b.data());
  }

  @Test
  void multiIsMultiHot() {
    var b = ColumnEncoders.multi(table("g", ColumnKind.MULTI, "Drama|Comedy", "Drama", ""), "g", "|", 10);
    assertEquals(List.of("g=Drama", "g=Comedy"), b.names());
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, b.data());
  }

  @Test
  void textIsAHashedNormalisedBagOfWords() {
    var b = ColumnEncoders.text(table("s", ColumnKind.TEXT, "Funny, funny", "FUNNY", "dark", null), "s", 16);
    float[] x = b.data();
    int bucket = Integer.remainderUnsigned(ColumnEncoders.fnv1a("funny"), 16);
    assertEquals(1f, x[bucket], 1e-6f);          // one word twice: normalised to 1
    assertEquals(1f, x[16 + bucket], 1e-6f);     // case does not matter
    assertEquals(0f, x[32 + bucket], 1e-6f);
    float norm = 0;
    for (int j = 0; j < 16; j++) norm += x[32 + j] * x[32 + j];
    assertEquals(1f, norm, 1e-6f);
    for (int j = 0; j < 16; j++) assertEquals(0f, x[48 + j]);
  }

  @Test
  void timestampsReadSecondsAndIsoAndEncodeHourAndWeekday() {
    RawTable t = table("t", ColumnKind.TIMESTAMP, "0", "1970-01-01T06:00:00Z", "1970-01-02", "1970-01-01 12:00:00");
    assertArrayEquals(new long[] {0, 6 * 3600, 86_400, 12 * 3600}, ColumnEncoders.seconds(t, "t"));
    var b = ColumnEncoders.timestamp(t, "t");
    assertEquals(5, b.cols());
    assertEquals(1f, b.data()[5 + 1], 1e-6f);    // 06:00 -> hour angle pi/2: sin 1
    assertEquals(-1f, b.data()[15 + 2], 1e-6f);  // 12:00 -> cos -1
    var e = assertThrows(DataFormatException.class, () -> ColumnEncoders.seconds(table("t", ColumnKind.TIMESTAMP, "soon"), "t"));
    assertTrue(e.getMessage().startsWith("t.csv:2: table t, column t: 'soon' is not a time"), e.getMessage());
  }
}
