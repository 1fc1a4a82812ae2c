package io.anw.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory (Java heap, native PyTorch arrays, everything), read from
 * {@code /proc/self/status} for benchmarks; -1 where there is no such file (not Linux).
 */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident set size now, in bytes ({@code VmRSS}). */
  public static long residentBytes() {
    return field("VmRSS:");
  }

  /** The largest resident set size so far, in bytes ({@code VmHWM}). */
  public static long peakResidentBytes() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).strip().split("\\s+");
          return Long.parseLong(parts[0]) * 1024; // kB
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
