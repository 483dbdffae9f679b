package org.gnn4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;

/**
 * The SHA-256 a checkpoint carries over everything it stores (every tensor's name, dtype, shape
 * and values, and every metadata entry but the digest itself), so that a flipped byte, a
 * truncated write that still parses, or an edited config inside the file is refused on reading
 * instead of evaluating silently. Order-independent: tensors and entries are hashed by name.
 */
final class CheckpointDigest {
  /** The metadata key the digest is stored under. */
  static final String KEY = "sha256";

  private CheckpointDigest() {}

  static String of(Collection<Safetensors.Entry> tensors, Map<String, String> meta) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("checkpoint: this JVM has no SHA-256", e);
    }
    Map<String, Safetensors.Entry> byName = new TreeMap<>();
    for (Safetensors.Entry e : tensors) byName.put(e.name(), e);
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Safetensors.Entry e : byName.values()) {
      text(md, e.name());
      text(md, e.dtype());
      for (int d : e.shape()) buf.putInt(d);
      flush(md, buf);
      try {
        SafetensorsWriter.encodeValues(e, buf, full -> flush(md, full));
      } catch (IOException impossible) {
        throw new UncheckedIOException(impossible);   // flush only hashes
      }
      flush(md, buf);
    }
    for (var m : new TreeMap<>(meta).entrySet()) {
      if (m.getKey().equals(KEY)) continue;
      text(md, m.getKey());
      text(md, m.getValue());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void text(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }

  private static void flush(MessageDigest md, ByteBuffer buf) {
    buf.flip();
    md.update(buf);
    buf.clear();
  }
}
