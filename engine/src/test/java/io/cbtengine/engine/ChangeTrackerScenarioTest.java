package io.cbtengine.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cbtengine.api.ChangeId;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named behaviours of CONTRACT.md on the in-memory engine, one scenario per test. */
class ChangeTrackerScenarioTest {
  private static final long KiB = 1024;
  private static final long MiB = 1024 * KiB;
  private static final long GiB = 1024 * MiB;
  private static final DiskId DISK = DiskId.of("disk-1");
  private static final DiskOptions EMPTY_4K =
      DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build();

  private final ChangeTracker engine = ReferenceChangeTracker.underTest();
  private boolean closed;

  @AfterEach
  void closeEngine() {
    if (!closed) {
      engine.close();
    }
  }

  private static ByteRangeSet changed(TrackedDisk disk, SnapshotInfo to, String changeId) {
    return PagingClient.queryAll(disk, to.id(), 0, changeId).changed();
  }

  private static ByteRangeSet ranges(long... startEndPairs) {
    ByteRangeSet.Builder b = ByteRangeSet.builder();
    for (int i = 0; i < startEndPairs.length; i += 2) {
      b.add(startEndPairs[i], startEndPairs[i + 1]);
    }
    return b.build();
  }

  // ---------------------------------------------------------------------------------------------
  // Life cycle: extend, disable/enable, delete/re-create
  // ---------------------------------------------------------------------------------------------

  @Test
  void extend_pastOneHundredTwentyEightGiB_writesBeforeAndAfterFound() {
    TrackedDisk disk = engine.createDisk(DISK, 100 * GiB, EMPTY_4K);
    SnapshotInfo before = disk.createSnapshot();
    disk.recordWrite(1 * GiB, 4096);
    disk.recordWrite(100 * GiB - 4096, 4096);

    disk.extend(200 * GiB);
    disk.recordWrite(150 * GiB, 8192);
    disk.recordWrite(200 * GiB - 512, 512);
    disk.recordWrite(3 * GiB + 100, 10);
    SnapshotInfo after = disk.createSnapshot();

    assertEquals(200 * GiB, disk.capacityBytes());
    assertEquals(200 * GiB, after.capacityBytes());
    assertEquals(100 * GiB, disk.snapshot(before.id()).capacityBytes());
    ByteRangeSet expected =
        ranges(
            1 * GiB,
            1 * GiB + 4096,
            3 * GiB,
            3 * GiB + 4096,
            100 * GiB - 4096,
            100 * GiB,
            150 * GiB,
            150 * GiB + 8192,
            200 * GiB - 4096,
            200 * GiB);
    assertEquals(expected, changed(disk, after, before.changeId().toString()));
    // The earlier snapshot still answers within its own, smaller capacity.
    assertTrue(changed(disk, before, "*").isEmpty());
    assertEquals(expected, changed(disk, after, "*"));
  }

  /**
   * A disk of the largest size the engine accepts at 512-byte blocks (64 TiB, 2^37 blocks), written
   * whole by one call, twice across a snapshot: each epoch costs no pages (it cost one bit per
   * block, 16 GiB, and the call died with an OutOfMemoryError), and the answers are the whole disk.
   * Found by a trial that wrote a whole disk through the simulator's JSON API.
   */
  @Test
  void wholeDiskWrite_ofTheLargestDisk_answersTheWholeDisk() {
    long capacity = 64L << 40;
    TrackedDisk disk =
        engine.createDisk(
            DISK, capacity, DiskOptions.builder().blockSize(512).initiallyEmpty(true).build());
    SnapshotInfo base = disk.createSnapshot();
    disk.recordWrite(0, capacity);
    SnapshotInfo first = disk.createSnapshot();
    disk.recordWrite(0, capacity);
    disk.recordWrite(4096, 512); // into a page written whole: nothing to add
    SnapshotInfo second = disk.createSnapshot();

    ByteRangeSet whole = ranges(0, capacity);
    assertEquals(whole, changed(disk, first, base.changeId().toString()));
    assertEquals(whole, changed(disk, second, first.changeId().toString()));
    assertEquals(whole, changed(disk, second, "*"));
  }

