package org.gnn4j.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says in words why a file operation failed. The JDK's file-system exceptions carry the path as
 * their message and the reason (a full disk, a permission) in a separate field or only in their
 * type, so printing {@code getMessage()} alone tells a user nothing.
 */
final class IoErrors {
  private IoErrors() {}

  /** {@code "access denied: /runs/x"}, {@code "No space left on device: /runs/x/model.ckpt"}, ... */
  static String reason(IOException e) {
    // image and stream writers wrap the file system's exception in their own
    for (Throwable c = e.getCause(); c != null && !(e instanceof FileSystemException); c = c.getCause()) {
      if (c instanceof FileSystemException f) e = f;
    }
    if (e instanceof FileSystemException f) {
      String why = f.getReason() != null ? f.getReason()
          : e instanceof AccessDeniedException ? "access denied"
          : e instanceof NoSuchFileException ? "no such file or directory"
          : e instanceof NotDirectoryException ? "not a directory"
          : e.getClass().getSimpleName();
      return f.getFile() == null ? why : why + ": " + f.getFile();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
