package org.gnn4j.spark.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** The shuffle records packed by {@link Wire} come back from Java serialization as they went. */
class WireTest {
  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void stateChunkRoundTrips() throws Exception {
    double[] states = {1.5, -0.0, Double.NaN, 3e38, -7, 1e-45, 2, 4};
    StateChunk c = StateChunk.ofRows(new long[] {Long.MIN_VALUE, -1, 42, Long.MAX_VALUE}, states, 4, 2);
    StateChunk back = roundTrip(c);
    assertArrayEquals(c.targets, back.targets);
    assertArrayEquals(c.ends, back.ends);
    assertArrayEquals(c.values, back.values);
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back.values[1]));
  }

  @Test
  void edgeChunkRoundTripsWithAndWithoutFeatures() throws Exception {
    EdgeBlock.Chunk c = new EdgeBlock.Chunk(new long[] {1, -2, 3}, new long[] {4, 5, Long.MAX_VALUE}, 2,
        new float[] {0.5f, -1, 2, 3, Float.MIN_VALUE, -0f});
    EdgeBlock.Chunk back = roundTrip(c);
    assertArrayEquals(c.src, back.src);
    assertArrayEquals(c.dst, back.dst);
    assertEquals(2, back.featureWidth);
    assertArrayEquals(c.features, back.features);
    EdgeBlock.Chunk plain = roundTrip(new EdgeBlock.Chunk(new long[] {9}, new long[] {8}, 0, null));
    assertArrayEquals(new long[] {9}, plain.src);
    assertArrayEquals(new long[] {8}, plain.dst);
    assertNull(plain.features);
    EdgeBlock.Chunk empty = roundTrip(new EdgeBlock.Chunk(new long[0], new long[0], 0, null));
    assertEquals(0, empty.src.length);
  }
}
