package io.cbtengine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the report says about the machine: read from the JVM and from /proc, when present. */
final class Machine {
  private Machine() {}

  static int processors() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String cpuModel() {
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  static long cpuinfoProcessors() {
    return lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("processor")).count();
  }

  static String memTotal() {
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  static String loadAverage() {
    List<String> l = lines("/proc/loadavg");
    return l.isEmpty() ? "unknown" : l.get(0).trim();
  }

  static String jdk() {
    return System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + " ("
        + System.getProperty("java.vendor")
        + ")";
  }

  static String os() {
    return System.getProperty("os.name")
        + " "
        + System.getProperty("os.version")
        + " "
        + System.getProperty("os.arch");
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
