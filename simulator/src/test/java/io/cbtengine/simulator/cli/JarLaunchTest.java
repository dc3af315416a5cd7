package io.cbtengine.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fat jar launched as a user does, with a plain {@code java -jar}, and its manifest checked
 * against the JVM flags the build gives the tests. Skipped when the jar has not been built yet (the
 * build runs this class in the {@code package} phase, right after the jar is made).
 */
class JarLaunchTest {
  private static Path jar() {
    String prop = System.getProperty("cbt.sim.jar");
    Path jar = prop != null ? Paths.get(prop) : Paths.get("target", "cbt-sim.jar");
    Assumptions.assumeTrue(
        Files.isRegularFile(jar),
        "no " + jar + " yet: build it with mvn package; jar launch tests skipped");
    return jar;
  }

  private static Process start(Path jar, String... args) throws IOException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> cmd =
        new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(false).start();
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void javaJar_smallRun_verifiedExitZeroAndNoAccessWarnings() throws Exception {
    Path jar = jar();
    Process p = start(jar, "run", "--writes", "20000", "--snapshot-every", "5000");
    String out = read(p.getInputStream());
    String err = read(p.getErrorStream());
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out + err);
    String[] lines = out.strip().split("\\R");
    assertTrue(lines[lines.length - 1].matches("verified: [\\d,]+ backups, 0 missed writes"), out);
    assertTrue(!err.contains("IllegalAccess") && !err.contains("InaccessibleObject"), err);
  }

  @Test
  void javaJar_missingTrace_exitTwo() throws Exception {
    Process p = start(jar(), "replay", "no-such-trace.csv");
    String err = read(p.getErrorStream());
    read(p.getInputStream());
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(2, p.exitValue(), err);
    assertTrue(err.contains("no-such-trace.csv"), err);
  }

  @Test
  void manifest_opensAndExports_matchTheBuildsJvmFlags() throws IOException {
    Attributes main;
    try (JarFile jf = new JarFile(jar().toFile())) {
      main = jf.getManifest().getMainAttributes();
    }
    Set<String> opens = new TreeSet<>();
    Set<String> exports = new TreeSet<>();
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens=")) {
        opens.add(arg.substring("--add-opens=".length()).replace("=ALL-UNNAMED", ""));
      } else if (arg.startsWith("--add-exports=")) {
        exports.add(arg.substring("--add-exports=".length()).replace("=ALL-UNNAMED", ""));
      }
    }
    Assumptions.assumeTrue(!opens.isEmpty(), "tests not started with cbt.jvm.opens");
    assertEquals(opens, new TreeSet<>(List.of(main.getValue("Add-Opens").split(" "))));
    assertEquals(exports, new TreeSet<>(List.of(main.getValue("Add-Exports").split(" "))));
    assertEquals("io.cbtengine.simulator.cli.CbtSim", main.getValue("Main-Class"));
  }
}
