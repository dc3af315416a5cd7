package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the README's usage example compiling and true. */
class ReadmeExampleTest {
  @Test
  void readmeExample_incrementalBackup_reportsTheWrites() {
    List<DiskChangeExtent> changed = new ArrayList<>();
    // --- README example begins
    try (ChangeTracker cbt = CbtEngine.inMemory()) {
      TrackedDisk disk = cbt.createDisk(new DiskId("disk-1"), 1L << 30, DiskOptions.defaults());
      SnapshotInfo base = disk.createSnapshot(); // full backup from here
      disk.recordWrite(4096, 8192); // before the data write is issued
      try (var scope = disk.beginWrite(1 << 20, 512)) {
        /* write that may overlap a snapshot */
      }
      SnapshotInfo next = disk.createSnapshot();
      for (long off = 0; off < next.capacityBytes(); ) { // the client's paging loop
        DiskChangeInfo r = disk.queryChangedDiskAreas(next.id(), off, base.changeId().toString());
        changed.addAll(r.changedArea());
        off = r.startOffset() + r.length();
      }
    }
    // --- README example ends
    assertEquals(
        List.of(new DiskChangeExtent(4096, 8192), new DiskChangeExtent(1 << 20, 4096)), changed);
  }
}
