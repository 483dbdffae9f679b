package org.gnn4j.cli;

import java.nio.file.Path;

/**
 * The rule every command that writes follows: an output path never names one of the command's
 * inputs (the checkpoint it reads, the data directory or a file in it, the config), so a slip of
 * the keyboard cannot destroy what the user saved. A new file beside the inputs is allowed.
 */
final class OutputPaths {
  private OutputPaths() {}

  /**
   * A directory a command fills with a whole dataset must be new or empty, so no file of an
   * earlier dataset is overwritten or left behind looking like part of the new one.
   *
   * @throws CliException naming the directory and what it holds
   */
  static void requireNewOrEmptyDirectory(String command, String option, Path dir) {
    if (!java.nio.file.Files.exists(dir)) return;
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new CliException(command + ": " + option + " " + dir + " is a file; expected a new or"
          + " empty directory");
    }
    try (var entries = java.nio.file.Files.list(dir)) {
      long n = entries.count();
      if (n > 0) {
        throw new CliException(command + ": " + option + " " + dir + " is not empty (" + n
            + " entries); expected a new or empty directory, so nothing there is overwritten");
      }
    } catch (java.io.IOException e) {
      throw new CliException(command + ": cannot read " + dir + " (" + IoErrors.reason(e) + ")");
    }
  }

  /**
   * @param out the path the command is about to write
   * @param inputs files or directories the command reads (null entries are skipped)
   * @throws CliException naming the option and the input when {@code out} is an input or an
   *     existing file inside an input directory
   */
  static void refuseInputs(String command, String option, Path out, Path... inputs) {
    Path o = out.toAbsolutePath().normalize();
    for (Path in : inputs) {
      if (in == null) continue;
      Path i = in.toAbsolutePath().normalize();
      if (o.equals(i)) {
        throw new CliException(command + ": " + option + " " + out + " would overwrite an input ("
            + in + "); choose another path");
      }
      if (java.nio.file.Files.isDirectory(i) && o.startsWith(i) && java.nio.file.Files.exists(o)) {
        throw new CliException(command + ": " + option + " " + out + " would overwrite a file of the"
            + " input directory " + in + "; choose another path");
      }
    }
  }
}
