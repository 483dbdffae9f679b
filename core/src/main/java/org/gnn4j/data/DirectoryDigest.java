package org.gnn4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The identity of a dataset directory: one SHA-256 over the names and contents of its files (in
 * name order, not recursing), so a run can record what it was trained on and a later evaluation
 * can tell whether the directory still holds that data.
 */
public final class DirectoryDigest {
  private DirectoryDigest() {}

  /**
   * @throws UncheckedIOException naming the directory when it cannot be read
   */
  public static String of(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(Files::isRegularFile).sorted().toList();
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (Path f : files) {
        md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        try (InputStream in = Files.newInputStream(f)) {
          for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("data: cannot read the dataset directory " + dir, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("data: this JVM has no SHA-256", e);
    }
  }
}
