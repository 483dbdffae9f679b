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

/** The shuffle records ({@link StateChunk}, and edge chunks packed by {@link Wire}) come back from Java serialization as they went. */
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
    long[] ids = {Long.MIN_VALUE, -1, 42, Long.MAX_VALUE, 99};   // the last one is not sent
    StateChunk back = roundTrip(StateChunk.ofRows(ids, states, 4, 2));
    assertEquals(4, back.size());
    for (int t = 0; t < 4; t++) {
      assertEquals(ids[t], back.target(t));
      assertEquals(2 * t, back.from(t));
      double[] s = back.state(t);
      assertEquals(2, s.length);
      for (int c = 0; c < 2; c++) {
        assertEquals(Float.floatToRawIntBits((float) states[2 * t + c]), Float.floatToRawIntBits(back.value(2 * t + c)));
        assertEquals((double) (float) states[2 * t + c], s[c]);
      }
    }
    assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(back.value(1)));
  }

  @Test
  void perTargetStatesOfVaryingWidthRoundTrip() throws Exception {
    double[][] states = {{1, 2, 3}, {-4}, {}, {5, 6}};
    StateChunk back = roundTrip(StateChunk.of(new long[] {7, 8, 9, 10}, states, 4));
    assertEquals(4, back.size());
    for (int t = 0; t < 4; t++) {
      assertEquals(7 + t, back.target(t));
      assertArrayEquals(states[t], back.state(t));
    }
    assertEquals(4, back.from(2));
    assertEquals(4, back.from(3));
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