  /**
   * A capacity the disk reports accepts writes within it at once: one thread extends the disk 512
   * bytes at a time while another writes the last 512 bytes of whatever capacity it just read. The
   * capacity used to be visible before the write path that accepts it was published, so some of
   * those writes got InvalidArgument (a trial saw 857,011 of 77.7 million).
   */
  @Test
  void extend_whileWritingAtTheReportedEnd_everyWriteWithinTheReportedCapacityAccepted()
      throws Exception {
    TrackedDisk disk = engine.createDisk(DISK, 1 << 20, EMPTY_4K);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int extensions = 20_000;
    Thread extender =
        new Thread(
            () -> {
              try {
                for (int i = 1; i <= extensions; i++) {
                  disk.extend((1 << 20) + 512L * i);
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            });
    extender.start();
    long writes = 0;
    while (extender.isAlive() && failure.get() == null) {
      long c = disk.capacityBytes();
      try {
        disk.recordWrite(c - 512, 512);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, new AssertionError("write at reported end " + c, e));
      }
      writes++;
    }
    extender.join();
    long written = writes;
    assertNull(failure.get(), () -> "after " + written + " writes: " + failure.get());
    assertEquals((1 << 20) + 512L * extensions, disk.capacityBytes());
  }

  @Test
  void extend_shrinkOrUnaligned_invalidArgumentCapacityAndNothingChanges() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);

    InvalidArgumentException shrink =
        assertThrows(InvalidArgumentException.class, () -> disk.extend(1 * GiB - 512));
    InvalidArgumentException unaligned =
        assertThrows(InvalidArgumentException.class, () -> disk.extend(1 * GiB + 100));

