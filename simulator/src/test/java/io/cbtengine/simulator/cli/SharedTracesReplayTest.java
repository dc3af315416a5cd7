package io.cbtengine.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.simulator.workload.TraceWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every trace in the shared folder replays with zero missed writes: with default shaping, with one
 * extent per reply, and with two writer threads. Each trace is replayed whole, with a snapshot
 * every eighth of its writes (at least 50), so that each run has about eight incremental backups
 * per disk. Skipped, with a message, when the folder is absent.
 */
class SharedTracesReplayTest {
  @TestFactory
  Stream<DynamicTest> replay_everySharedTrace_zeroMissedWrites() throws IOException {
    List<Path> traces = SharedTraces.files();
    if (traces.isEmpty()) {
      return Stream.of(
          DynamicTest.dynamicTest(
              "shared traces absent",
              () ->
                  Assumptions.assumeTrue(
                      false,
                      "no traces at "
                          + SharedTraces.dir()
                          + " (set -Dcbt.traces.dir or CBT_TRACES_DIR): replay tests skipped")));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (Path trace : traces) {
      String every = Long.toString(snapshotEvery(trace));
      String name = trace.getFileName().toString();
      tests.add(
          DynamicTest.dynamicTest(
              name + " default shaping", () -> assertVerified(trace, "--snapshot-every", every)));
      tests.add(
          DynamicTest.dynamicTest(
              name + " --max-extents-per-reply 1",
              () ->
                  assertVerified(
                      trace, "--snapshot-every", every, "--max-extents-per-reply", "1")));
      tests.add(
          DynamicTest.dynamicTest(
              name + " --threads 2",
              () -> assertVerified(trace, "--snapshot-every", every, "--threads", "2")));
    }
    return tests.stream();
  }

  private static long snapshotEvery(Path trace) throws IOException {
    try (TraceWorkload w = TraceWorkload.open(List.of(trace), null, false, 0, 0)) {
      return Math.max(50, w.expectedEvents() / 8);
    }
  }

  private static void assertVerified(Path trace, String... options) {
    List<String> args = new ArrayList<>(List.of("replay", "--no-heap-estimate"));
    args.addAll(List.of(options));
    args.add(trace.toString());
    CliRunner r = CliRunner.run(args.toArray(String[]::new));
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.lastLine().matches("verified: [\\d,]+ backups, 0 missed writes"), r.toString());
    assertTrue(!r.out.contains("(0 incremental)"), "incremental backups ran: " + r);
  }
}
