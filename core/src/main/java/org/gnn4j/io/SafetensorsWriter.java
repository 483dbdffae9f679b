package org.gnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes the safetensors format that {@link Safetensors} reads (and that the Python
 * {@code safetensors} package loads): an 8-byte little-endian header length, a JSON header with
 * {@code __metadata__} (a string map) and each tensor's dtype, shape and byte range, padded with
 * spaces to a multiple of 8 so the data is aligned, then the F32/I64 little-endian data in
 * header order. It streams tensor by tensor, so a large model is never copied into one buffer.
 */
public final class SafetensorsWriter {
  private SafetensorsWriter() {}

  /**
   * Writes {@code entries} (each with exactly one of floats/longs, matching its dtype and shape)
   * and {@code metadata} to {@code out}; does not close it.
   *
   * @throws IllegalArgumentException on a duplicate name, an inconsistent entry or the reserved
   *     name {@code __metadata__}, before anything is written
   */
  public static void write(OutputStream out, Collection<Safetensors.Entry> entries,
                           Map<String, String> metadata) throws IOException {
    StringBuilder h = new StringBuilder("{");
    h.append(quote("__metadata__")).append(":{");
    boolean first = true;
    for (var m : metadata.entrySet()) {
      if (!first) h.append(',');
      first = false;
      h.append(quote(m.getKey())).append(':').append(quote(m.getValue()));
    }
    h.append('}');
    long offset = 0;
    Set<String> seen = new HashSet<>();
    for (Safetensors.Entry e : entries) {
      long bytes = check(e, seen);
      h.append(',').append(quote(e.name())).append(":{\"dtype\":\"").append(e.dtype())
          .append("\",\"shape\":").append(Arrays.toString(e.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    h.append('}');
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (header.length + 7) / 8 * 8;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(padded);
    out.write(buf.array(), 0, 8);
    out.write(header);
    for (int i = header.length; i < padded; i++) out.write(' ');
    for (Safetensors.Entry e : entries) {
      buf.clear();
      encodeValues(e, buf, full -> flush(out, full));
      flush(out, buf);
    }
  }

  private static void flush(OutputStream out, ByteBuffer buf) throws IOException {
    out.write(buf.array(), 0, buf.position());
    buf.clear();
  }

  /** Takes a filled buffer from {@link #encodeValues}; must leave it cleared. */
  @FunctionalInterface
  public interface Chunks {
    void take(ByteBuffer filled) throws IOException;
  }

  /**
   * Puts an entry's values into {@code buf} (little-endian, as safetensors stores them), handing
   * each full buffer to {@code chunks}; the last partial buffer stays in {@code buf}. One bulk
   * copy per buffer (it swaps bytes where needed), because a put per value was most of a small
   * checkpoint's write time in a short run, before the JIT had compiled it.
   */
  public static void encodeValues(Safetensors.Entry e, ByteBuffer buf, Chunks chunks)
      throws IOException {
    MemorySegment src;
    ValueLayout layout;
    if (e.floats() != null) {
      src = MemorySegment.ofArray(e.floats());
      layout = ValueLayout.JAVA_FLOAT;
    } else if (e.longs() != null) {
      src = MemorySegment.ofArray(e.longs());
      layout = ValueLayout.JAVA_LONG;
    } else {
      return;
    }
    ValueLayout stored = layout.withOrder(ByteOrder.LITTLE_ENDIAN).withByteAlignment(1);
    long size = layout.byteSize();
    long count = src.byteSize() / size;
    for (long i = 0; i < count; ) {
      if (buf.remaining() < size) chunks.take(buf);
      long n = Math.min(count - i, buf.remaining() / size);
      MemorySegment.copy(src, layout, i * size, MemorySegment.ofBuffer(buf), stored, 0, n);
      buf.position(buf.position() + (int) (n * size));
      i += n;
    }
  }

  /** Validates one entry and returns its data size in bytes. */
  private static long check(Safetensors.Entry e, Set<String> seen) {
    String n = e.name();
    if (n == null || n.equals("__metadata__") || !seen.add(n)) {
      throw new IllegalArgumentException("safetensors write: tensor name '" + n + "' is "
          + (n == null ? "null" : n.equals("__metadata__") ? "reserved" : "used twice"));
    }
    boolean f32 = e.dtype().equals("F32");
    if (!(f32 ? e.floats() != null && e.longs() == null
        : e.dtype().equals("I64") && e.longs() != null && e.floats() == null)) {
      throw new IllegalArgumentException("safetensors write: tensor '" + n + "' has dtype "
          + e.dtype() + " but " + (e.floats() != null ? "float" : "long") + " data (expected F32"
          + " with floats or I64 with longs)");
    }
    long numel = 1;
    for (int d : e.shape()) {
      if (d < 0) {
        throw new IllegalArgumentException("safetensors write: tensor '" + n + "' has negative"
            + " dimension in shape " + Arrays.toString(e.shape()));
      }
      numel *= d;
    }
    int length = f32 ? e.floats().length : e.longs().length;
    if (numel != length) {
      throw new IllegalArgumentException("safetensors write: tensor '" + n + "' has shape "
          + Arrays.toString(e.shape()) + " (" + numel + " values) but " + length + " values");
    }
    return numel * (f32 ? 4 : 8);
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
