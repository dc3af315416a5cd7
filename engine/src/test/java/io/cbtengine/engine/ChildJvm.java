package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs a class's {@code main} in a child JVM with this JVM's class path. */
final class ChildJvm {
  private ChildJvm() {}

  /** Runs {@code main} with this JVM's module flags and Chronicle properties; see {@link #run}. */
  static String runWithEngineFlags(Class<?> main) throws IOException, InterruptedException {
    return run(main, arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle."));
  }

  /**
   * Runs {@code main} with those of this JVM's arguments that {@code keep} accepts; returns its
   * standard output and error, after it has ended (at most two minutes).
   */
  static String run(Class<?> main, Predicate<String> keep)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (keep.test(arg)) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
