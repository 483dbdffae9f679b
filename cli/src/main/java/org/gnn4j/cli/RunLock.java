package org.gnn4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lock of a run directory: a file {@code .lock} holding the owner's process id, created
 * atomically when a training starts and removed when it ends, so a second training into the
 * same directory fails with one line instead of interleaving its checkpoints and metrics with
 * the first. A lock left by a process that no longer runs ({@code kill -9}) is taken over.
 */
final class RunLock implements AutoCloseable {
  static final String FILE = ".lock";
  private final Path file;

  private RunLock(Path file) {
    this.file = file;
  }

  /**
   * @throws CliException naming the directory and the owner when another live process holds it
   */
  static RunLock acquire(String command, Path runDir) {
    Path f = runDir.resolve(FILE);
    try {
      Files.createDirectories(runDir);
      for (int attempt = 0; attempt < 2; attempt++) {
        try {
          Files.createFile(f);
          try {
            Files.writeString(f, Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
          } catch (IOException e) {
            new RunLock(f).close();              // an empty lock would name no owner
            throw e;
          }
          return new RunLock(f);
        } catch (FileAlreadyExistsException e) {
          long owner = owner(f);
          if (owner > 0 && alive(owner)) {
            throw new CliException(command + ": " + runDir + " is in use by another run (pid "
                + owner + "); wait for it, or choose another --out");
          }
          Files.deleteIfExists(f);              // its owner is gone: a killed run's lock
        }
      }
      throw new CliException(command + ": cannot lock " + runDir + " (another run keeps taking it)");
    } catch (IOException e) {
      throw new CliException(command + ": cannot lock " + runDir + " (" + IoErrors.reason(e) + ")");
    }
  }

  /**
   * Whether {@code pid} runs. A process killed with {@code kill -9} stays a zombie until its
   * parent reaps it, and Java counts a zombie as alive; it holds no lock, so Linux's
   * {@code /proc/PID/stat} state {@code Z} counts as gone (without /proc, isAlive decides).
   */
  static boolean alive(long pid) {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      int close = stat.lastIndexOf(')');           // the command name may hold spaces and ')'
      return !(close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z');
    } catch (IOException e) {
      return true;
    }
  }

  private static long owner(Path f) {
    try {
      return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the lock names a dead pid from now on, which the next run takes over
    }
  }
}
