package io.cbtengine.engine.durability;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.Durability;
import io.cbtengine.engine.EngineOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of the crash campaign: opens the engine directory (recovering it), then runs
 * writes, scoped writes, snapshots, snapshot deletions and extends on two disks until killed,
 * logging each acknowledged call to an {@link AckLog}.
 *
 * <p>Arguments: directory, ack log, seed, durability ({@code INTENT} or {@code NONE}).
 */
public final class CrashWorkload {
  static final DiskId[] DISKS = {new DiskId("crash-a"), new DiskId("crash-b")};
  static final long INITIAL_CAPACITY = 8L << 30;
  static final DiskOptions OPTIONS =
      DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build();

  /** Small intent regions so that recovery's false positives stay visible in the test. */
  static final long REGION_BYTES = 1L << 20;

  private CrashWorkload() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path ack = Path.of(args[1]);
    Random random = new Random(Long.parseLong(args[2]));
    EngineOptions options = new EngineOptions(Durability.valueOf(args[3]), REGION_BYTES);
    ChangeTracker cbt = CbtEngine.open(dir, options);
    try (AckLog log = new AckLog(ack)) {
      for (DiskId id : DISKS) {
        if (cbt.findDisk(id).isEmpty()) {
          cbt.createDisk(id, INITIAL_CAPACITY, OPTIONS);
          SnapshotInfo base = cbt.disk(id).createSnapshot();
          log.append("S|" + id + "|" + base.id() + "|" + base.changeId());
        }
      }
      System.out.println("ready");
      System.out.flush();
      while (true) {
        TrackedDisk disk = cbt.disk(DISKS[random.nextInt(DISKS.length)]);
        int op = random.nextInt(100);
        if (op < 70) {
          long cap = disk.capacityBytes();
          long len = 1 + random.nextInt(random.nextBoolean() ? 4096 : 300_000);
          long off = Math.floorMod(random.nextLong(), cap - len);
          if (random.nextInt(4) == 0) {
            try (WriteScope s = disk.beginWrite(off, len)) {
              Thread.onSpinWait();
            }
          } else {
            disk.recordWrite(off, len);
          }
          log.append("W|" + disk.id() + "|" + off + "|" + len);
        } else if (op < 88) {
          SnapshotInfo s = disk.createSnapshot();
          log.append("S|" + disk.id() + "|" + s.id() + "|" + s.changeId());
        } else if (op < 97) {
          List<SnapshotInfo> live = disk.snapshots();
          if (live.size() > 1) {
            SnapshotInfo victim = live.get(random.nextInt(live.size() - 1));
            // Logged before the call: a kill between the call and its "D" line leaves it unknown.
            log.append("P|" + disk.id() + "|" + victim.id());
            disk.deleteSnapshot(victim.id());
            log.append("D|" + disk.id() + "|" + victim.id());
          }
        } else {
          disk.extend(disk.capacityBytes() + (1L << 30));
        }
      }
    }
  }
}
