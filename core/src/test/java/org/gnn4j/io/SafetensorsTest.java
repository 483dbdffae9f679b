package org.gnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SafetensorsTest {
  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    return b.array();
  }

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) b.putFloat(f);
    return b.array();
  }

  @Test
  void readsF32AndI64AndMetadata() {
    ByteBuffer d = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
    d.putFloat(1.5f).putFloat(-2f).putLong(7).putLong(-1);
    String h = "{\"__metadata__\":{\"layer\":\"GCNConv\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
        + "\"data_offsets\":[0,8]},\"i\":{\"dtype\":\"I64\",\"shape\":[1,2],\"data_offsets\":[8,24]}}";
    Safetensors st = Safetensors.parse(file(h, d.array()), "t.safetensors");
    assertArrayEquals(new float[] {1.5f, -2f}, st.get("w").floats());
    assertArrayEquals(new long[] {7, -1}, st.get("i").longs());
    assertEquals("GCNConv", st.metadata().get("layer"));
  }

  @Test
  void truncatedFileIsNamed() {
    String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
    byte[] full = file(h, floats(1, 2, 3, 4));
    var e = assertThrows(Gnn4jConfigException.class,
        () -> Safetensors.parse(Arrays.copyOf(full, full.length - 4), "w.safetensors"));
    assertTrue(e.getMessage().startsWith("w.safetensors: tensor 'w': data_offsets [0, 16) outside"),
        e.getMessage());
    assertThrows(Gnn4jConfigException.class, () -> Safetensors.parse(new byte[5], "x"));
    assertThrows(Gnn4jConfigException.class, () -> Safetensors.parse(Arrays.copyOf(full, 20), "x"));
  }

  @Test
  void wrongDtypeAndShapeAreNamed() {
    var dtype = assertThrows(Gnn4jConfigException.class, () -> Safetensors.parse(file(
        "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4]), "f"));
    assertTrue(dtype.getMessage().contains("dtype F16 is not supported"), dtype.getMessage());
    var shape = assertThrows(Gnn4jConfigException.class, () -> Safetensors.parse(file(
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", floats(1, 2)), "f"));
    assertTrue(shape.getMessage().contains("needs 12 bytes, data_offsets give 8"), shape.getMessage());
  }
}
