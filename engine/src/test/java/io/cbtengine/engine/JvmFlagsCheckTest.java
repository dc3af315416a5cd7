package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.InvalidStateException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A JVM without some of the flags Chronicle Map needs is refused up front, naming the missing
 * flags, rather than failing deep inside Chronicle: checked in a child JVM started with this JVM's
 * flags minus some.
 */
class JvmFlagsCheckTest {
  /** The child: opens an in-memory engine and prints what happened. */
  public static final class Probe {
    public static void main(String[] args) {
      try (var engine = CbtEngine.inMemory()) {
        System.out.println("opened");
      } catch (InvalidStateException e) {
        System.out.println("InvalidState: " + e.getMessage());
      }
    }
  }

  @Test
  void inMemory_withoutTheJdkCompilerFlags_invalidStateNamingThem() throws Exception {
    String out = runProbeWithout("jdk.compiler/");
    assertTrue(out.startsWith("InvalidState: "), out);
    assertTrue(
        out.contains("--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED"), out);
    assertTrue(out.contains("--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED"), out);
    assertTrue(!out.contains("java.base/"), "only the missing flags are named: " + out);
  }

  @Test
  void inMemory_withEveryFlag_opens() throws Exception {
    assertEquals("opened", runProbeWithout("no flag contains this").strip());
  }

  private static String runProbeWithout(String flagPart) throws IOException, InterruptedException {
    String all =
        ChildJvm.run(
            Probe.class,
            arg -> {
              boolean moduleFlag = arg.startsWith("--add-opens") || arg.startsWith("--add-exports");
              return moduleFlag ? !arg.contains(flagPart) : arg.startsWith("-Dchronicle.");
            });
    // The probe's own line; Chronicle may log other lines around it.
    for (String line : all.split("\n")) {
      if (line.startsWith("opened") || line.startsWith("InvalidState: ")) {
        return line;
      }
    }
    return all;
  }
}
