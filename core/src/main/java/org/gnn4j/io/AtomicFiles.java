package org.gnn4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same directory, is
 * forced to disk, then renamed over the target with an atomic move. A crash, a full disk or an
 * exception part way leaves the previous file as it was, and the temporary file is removed.
 * Every file a run directory holds (checkpoints, metrics, manifest, plots) is written this way.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content; may throw midway. */
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, Body body) throws IOException {
    write(target, body, UnaryOperator.identity());
  }

  /** Text lines, each ended by a newline, in UTF-8. */
  public static void writeLines(Path target, java.util.List<String> lines) throws IOException {
    write(target, out -> {
      for (String l : lines) {
        out.write(l.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        out.write('\n');
      }
    });
  }

  /**
   * @param wrap applied to the stream before {@code body} sees it (tests inject failures here)
   */
  public static void write(Path target, Body body, UnaryOperator<OutputStream> wrap) throws IOException {
    write(target, body, wrap, true);
  }

  /**
   * As {@link #write(Path, Body, UnaryOperator)}; with {@code syncDirectory} false the rename is
   * not forced to disk. For a file replaced again and again (a checkpoint after every epoch):
   * a power cut may then leave the previous version, which is whole and consistent, and the
   * sync of the directory is one of the two disk flushes such a write costs.
   */
  public static void write(Path target, Body body, UnaryOperator<OutputStream> wrap,
                           boolean syncDirectory) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      keepPermissions(target, tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = wrap.apply(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16));
        body.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
      if (syncDirectory) syncDirectory(dir);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is the one worth reporting
        }
      }
    }
  }

  /**
   * Temp files are created owner-only (0600); what replaces a user's file is an ordinary file, so
   * it gets the permissions of the file it replaces, or rw-r--r-- for a new one. Public for
   * writers that fill their temp file themselves (a database written through JDBC) and then move
   * it over the target.
   */
  public static void keepPermissions(Path target, Path tmp) throws IOException {
    if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) return;
    Set<PosixFilePermission> perms = Files.exists(target)
        ? Files.getPosixFilePermissions(target)
        : PosixFilePermissions.fromString("rw-r--r--");
    Files.setPosixFilePermissions(tmp, perms);
  }

  /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // best effort: the data itself was already forced before the rename
    }
  }
}
