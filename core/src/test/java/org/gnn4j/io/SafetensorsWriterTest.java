package org.gnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsWriterTest {
  @Test
  void writtenFileReadsBackWithAlignedData() throws IOException {
    float[] f = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, -7f};
    long[] l = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
    var out = new ByteArrayOutputStream();
    SafetensorsWriter.write(out, List.of(
        new Safetensors.Entry("a.weight", "F32", new int[] {2, 3}, f, null),
        new Safetensors.Entry("scalar", "F32", new int[] {}, new float[] {4f}, null),
        new Safetensors.Entry("idx", "I64", new int[] {4}, null, l),
        new Safetensors.Entry("empty", "F32", new int[] {0, 3}, new float[0], null)),
        Map.of("note", "quote \" backslash \\ newline \n ctrl \u0001 é"));
    byte[] bytes = out.toByteArray();
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    assertEquals(0, headerLen % 8);
    assertEquals(8 + headerLen + 4 * 7 + 8 * 4, bytes.length);
    Safetensors st = Safetensors.parse(bytes, "mem");
    assertArrayEquals(f, st.get("a.weight").floats());
    assertArrayEquals(new int[] {2, 3}, st.get("a.weight").shape());
    assertArrayEquals(new int[] {}, st.get("scalar").shape());
    assertArrayEquals(l, st.get("idx").longs());
    assertEquals(0, st.get("empty").floats().length);
    assertEquals("quote \" backslash \\ newline \n ctrl \u0001 é", st.metadata().get("note"));
    assertEquals(List.of("a.weight", "scalar", "idx", "empty"), List.copyOf(st.tensors().keySet()));
  }

  @Test
  void rejectsInconsistentEntriesBeforeWriting() {
    var out = new ByteArrayOutputStream();
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(out, List.of(
        new Safetensors.Entry("w", "F32", new int[] {2, 2}, new float[3], null)), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(out, List.of(
        new Safetensors.Entry("w", "I64", new int[] {1}, new float[1], null)), Map.of()));
    assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(out, List.of(
        new Safetensors.Entry("w", "F32", new int[] {1}, new float[1], null),
        new Safetensors.Entry("w", "F32", new int[] {1}, new float[1], null)), Map.of()));
    assertEquals(0, out.size());
  }
  @Test
  void encodesValuesAcrossBufferBoundariesAsLittleEndianPutsWould() throws IOException {
    float[] f = new float[37];
    long[] l = new long[21];
    for (int i = 0; i < f.length; i++) f[i] = (i - 18) * 1.25e-3f + (i % 3 == 0 ? Float.NaN : 0f);
    for (int i = 0; i < l.length; i++) l[i] = Long.MIN_VALUE / 3 + i * 0x0102030405060708L;
    ByteBuffer expected = ByteBuffer.allocate(4 + 4 * f.length + 8 * l.length).order(ByteOrder.LITTLE_ENDIAN);
    expected.putInt(0x01020304);
    for (float v : f) expected.putFloat(v);
    for (long v : l) expected.putLong(v);

    // 20 bytes, 4 already used: chunks end mid-value for longs and after a partial float run
    ByteBuffer buf = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
    buf.putInt(0x01020304);
    var out = new ByteArrayOutputStream();
    SafetensorsWriter.Chunks drain = full -> {
      out.write(full.array(), 0, full.position());
      full.clear();
    };
    SafetensorsWriter.encodeValues(new Safetensors.Entry("f", "F32", new int[] {37}, f, null), buf, drain);
    SafetensorsWriter.encodeValues(new Safetensors.Entry("l", "I64", new int[] {21}, null, l), buf, drain);
    drain.take(buf);
    assertArrayEquals(expected.array(), out.toByteArray());
  }
}
