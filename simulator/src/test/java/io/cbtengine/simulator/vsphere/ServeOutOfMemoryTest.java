package io.cbtengine.simulator.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.simulator.ChildJava;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread of {@code serve} that dies of an OutOfMemoryError ends the process with exit code 3. The
 * HTTP server's threads dying of one used to leave the process up with every request hanging, and
 * SIGTERM did not stop it (a trial's whole-disk write of a 64 TiB disk). Other uncaught exceptions
 * keep the JVM's usual behaviour.
 */
class ServeOutOfMemoryTest {
  /** A child process: installs the handler, then a thread dies of {@code args[0]}. */
  public static final class DyingThread {
    public static void main(String[] args) throws Exception {
      ServeLauncher.exitOnOutOfMemory();
      Thread t =
          new Thread(
              () -> {
                if (args[0].equals("oom")) {
                  throw new OutOfMemoryError("Java heap space (simulated)");
                }
                throw new IllegalStateException("an ordinary failure (simulated)");
              },
              "cbt-sim-http-1");
      t.start();
      t.join();
      Thread.sleep(200);
      System.out.println("still running");
    }
  }

  private static Process child(Path dir, String what) throws Exception {
    List<String> cmd = ChildJava.command(List.of(), DyingThread.class.getName(), what);
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve(what + ".out").toFile())
        .redirectError(dir.resolve(what + ".err").toFile())
        .start();
  }

  @Test
  void outOfMemoryInAThread_exitsWithCodeThree(@TempDir Path dir) throws Exception {
    Process p = child(dir, "oom");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("oom.err"), StandardCharsets.UTF_8);
    assertEquals(ServeLauncher.EXIT_OUT_OF_MEMORY, p.exitValue(), err);
    assertTrue(err.contains("OutOfMemoryError"), err);
    assertEquals("", Files.readString(dir.resolve("oom.out")), "the process went on");
  }

  @Test
  void ordinaryExceptionInAThread_processGoesOn(@TempDir Path dir) throws Exception {
    Process p = child(dir, "ordinary");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = Files.readString(dir.resolve("ordinary.err"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), err);
    assertTrue(err.contains("an ordinary failure"), "the usual stack trace: " + err);
    assertEquals("still running\n", Files.readString(dir.resolve("ordinary.out")));
  }
}
