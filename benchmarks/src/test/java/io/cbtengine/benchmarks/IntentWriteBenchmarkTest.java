package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.SnapshotInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The INTENT benchmark records every write of the trace, and both modes report the same. */
class IntentWriteBenchmarkTest {
  @Test
  void replayTrace_bothModes_reportEveryWriteAndAgree() throws Exception {
    Path traces = Path.of(System.getProperty("cbt.traces.dir", "../../shared/traces"));
    assumeTrue(
        Files.isDirectory(traces), "shared traces absent (" + traces + "): benchmark not checked");
    System.setProperty("cbt.traces.dir", traces.toString());
    List<List<DiskChangeExtent>> answers = new ArrayList<>();
    for (String mode : List.of("memory", "intent")) {
      IntentWriteBenchmark b = new IntentWriteBenchmark();
      b.trace = "msr-cambridge-hm0-1k.csv";
      b.mode = mode;
      b.open();
      try {
        b.freshEpochWithRegionsLogged();
        SnapshotInfo before = b.disk.snapshots().get(b.disk.snapshots().size() - 1);
        b.replayTrace();
        SnapshotInfo after = b.disk.createSnapshot();
        List<DiskChangeExtent> extents = new ArrayList<>();
        for (long off = 0; off < after.capacityBytes(); ) {
          DiskChangeInfo r =
              b.disk.queryChangedDiskAreas(after.id(), off, before.changeId().toString());
          extents.addAll(r.changedArea());
          off = r.startOffset() + r.length();
        }
        for (int i = 0; i < b.offsets.length; i++) {
          long o = b.offsets[i];
          long l = b.lengths[i];
          assertTrue(
              extents.stream().anyMatch(e -> e.start() <= o && o + l <= e.end()),
              mode + ": write " + o + "+" + l + " not reported");
        }
        answers.add(extents);
      } finally {
        b.close();
      }
    }
    assertEquals(answers.get(0), answers.get(1));
  }
}
