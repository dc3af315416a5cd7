package io.cbtengine.simulator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the shared real traces: system property {@code cbt.traces.dir} (set by the build to {@code
 * <repo>/../shared/traces}), else environment variable {@code CBT_TRACES_DIR}, else {@code
 * ../shared/traces} beside the repository.
 */
final class SharedTraces {
  private SharedTraces() {}

  static Path dir() {
    String prop = System.getProperty("cbt.traces.dir");
    if (prop != null && !prop.isBlank()) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    String env = System.getenv("CBT_TRACES_DIR");
    if (env != null && !env.isBlank()) {
      return Paths.get(env).toAbsolutePath().normalize();
    }
    // Tests run in simulator/; the repository root is its parent.
    return Paths.get("").toAbsolutePath().getParent().resolve("../shared/traces").normalize();
  }

  /** The trace files (everything but the README), sorted; empty if the folder is absent. */
  static List<Path> files() throws IOException {
    Path dir = dir();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().toLowerCase().startsWith("readme"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
