package io.cbtengine.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.engine.Interrupting;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's short-lived channels (atomic replaces, directory syncs, reads) under interrupts that
 * arrive while they run: a channel hit by one closes itself, which failed the epoch file's write
 * (or the recovery's read) with {@code FileFault}, and skipped a directory sync silently. Each step
 * now runs again; every file must be written whole and read back whole.
 */
class StoreFilesInterruptTest {
  @Test
  void writesAndReads_interruptedWhileTheyRun_allComplete(@TempDir Path dir) throws Exception {
    int rounds = 1_000;
    byte[] content = new byte[256 * 1024];
    // Interrupts at random, 0.2 to 2 ms apart: many land inside a write or its sync. (A thread
    // interrupted faster than a step can complete would never complete it: each retry is hit
    // again, and after InterruptStatus.MAX_ATTEMPTS the step fails.)
    SplittableRandom random = new SplittableRandom(7);
    long interrupts =
        Interrupting.run(
            () -> {
              for (int i = 0; i < rounds; i++) {
                Thread.interrupted(); // this caller ignores interrupts; the store must too
                content[i % content.length] = (byte) i;
                Path file = dir.resolve("f-" + (i % 8));
                StoreFiles.writeAtomically(file, ByteBuffer.wrap(content));
                assertArrayEquals(content, StoreFiles.readAll(file, content.length));
              }
            },
            () -> random.nextLong(200_000, 2_000_000));
    assertTrue(interrupts > 20, "the worker was interrupted while it ran: " + interrupts);
  }
}
