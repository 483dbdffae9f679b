package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Detects a damaged or truncated copy of a dataset: {@code meta.json} may list under
 * {@code files} the byte size and SHA-256 of every other file, and {@link #verify} recomputes
 * them. The shipped datasets are written deterministically (gzip with mtime 0), so their sums
 * are fixed.
 */
public final class DataFiles {
  private DataFiles() {}

  /**
   * Checks every file listed in {@code meta.json}'s {@code files} object.
   *
   * @return the number of files checked (0 when meta.json lists none)
   * @throws DataFormatException naming the first file whose size or hash differs, or that is missing
   */
  public static int verify(DataSource src) {
    Map<String, Object> files = Meta.read(src).object("files");
    for (var e : files.entrySet()) {
      String file = e.getKey();
      if (!(e.getValue() instanceof Map<?, ?> want)) {
        throw new DataFormatException(src.describe(Meta.FILE), 0, "files." + file
            + " must be an object with bytes and sha256");
      }
      if (!src.has(file)) throw new DataFormatException(src.describe(file), 0, "file is missing"
          + " (listed in meta.json)");
      long[] size = new long[1];
      String sha = sha256(src, file, size);
      Object bytes = want.get("bytes");
      if (bytes instanceof Long b && b != size[0]) {
        throw new DataFormatException(src.describe(file), 0, "file size is " + size[0]
            + " bytes, expected " + b + " (meta.json): damaged or truncated copy");
      }
      Object hash = want.get("sha256");
      if (hash instanceof String h && !h.equalsIgnoreCase(sha)) {
        throw new DataFormatException(src.describe(file), 0, "SHA-256 is " + sha + ", expected "
            + h + " (meta.json): damaged copy");
      }
    }
    return files.size();
  }

  static String sha256(DataSource src, String file, long[] sizeOut) {
    try (InputStream in = src.openRaw(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      long total = 0;
      for (int k; (k = in.read(buf)) > 0; total += k) md.update(buf, 0, k);
      sizeOut[0] = total;
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new DataFormatException(src.describe(file), 0, "cannot read: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
