package org.gnn4j.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads this process's memory figures from {@code /proc/self/status}: peak resident set size
 * (VmHWM, what {@code /usr/bin/time -v} reports as maximum RSS) and current RSS (VmRSS).
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Peak resident memory in MiB, or -1 where /proc is not available. */
  public static double peakRssMb() {
    return field("VmHWM:");
  }

  /** Current resident memory in MiB, or -1. */
  public static double rssMb() {
    return field("VmRSS:");
  }

  private static double field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