    assertEquals("capacityBytes", shrink.invalidProperty());
    assertEquals("capacityBytes", unaligned.invalidProperty());
    assertEquals(1 * GiB, disk.capacityBytes());
  }

  @Test
  void query_afterDisableEnable_oldChangeIdFileFault() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    disk.recordWrite(0, 4096);
    SnapshotInfo old = disk.createSnapshot();

    disk.disableChangeTracking();
    assertFalse(disk.changeTrackingEnabled());
    assertTrue(disk.snapshots().isEmpty());
    assertThrows(InvalidStateException.class, disk::createSnapshot);
    assertThrows(
        InvalidStateException.class,
        () -> disk.queryChangedDiskAreas(old.id(), 0, old.changeId().toString()));
    disk.enableChangeTracking();
    disk.recordWrite(8192, 4096);
    SnapshotInfo fresh = disk.createSnapshot();

    FileFaultException e =
        assertThrows(
            FileFaultException.class,
            () -> disk.queryChangedDiskAreas(fresh.id(), 0, old.changeId().toString()));
    assertEquals(FileFaultException.CANNOT_GET_CHANGES, e.faultMessageKey());
    assertEquals("FileFault", e.faultType());
    assertFalse(fresh.changeId().sameGeneration(old.changeId()));
    assertThrows(NotFoundException.class, () -> disk.snapshot(old.id()));
    // Re-enabled tracking cannot know what happened meanwhile: "*" is the whole disk.
    assertEquals(ranges(0, 1 * GiB), changed(disk, fresh, "*"));
  }

  @Test
  void query_afterDeleteAndRecreateSameId_oldChangeIdFileFault() {
    TrackedDisk first = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    first.recordWrite(0, 4096);
    SnapshotInfo old = first.createSnapshot();

    engine.deleteDisk(DISK);
    assertTrue(engine.findDisk(DISK).isEmpty());
    assertThrows(NotFoundException.class, () -> engine.disk(DISK));
    TrackedDisk second = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    second.recordWrite(4096, 4096);
    SnapshotInfo fresh = second.createSnapshot();

    FileFaultException e =
        assertThrows(
            FileFaultException.class,
            () -> engine.queryChangedDiskAreas(DISK, fresh.id(), 0, old.changeId().toString()));
    assertEquals(FileFaultException.CANNOT_GET_CHANGES, e.faultMessageKey());
    assertFalse(fresh.changeId().sameGeneration(old.changeId()));
    assertEquals(ranges(4096, 8192), changed(second, fresh, "*"));
  }

  @Test
  void createDisk_nullOptions_theDefaults() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, null);
    assertEquals(DiskOptions.defaults(), disk.options());
    assertEquals(DiskOptions.defaults().blockSize(), disk.blockSize());
  }

  @Test
  void deleteDisk_unknownId_notFound() {
    assertThrows(NotFoundException.class, () -> engine.deleteDisk(DISK));
    assertThrows(NotFoundException.class, () -> engine.disk(DISK));
    assertTrue(engine.findDisk(DISK).isEmpty());
  }

  @Test
  void createDisk_idInUse_invalidArgumentIdAndFirstDiskUnchanged() {
    engine.createDisk(DISK, 1 * GiB, EMPTY_4K);

    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class,
            () -> engine.createDisk(DISK, 2 * GiB, DiskOptions.defaults()));

    assertEquals("id", e.invalidProperty());
    assertEquals(1 * GiB, engine.disk(DISK).capacityBytes());
    assertEquals(EMPTY_4K, engine.disk(DISK).options());
    assertEquals(1, engine.disks().size());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -512, 1000, 511})
  void createDisk_capacityNotPositiveMultipleOf512_invalidArgumentCapacityBytes(long capacity) {
    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> engine.createDisk(DISK, capacity, EMPTY_4K));

    assertEquals("capacityBytes", e.invalidProperty());
    assertTrue(engine.findDisk(DISK).isEmpty());
  }

  @Test
  void anyCall_afterClose_invalidState() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo s = disk.createSnapshot();
    engine.close();
    closed = true;

    assertThrows(InvalidStateException.class, () -> engine.disk(DISK));
    assertThrows(InvalidStateException.class, engine::disks);
    assertThrows(InvalidStateException.class, () -> engine.findDisk(DISK));
    assertThrows(InvalidStateException.class, () -> engine.deleteDisk(DISK));
    assertThrows(
        InvalidStateException.class,
        () -> engine.createDisk(DiskId.of("other"), 1 * GiB, EMPTY_4K));
    assertThrows(
        InvalidStateException.class, () -> engine.queryChangedDiskAreas(DISK, s.id(), 0, "*"));
    assertThrows(InvalidStateException.class, () -> disk.queryChangedDiskAreas(s.id(), 0, "*"));
    assertThrows(InvalidStateException.class, disk::createSnapshot);
  }

  @Test
  void recordWrite_afterClose_invalidState() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    engine.close();
    closed = true;

    // CONTRACT section 3: "Any call on a closed engine: InvalidState", the hot path included.
    assertThrows(InvalidStateException.class, () -> disk.recordWrite(0, 4096));
  }

  @Test
  void writeScopeClose_afterEngineCloseOrDiskDelete_throwsNothing() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    TrackedDisk other = engine.createDisk(DiskId.of("other"), 1 * GiB, EMPTY_4K);
    WriteScope onDeleted = other.beginWrite(0, 4096);
    WriteScope onClosed = disk.beginWrite(0, 4096);

    engine.deleteDisk(other.id());
    onDeleted.close();
    engine.close();
    closed = true;

    onClosed.close();
    onClosed.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Faults of the query, in the contract's order
  // ---------------------------------------------------------------------------------------------

  @Test
  void query_startOffsetEqualsCapacity_invalidArgumentStartOffset() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo s = disk.createSnapshot();

    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> disk.queryChangedDiskAreas(s.id(), 1 * GiB, "*"));
    InvalidArgumentException negative =
        assertThrows(
            InvalidArgumentException.class,
            () -> engine.queryChangedDiskAreas(DISK, s.id(), -1, "*"));

    assertEquals("startOffset", e.invalidProperty());
    assertEquals("InvalidArgument", e.faultType());
    assertEquals("startOffset", negative.invalidProperty());
    // The last byte is a valid start.
    assertEquals(1 * GiB - 1, disk.queryChangedDiskAreas(s.id(), 1 * GiB - 1, "*").startOffset());
  }

  @Test
  void query_startOffsetAfterExtend_judgedByTheSnapshotsCapacity() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo s = disk.createSnapshot();
    disk.extend(2 * GiB);

    InvalidArgumentException e =
        assertThrows(
            InvalidArgumentException.class, () -> disk.queryChangedDiskAreas(s.id(), 1 * GiB, "*"));

    assertEquals("startOffset", e.invalidProperty());
  }

  @Test
  void query_faultsOfSeveralKinds_firstInContractOrderWins() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo s = disk.createSnapshot();
    SnapshotId unknown = SnapshotId.of("no-such-snapshot");

    // unknown disk before everything else
    assertThrows(
        NotFoundException.class,
        () -> engine.queryChangedDiskAreas(DiskId.of("nope"), unknown, -1, "bad"));
    // unknown snapshot before a malformed changeId and a bad start
    assertThrows(NotFoundException.class, () -> disk.queryChangedDiskAreas(unknown, -1, "bad"));
    // malformed changeId before an unanswerable one (there is none here) and after the snapshot
    InvalidArgumentException malformed =
        assertThrows(
            InvalidArgumentException.class, () -> disk.queryChangedDiskAreas(s.id(), 0, "bad"));
    assertEquals("changeId", malformed.invalidProperty());
    // a bad start before an unanswerable changeId
    String neverIssued =
        ChangeId.of(
                s.changeId().generationHigh(),
                s.changeId().generationLow(),
                s.changeId().sequence() + 5)
            .toString();
    InvalidArgumentException badStart =
        assertThrows(
            InvalidArgumentException.class,
            () -> disk.queryChangedDiskAreas(s.id(), -1, neverIssued));
    assertEquals("startOffset", badStart.invalidProperty());
    assertThrows(
        FileFaultException.class, () -> disk.queryChangedDiskAreas(s.id(), 0, neverIssued));
    // tracking disabled before an unknown snapshot
    disk.disableChangeTracking();
    assertThrows(InvalidStateException.class, () -> disk.queryChangedDiskAreas(unknown, -1, "x"));
    assertThrows(
        InvalidStateException.class, () -> engine.queryChangedDiskAreas(DISK, unknown, -1, "x"));
  }

  @Test
  void query_changeIdOfSameSnapshot_emptyAnswer() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    disk.recordWrite(0, 4096);
    SnapshotInfo s = disk.createSnapshot();

    assertTrue(changed(disk, s, s.changeId().toString()).isEmpty());
  }

  @Test
  void query_changeIdLaterThanSnapshot_fileFault() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo first = disk.createSnapshot();
    SnapshotInfo second = disk.createSnapshot();

    FileFaultException e =
        assertThrows(
            FileFaultException.class,
            () -> disk.queryChangedDiskAreas(first.id(), 0, second.changeId().toString()));

    assertEquals(FileFaultException.CANNOT_GET_CHANGES, e.faultMessageKey());
  }

  @Test
  void query_changeIdOfDeletedSnapshot_stillAnswered() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    disk.recordWrite(0, 4096);
    SnapshotInfo first = disk.createSnapshot();
    disk.recordWrite(1 * MiB, 4096);
    SnapshotInfo second = disk.createSnapshot();
    disk.recordWrite(2 * MiB, 4096);
    SnapshotInfo third = disk.createSnapshot();

    disk.deleteSnapshot(first.id());
    disk.deleteSnapshot(second.id());

    assertThrows(NotFoundException.class, () -> disk.snapshot(first.id()));
    assertThrows(NotFoundException.class, () -> disk.deleteSnapshot(first.id()));
    assertEquals(List.of(third), disk.snapshots());
    assertEquals(
        ranges(1 * MiB, 1 * MiB + 4096, 2 * MiB, 2 * MiB + 4096),
        changed(disk, third, first.changeId().toString()));
    assertEquals(
        ranges(2 * MiB, 2 * MiB + 4096), changed(disk, third, second.changeId().toString()));
  }

  // ---------------------------------------------------------------------------------------------
  // Writes
  // ---------------------------------------------------------------------------------------------

  @Test
  void recordWrite_pastCapacity_invalidArgumentAndNothingRecorded() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * MiB, EMPTY_4K);

    InvalidArgumentException straddling =
        assertThrows(InvalidArgumentException.class, () -> disk.recordWrite(1 * MiB - 4096, 8192));
    InvalidArgumentException overflowing =
        assertThrows(InvalidArgumentException.class, () -> disk.recordWrite(4096, Long.MAX_VALUE));
    InvalidArgumentException negative =
        assertThrows(InvalidArgumentException.class, () -> disk.recordWrite(-4096, 4096));
    InvalidArgumentException negativeLength =
        assertThrows(InvalidArgumentException.class, () -> disk.recordWrite(0, -1));
    assertThrows(InvalidArgumentException.class, () -> disk.beginWrite(1 * MiB, 512));
    SnapshotInfo s = disk.createSnapshot();

    assertTrue(List.of("offset", "length").contains(straddling.invalidProperty()));
    assertTrue(List.of("offset", "length").contains(overflowing.invalidProperty()));
    assertEquals("offset", negative.invalidProperty());
    assertEquals("length", negativeLength.invalidProperty());
    assertTrue(changed(disk, s, "*").isEmpty(), "a rejected write recorded something");
  }

  @Test
  void recordWrite_zeroLength_recordsNothing() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * MiB, EMPTY_4K);

    disk.recordWrite(4096, 0);
    disk.beginWrite(8192, 0).close();
    SnapshotInfo s = disk.createSnapshot();

    assertTrue(changed(disk, s, "*").isEmpty());
  }

  @Test
  void recordWrite_trackingDisabled_acceptedAndIgnored() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * MiB, EMPTY_4K);
    disk.disableChangeTracking();

    disk.recordWrite(0, 4096);
    disk.beginWrite(8192, 4096).close();
    disk.enableChangeTracking();
    SnapshotInfo first = disk.createSnapshot();
    disk.recordWrite(12288, 100);
    SnapshotInfo second = disk.createSnapshot();

    assertEquals(ranges(12288, 16384), changed(disk, second, first.changeId().toString()));
  }

  @ParameterizedTest
  @ValueSource(ints = {512, 4096, 65536})
  void query_tenByteWriteAtOneMiBPlusOne_oneBlockAlignedExtent(int blockSize) {
    TrackedDisk disk =
        engine.createDisk(
            DISK, 1 * GiB, DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
    disk.recordWrite(1 * MiB + 1, 10);
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    assertEquals(1, r.replies().size(), "default shaping answers a 1 GiB disk in one reply");
    assertEquals(
        List.of(new DiskChangeExtent(1 * MiB, blockSize)), r.replies().get(0).changedArea());
  }

  @Test
  void query_one64MiBWrite_oneExtent() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    disk.recordWrite(128 * MiB, 64 * MiB);
    disk.recordWrite(512 * MiB + 100, 64 * MiB);
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    assertEquals(1, r.replies().size());
    assertEquals(
        List.of(
            new DiskChangeExtent(128 * MiB, 64 * MiB),
            new DiskChangeExtent(512 * MiB, 64 * MiB + 4096)),
        r.replies().get(0).changedArea());
  }

  @Test
  void query_starOnDiskDeclaredEmpty_onlyTheWrites() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    disk.recordWrite(10 * MiB, 4096);
    SnapshotInfo s = disk.createSnapshot();

    assertEquals(ranges(10 * MiB, 10 * MiB + 4096), changed(disk, s, "*"));
  }

  @Test
  void query_starOnDiskNotDeclaredEmpty_wholeCapacity() {
    TrackedDisk disk =
        engine.createDisk(DISK, 1 * GiB + 512, DiskOptions.builder().blockSize(4096).build());
    disk.recordWrite(10 * MiB, 4096);
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    assertEquals(List.of(new DiskChangeExtent(0, 1 * GiB + 512)), r.replies().get(0).changedArea());
    assertEquals(ranges(0, 1 * GiB + 512), r.changed());
  }

  @Test
  void query_defaultOptions_starIsWholeCapacity() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, DiskOptions.defaults());
    SnapshotInfo s = disk.createSnapshot();

    assertFalse(disk.options().initiallyEmpty());
    assertEquals(ranges(0, 1 * GiB), changed(disk, s, "*"));
  }

  @Test
  void beginWrite_scopeOpenAcrossSnapshot_reportedAfterIt() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo s0 = disk.createSnapshot();
    WriteScope scope = disk.beginWrite(1 * MiB, 8192);
    SnapshotInfo s1 = disk.createSnapshot();
    SnapshotInfo s2 = disk.createSnapshot();
    scope.close();
    scope.close();
    SnapshotInfo s3 = disk.createSnapshot();

    ByteRangeSet write = ranges(1 * MiB, 1 * MiB + 8192);
    assertEquals(write, changed(disk, s1, s0.changeId().toString()), "interval of begin");
    assertEquals(write, changed(disk, s2, s1.changeId().toString()), "open during s1");
    assertEquals(write, changed(disk, s3, s2.changeId().toString()), "open during s2");
  }

  /**
   * CONTRACT section 5: "any write whose scope was open at any moment of createSnapshot is reported
   * in the interval after that snapshot". Here the scope opened while tracking was disabled
   * (section 3: such writes are "accepted and ignored"), and is still open when the first snapshot
   * after re-enabling is taken. Its data may land after that snapshot, so an incremental backup
   * from it must see the write; this test takes the strict reading.
   */
  @Test
  void beginWrite_openedWhileDisabledAndOpenAcrossSnapshotAfterEnable_reportedAfterIt() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * MiB, EMPTY_4K);
    disk.disableChangeTracking();
    WriteScope scope = disk.beginWrite(0, 4096);
    disk.enableChangeTracking();
    SnapshotInfo first = disk.createSnapshot();
    scope.close();
    SnapshotInfo second = disk.createSnapshot();

    assertEquals(ranges(0, 4096), changed(disk, second, first.changeId().toString()));
  }

  /** As above, with the scope opened in the previous tracking generation. */
  @Test
  void beginWrite_openedBeforeDisableAndOpenAcrossSnapshotAfterEnable_reportedAfterIt() {
    TrackedDisk disk = engine.createDisk(DISK, 1 * MiB, EMPTY_4K);
    WriteScope scope = disk.beginWrite(8192, 4096);
    disk.disableChangeTracking();
    disk.enableChangeTracking();
    SnapshotInfo first = disk.createSnapshot();
    scope.close();
    SnapshotInfo second = disk.createSnapshot();

    assertEquals(ranges(8192, 12288), changed(disk, second, first.changeId().toString()));
  }

  // ---------------------------------------------------------------------------------------------
  // Shaping and paging
  // ---------------------------------------------------------------------------------------------

  @Test
  void query_firstWindowUnchanged_pagingContinuesToChangedWindow() {
    TrackedDisk disk =
        engine.createDisk(DISK, 4 * MiB, EMPTY_4K.toBuilder().maxWindowBytes(1 * MiB).build());
    disk.recordWrite(1 * MiB + 512 * KiB, 4096);
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    DiskChangeInfo first = r.replies().get(0);
    assertEquals(0, first.startOffset());
    assertTrue(first.changedArea().isEmpty(), "first window has no change: " + first);
    assertTrue(first.length() <= 1 * MiB);
    assertEquals(ranges(1 * MiB + 512 * KiB, 1 * MiB + 512 * KiB + 4096), r.changed());
    assertTrue(r.replies().size() >= 4, "a 4 MiB disk in windows of at most 1 MiB");
  }

  @Test
  void query_oneExtentPerReplyOver200kScatteredWrites_tilesDiskAndFindsEveryWrite() {
    long capacity = 64 * GiB;
    TrackedDisk disk =
        engine.createDisk(DISK, capacity, EMPTY_4K.toBuilder().maxExtentsPerReply(1).build());
    // 200,000 distinct even-numbered 4 KiB blocks: no two writes are adjacent.
    Random random = new Random(0x5eed_cb7L);
    long evenBlocks = capacity / 4096 / 2;
    BitSet chosen = new BitSet();
    while (chosen.cardinality() < 200_000) {
      chosen.set((int) (random.nextLong(evenBlocks)));
    }
    for (int k = chosen.nextSetBit(0); k >= 0; k = chosen.nextSetBit(k + 1)) {
      disk.recordWrite(2L * k * 4096, 4096);
    }
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    assertEquals(capacity, r.replies().get(r.replies().size() - 1).end());
    assertEquals(200_000, r.changed().rangeCount());
    assertEquals(200_000 * 4096L, r.changed().totalBytes());
    int i = 0;
    for (int k = chosen.nextSetBit(0); k >= 0; k = chosen.nextSetBit(k + 1), i++) {
      assertEquals(2L * k * 4096, r.changed().start(i));
      assertEquals(2L * k * 4096 + 4096, r.changed().end(i));
    }
  }

  @Test
  void query_extentLongerThanWindow_splitAcrossWindowsAndTiles() {
    TrackedDisk disk =
        engine.createDisk(
            DISK,
            16 * MiB,
            EMPTY_4K.toBuilder().maxWindowBytes(1 * MiB).maxExtentsPerReply(2).build());
    disk.recordWrite(512 * KiB, 3 * MiB);
    disk.recordWrite(5 * MiB + 4096, 4096);
    disk.recordWrite(5 * MiB + 3 * 4096, 4096);
    disk.recordWrite(5 * MiB + 5 * 4096, 4096);
    SnapshotInfo s = disk.createSnapshot();

    PagingClient.Result r = PagingClient.queryAll(disk, s.id(), 0, "*");

    assertEquals(
        ranges(
            512 * KiB,
            3 * MiB + 512 * KiB,
            5 * MiB + 4096,
            5 * MiB + 8192,
            5 * MiB + 12288,
            5 * MiB + 16384,
            5 * MiB + 20480,
            5 * MiB + 24576),
        r.changed());
  }

  /**
   * Thousands of snapshots, a few writes in most intervals, many snapshots deleted; queries over
   * short and long spans (across 16, 256 and 4096 intervals and off those boundaries) are exact at
   * block granularity: every write found, nothing else reported.
   */
  @Test
  void query_spansOfThousandsOfSnapshots_exactlyTheWritesOfTheSpan() {
    int blockSize = 512;
    long capacity = 4 * MiB;
    int blocks = (int) (capacity / blockSize);
    TrackedDisk disk =
        engine.createDisk(
            DISK,
            capacity,
            DiskOptions.builder().blockSize(blockSize).initiallyEmpty(true).build());
    int snapshotCount = 5000;
    Random random = new Random(4242);
    List<int[]> writesPerInterval = new ArrayList<>();
    List<SnapshotInfo> taken = new ArrayList<>();
    for (int k = 0; k < snapshotCount; k++) {
      int[] written = new int[random.nextInt(4)];
      for (int w = 0; w < written.length; w++) {
        written[w] = random.nextInt(blocks);
        disk.recordWrite((long) written[w] * blockSize + random.nextInt(blockSize), 1);
      }
      writesPerInterval.add(written);
      taken.add(disk.createSnapshot());
      // Keep one snapshot in ten alive, and the last one.
      if (k > 0 && (k - 1) % 10 != 0) {
        disk.deleteSnapshot(taken.get(k - 1).id());
      }
    }

    SnapshotInfo last = taken.get(snapshotCount - 1);
    int[] froms = {
      0, 1, 14, 15, 16, 17, 240, 255, 256, 257, 511, 512, 1000, 4094, 4095, 4096, 4097, 4900, 4998,
      4999
    };
    for (int from : froms) {
      // Snapshot "from" has sequence from + 1; its changeId starts the interval after it.
      String changeId = taken.get(from).changeId().toString();
      ByteRangeSet.Builder expected = ByteRangeSet.builder();
      for (int k = from + 1; k < snapshotCount; k++) {
        for (int b : writesPerInterval.get(k)) {
          expected.add((long) b * blockSize, (long) (b + 1) * blockSize);
        }
      }
      assertEquals(expected.build(), changed(disk, last, changeId), "from snapshot " + from);
    }
    // A live snapshot in the middle as the target, too.
    SnapshotInfo middle = taken.get(4090);
    ByteRangeSet.Builder expected = ByteRangeSet.builder();
    for (int k = 17; k <= 4090; k++) {
      for (int b : writesPerInterval.get(k)) {
        expected.add((long) b * blockSize, (long) (b + 1) * blockSize);
      }
    }
    assertEquals(expected.build(), changed(disk, middle, taken.get(16).changeId().toString()));
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency: snapshots deleted while writes go on
  // ---------------------------------------------------------------------------------------------

  @Test
  void recordWrite_whileSnapshotsAreDeleted_everyWriteFoundFromEveryEarlierChangeId()
      throws InterruptedException {
    TrackedDisk disk = engine.createDisk(DISK, 1 * GiB, EMPTY_4K);
    SnapshotInfo start = disk.createSnapshot();
    int writes = 4000;
    int cycles = 60;

    // The deleter takes a snapshot and deletes the one before, again and again; completed[i]
    // is how many snapshots it had finished when write i began.
    List<SnapshotInfo> taken = new ArrayList<>();
    AtomicInteger done = new AtomicInteger();
    int[] completedBeforeWrite = new int[writes];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    Thread deleter =
        new Thread(
            () -> {
              try {
                go.await();
                SnapshotInfo previous = start;
                for (int c = 0; c < cycles; c++) {
                  SnapshotInfo next = disk.createSnapshot();
                  synchronized (taken) {
                    taken.add(next);
                  }
                  done.incrementAndGet();
                  disk.deleteSnapshot(previous.id());
                  previous = next;
                  Thread.yield();
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            });
    Thread writer =
        new Thread(
            () -> {
              try {
                go.await();
                for (int i = 0; i < writes; i++) {
                  completedBeforeWrite[i] = done.get();
                  disk.recordWrite(2L * i * 4096, 4096);
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            });
    deleter.start();
    writer.start();
    go.countDown();
    deleter.join();
    writer.join();
    assertNull(failure.get());
    SnapshotInfo end = disk.createSnapshot();

    // From the first changeId: everything. From snapshot k's: every write begun after k was done.
    assertEquals(writes, changed(disk, end, start.changeId().toString()).rangeCount());
    for (int k = 0; k < taken.size(); k += 7) {
      ByteRangeSet got = changed(disk, end, taken.get(k).changeId().toString());
      for (int i = 0; i < writes; i++) {
        if (completedBeforeWrite[i] > k) {
          assertTrue(
              got.covers(2L * i * 4096, 2L * i * 4096 + 4096),
              "write " + i + " begun after snapshot " + (k + 1) + " was taken is missing");
        }
      }
    }
    assertNotNull(end.changeId());
  }
}
