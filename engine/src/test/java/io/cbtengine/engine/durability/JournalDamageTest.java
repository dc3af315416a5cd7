package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.CrashSimulation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk's journal damaged after its first record: the disk must come back with its settings and a
 * new generation (earlier changeIds get {@code FileFault}), not vanish, and damage in the middle
 * must never pass for a torn tail, which would silently drop the records after it.
 */
class JournalDamageTest {
  private static final DiskId DISK = new DiskId("disk-j");
  private static final long CAP = 1L << 30;

  /** Writes, six snapshots and a crash; returns the snapshots. */
  private static List<SnapshotInfo> history(Path dir) {
    return history(dir, false);
  }

  /**
   * Writes, six snapshots, then (if {@code tail}) the deletion of the second snapshot and an extend
   * to twice the capacity, and a crash; returns the snapshots.
   */
  private static List<SnapshotInfo> history(Path dir, boolean tail) {
    ChangeTracker cbt = CbtEngine.open(dir);
    TrackedDisk d = createDisk(cbt);
    List<SnapshotInfo> snaps = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      d.recordWrite(i * (1L << 20), 4096);
      snaps.add(d.createSnapshot());
    }
    d.recordWrite(7L << 20, 4096); // the open epoch
    if (tail) {
      d.deleteSnapshot(snaps.get(1).id());
      d.extend(2 * CAP);
    }
    CrashSimulation.abandon(cbt);
    return snaps;
  }

  /** The test disk: 4 KiB blocks, declared empty. */
  private static TrackedDisk createDisk(ChangeTracker cbt) {
    return cbt.createDisk(
        DISK, CAP, DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build());
  }

  private static void truncate(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  private static Path journal(Path dir) {
    return dir.resolve("disks").resolve("d-" + DISK.value()).resolve("journal.log");
  }

  /** The file offsets of the journal's records, in order. */
  private static List<Integer> recordOffsets(Path journal) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(journal)).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> out = new ArrayList<>();
    for (int pos = 8; pos + 9 <= b.limit(); pos += 9 + b.getInt(pos)) {
      out.add(pos);
    }
    return out;
  }

  private static void writeAt(Path file, long offset, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      f.write(bytes);
    }
  }

  /**
   * After damage that leaves the first record readable: the disk is there with its capacity, every
   * earlier changeId gets FileFault, and tracking works from the new generation.
   */
  private static void assertResetNotLost(Path dir, List<SnapshotInfo> snaps) {
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d = cbt.disk(DISK);
      // An extend recorded after the damage is lost with it: the capacity the readable records
      // give.
      assertEquals(CAP, d.capacityBytes());
      assertTrue(d.changeTrackingEnabled());
      SnapshotInfo last = snaps.get(snaps.size() - 1);
      SnapshotInfo a = d.createSnapshot();
      d.recordWrite(0, 1);
      SnapshotInfo b = d.createSnapshot();
      for (SnapshotInfo old : snaps) {
        assertThrows(
            FileFaultException.class,
            () -> d.queryChangedDiskAreas(b.id(), 0, old.changeId().toString()),
            "changeId of " + old.id() + " after " + last.id());
      }
      assertEquals(
          List.of(new DiskChangeExtent(0, 4096)),
          d.queryChangedDiskAreas(b.id(), 0, a.changeId().toString()).changedArea());
    }
  }

  @Test
  void flippedByteAfterTheFirstRecord_diskResetNotSetAside(@TempDir Path dir) throws IOException {
    List<SnapshotInfo> snaps = history(dir);
    List<Integer> records = recordOffsets(journal(dir));
    assertTrue(records.size() >= 8, "records: " + records);
    // A payload byte of the fourth record: its CRC fails, the records before it read.
    writeAt(journal(dir), records.get(3) + 12, new byte[] {(byte) 0xA5});
    assertResetNotLost(dir, snaps);
  }

  @Test
  void lengthRunningPastTheEndInTheMiddle_isDamageNotATornTail(@TempDir Path dir)
      throws IOException {
    List<SnapshotInfo> snaps = history(dir, true);
    Path journal = journal(dir);
    List<Integer> records = recordOffsets(journal);
    long size = Files.size(journal);
    // The deletion's record claims a length reaching past the end of the file, as a torn append
    // would; but the complete record of the extend follows it. Read as a torn tail, both records
    // would be dropped silently and the history kept.
    int at = records.get(records.size() - 2);
    int len = (int) (size - at); // runs past the end by RECORD_HEADER_BYTES
    writeAt(journal, at, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(len).array());
    assertResetNotLost(dir, snaps);
  }

  @Test
  void journalCutAfterItsFirstRecord_diskWithTrackingDataIsReset(@TempDir Path dir)
      throws IOException {
    List<SnapshotInfo> snaps = history(dir);
    Path journal = journal(dir);
    List<Integer> records = recordOffsets(journal);
    // Zeros from the second record (the generation) to the end: only the creation reads.
    int from = records.get(1);
    writeAt(journal, from, new byte[(int) (Files.size(journal) - from)]);
    assertResetNotLost(dir, snaps);
  }

  @Test
  void journalWithOnlyItsCreation_andNoTrackingData_isACreationThatNeverCompleted(@TempDir Path dir)
      throws IOException {
    history(dir);
    Path journal = journal(dir);
    List<Integer> records = recordOffsets(journal);
    truncate(journal, records.get(1));
    try (var folders = Files.list(journal.getParent())) {
      for (Path g : folders.filter(Files::isDirectory).toList()) {
        try (var files = Files.list(g)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(g);
      }
    }
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      assertTrue(cbt.findDisk(DISK).isEmpty(), "createDisk never returned: no disk");
    }
  }

  @Test
  void journalEmptyOrMissing_diskWithTrackingDataIsSetAsideNotDeleted(@TempDir Path dir)
      throws IOException {
    for (String damage : new String[] {"header only", "missing"}) {
      Path d = dir.resolve(damage.replace(' ', '-'));
      history(d);
      Path journal = journal(d);
      if (damage.equals("missing")) {
        Files.delete(journal);
      } else {
        truncate(journal, 8);
      }
      try (ChangeTracker cbt = CbtEngine.open(d)) {
        assertTrue(cbt.findDisk(DISK).isEmpty(), damage);
      }
      try (var disks = Files.list(d)) {
        assertTrue(
            disks.anyMatch(p -> p.getFileName().toString().startsWith("corrupt-d-" + DISK.value())),
            damage + ": the disk's tracking data is set aside, not deleted");
      }
    }
  }

  @Test
  void journalCutAfterDisabled_disabledThenReenabledDiskIsResetNotDisabled(@TempDir Path dir)
      throws IOException {
    ChangeTracker cbt = CbtEngine.open(dir);
    TrackedDisk d = createDisk(cbt);
    d.recordWrite(0, 4096);
    d.createSnapshot();
    d.disableChangeTracking();
    d.enableChangeTracking();
    List<SnapshotInfo> snaps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      d.recordWrite((i + 1) * (1L << 20), 4096);
      snaps.add(d.createSnapshot());
    }
    CrashSimulation.abandon(cbt);
    Path journal = journal(dir);
    List<Integer> records = recordOffsets(journal);
    // The records after DISABLED (the new generation and its snapshots) are lost.
    int afterDisabled = -1;
    byte[] bytes = Files.readAllBytes(journal);
    for (int at : records) {
      if (bytes[at + 8] == 6) { // DISABLED
        afterDisabled =
            at + 9 + ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      }
    }
    assertTrue(afterDisabled > 0, "a DISABLED record");
    truncate(journal, afterDisabled);
    assertResetNotLost(dir, snaps);
  }

  @Test
  void disabledDisk_staysDisabledAfterReopen(@TempDir Path dir) {
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d = createDisk(cbt);
      d.recordWrite(0, 4096);
      d.createSnapshot();
      d.disableChangeTracking();
    }
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      assertTrue(!cbt.disk(DISK).changeTrackingEnabled(), "a disabled disk stays disabled");
    }
  }

  @Test
  void tornAppendAtTheEnd_droppedAndTheHistoryKept(@TempDir Path dir) throws IOException {
    List<SnapshotInfo> snaps = history(dir);
    Path journal = journal(dir);
    // An append that never returned: a record header claiming 40 bytes, and 3 of them.
    long size = Files.size(journal);
    ByteBuffer torn = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    torn.putInt(40).putInt(0x12345678).put((byte) 3).put(new byte[] {1, 2, 3});
    writeAt(journal, size, torn.array());
    try (ChangeTracker cbt = CbtEngine.open(dir)) {
      TrackedDisk d = cbt.disk(DISK);
      SnapshotInfo first = snaps.get(0);
      SnapshotInfo last = snaps.get(snaps.size() - 1);
      // Every snapshot is still known, and the first changeId answers up to the last snapshot
      // missing no write (epochs the crash left unfrozen come back from their intent logs,
      // coarser).
      assertEquals(snaps.size(), d.snapshots().size());
      List<DiskChangeExtent> changed =
          d.queryChangedDiskAreas(last.id(), 0, first.changeId().toString()).changedArea();
      for (int i = 1; i < snaps.size(); i++) {
        long offset = i * (1L << 20);
        assertTrue(
            changed.stream().anyMatch(e -> e.start() <= offset && offset + 4096 <= e.end()),
            "write at " + offset + " missing from " + changed);
      }
    }
    assertEquals(size, Files.size(journal), "the torn bytes are cut off");
  }
}
