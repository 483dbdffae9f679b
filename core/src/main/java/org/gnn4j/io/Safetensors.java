package org.gnn4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the safetensors format (8-byte little-endian header length, a JSON header mapping each
 * name to dtype, shape and byte offsets, then the raw little-endian data), the way PyTorch users
 * hand weights to gnn4j ("train in PyTorch, serve on the JVM"). F32 and I64 tensors are
 * supported; anything malformed (truncated, offsets outside the data, a shape that does not match
 * its byte size, an unknown dtype) is a {@link Gnn4jConfigException} naming the file and tensor.
 */
public final class Safetensors {
  /** One stored tensor: {@code floats} for F32, {@code longs} for I64 (the other is null). */
  public record Entry(String name, String dtype, int[] shape, float[] floats, long[] longs) {
    public int numel() {
      int n = 1;
      for (int d : shape) n *= d;
      return n;
    }
  }

  private final Map<String, Entry> tensors;
  private final Map<String, String> metadata;

  private Safetensors(Map<String, Entry> tensors, Map<String, String> metadata) {
    this.tensors = tensors;
    this.metadata = metadata;
  }

  public static Safetensors read(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new Gnn4jConfigException(file.toString(), 0, "cannot read: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Safetensors parse(byte[] bytes, String name) {
    if (bytes.length < 8) {
      throw new Gnn4jConfigException(name, 0, "truncated safetensors file: " + bytes.length
          + " bytes, expected at least the 8-byte header length");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong(0);
    if (headerLen < 2 || headerLen > bytes.length - 8) {
      throw new Gnn4jConfigException(name, 0, "truncated or corrupt safetensors file: header"
          + " length " + headerLen + " but only " + (bytes.length - 8) + " bytes follow");
    }
    String header = new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8);
    Object parsed = Json.parse(header.strip(), name + " (header)");
    if (!(parsed instanceof Map)) throw new Gnn4jConfigException(name, 0, "header is not a JSON object");
    int dataStart = 8 + (int) headerLen;
    long dataLen = bytes.length - dataStart;
    Map<String, Entry> tensors = new LinkedHashMap<>();
    Map<String, String> meta = new LinkedHashMap<>();
    for (var e : ((Map<String, Object>) parsed).entrySet()) {
      if (e.getKey().equals("__metadata__")) {
        if (e.getValue() instanceof Map<?, ?> m) {
          m.forEach((k, v) -> meta.put(String.valueOf(k), String.valueOf(v)));
        }
        continue;
      }
      tensors.put(e.getKey(), entry(e.getKey(), e.getValue(), buf, dataStart, dataLen, name));
    }
    return new Safetensors(tensors, meta);
  }

  private static Entry entry(String key, Object spec, ByteBuffer buf, int dataStart, long dataLen,
                             String file) {
    if (!(spec instanceof Map<?, ?> m)) {
      throw new Gnn4jConfigException(file, 0, "tensor '" + key + "': expected an object in the header");
    }
    String dtype = String.valueOf(m.get("dtype"));
    int width = switch (dtype) {
      case "F32" -> 4;
      case "I64" -> 8;
      default -> throw new Gnn4jConfigException(file, 0, "tensor '" + key + "': dtype " + dtype
          + " is not supported (expected F32 or I64)");
    };
    if (!(m.get("shape") instanceof List<?> dims) || !(m.get("data_offsets") instanceof List<?> off)
        || off.size() != 2) {
      throw new Gnn4jConfigException(file, 0, "tensor '" + key + "': needs shape and data_offsets");
    }
    int[] shape = new int[dims.size()];
    long numel = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = (int) (long) (Long) dims.get(i);
      numel *= shape[i];
    }
    long begin = (Long) off.get(0);
    long end = (Long) off.get(1);
    if (begin < 0 || end < begin || end > dataLen) {
      throw new Gnn4jConfigException(file, 0, "tensor '" + key + "': data_offsets [" + begin
          + ", " + end + ") outside the " + dataLen + "-byte data section (truncated file?)");
    }
    if (end - begin != numel * width) {
      throw new Gnn4jConfigException(file, 0, "tensor '" + key + "': shape "
          + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + numel * width
          + " bytes, data_offsets give " + (end - begin));
    }
    int pos = dataStart + (int) begin;
    if (width == 4) {
      float[] f = new float[(int) numel];
      for (int i = 0; i < f.length; i++) f[i] = buf.getFloat(pos + 4 * i);
      return new Entry(key, dtype, shape, f, null);
    }
    long[] l = new long[(int) numel];
    for (int i = 0; i < l.length; i++) l[i] = buf.getLong(pos + 8 * i);
    return new Entry(key, dtype, shape, null, l);
  }

  public Map<String, Entry> tensors() {
    return tensors;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor named {@code key}; a clear error if absent. */
  public Entry get(String key) {
    Entry e = tensors.get(key);
    if (e == null) {
      throw new IllegalArgumentException("safetensors: no tensor '" + key + "' (has: "
          + String.join(", ", tensors.keySet()) + ")");
    }
    return e;
  }

  public boolean has(String key) {
    return tensors.containsKey(key);
  }
}
