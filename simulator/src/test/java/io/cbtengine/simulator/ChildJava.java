package io.cbtengine.simulator;

import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM for tests: this JVM's java, its Chronicle flags, its class path.
 */
public final class ChildJava {
  private ChildJava() {}

  /**
   * {@code java}, the flags this JVM got for Chronicle Map ({@code --add-*}, {@code
   * -Dchronicle.*}), {@code jvmOptions}, this class path, {@code mainClass} and {@code args}.
   */
  public static List<String> command(List<String> jvmOptions, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle.")) {
        cmd.add(arg);
      }
    }
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }
}
