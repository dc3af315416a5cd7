package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.Durability;
import io.cbtengine.engine.EngineOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running {@link CrashWorkload} with SIGKILL at random moments, reopens its
 * directory, and checks that every acknowledged write is reported for every changeId the engine
 * still answers; changeIds it cannot answer must be refused with {@code FileFault}.
 *
 * <p>Rounds: {@code -Dcbt.crash.rounds} (default 20; the {@code crash-soak} profile runs 300).
 */
class CrashCampaignTest {
  private static final int ROUNDS = Integer.getInteger("cbt.crash.rounds", 20);
  private static final long SEED = Long.getLong("cbt.crash.seed", 20261204L);

  private int answered;
  private int rejected;
  private long writesChecked; // past 2^31 in a 300-round soak
  private int vanished;

  @Test
  void sigkillAtRandomMoments_intentMode_noAcknowledgedWriteMissed(@TempDir Path tmp)
      throws Exception {
    runCampaign(tmp, Durability.INTENT, ROUNDS);
    System.out.printf(
        "crash campaign INTENT: rounds=%d, queries answered=%d, refused with FileFault=%d, "
            + "write checks=%d%n",
        ROUNDS, answered, rejected, writesChecked);
    assertTrue(answered > 0, "no query was answered");
    assertEquals(0, rejected, "INTENT mode should answer every changeId after a crash");
    assertEquals(0, vanished, "INTENT mode should keep every live snapshot after a crash");
  }

  @Test
  void sigkillAtRandomMoments_noneMode_oldChangeIdsRefusedNewOnesComplete(@TempDir Path tmp)
      throws Exception {
    runCampaign(tmp, Durability.NONE, 3);
    System.out.printf(
        "crash campaign NONE: rounds=3, answered=%d, refused=%d, write checks=%d%n",
        answered, rejected, writesChecked);
    assertTrue(rejected > 0, "NONE mode must refuse changeIds from before an unclean stop");
  }

  private void runCampaign(Path tmp, Durability durability, int rounds) throws Exception {
    Path dir = tmp.resolve("engine");
    Path ack = tmp.resolve("ack.log");
    Random random = new Random(SEED + durability.ordinal());
    for (int round = 0; round < rounds; round++) {
      runChildUntilKilled(
          dir,
          ack,
          tmp.resolve("child-" + round + ".err"),
          SEED * 31 + round,
          durability,
          50 + random.nextInt(500));
      // Verify most rounds; otherwise the next child recovers from an unclean directory itself.
      if (round == rounds - 1 || random.nextInt(10) < 7) {
        verify(dir, ack, durability, random);
      }
      // One line per round, so that a long soak cut short still tells how far it got.
      System.out.printf(
          "crash round %d/%d %s: answered=%d, refused=%d, write checks=%d%n",
          round + 1, rounds, durability, answered, rejected, writesChecked);
    }
  }

  private static void runChildUntilKilled(
      Path dir, Path ack, Path err, long seed, Durability d, long runMillis) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashWorkload.class.getName());
    cmd.add(dir.toString());
    cmd.add(ack.toString());
    cmd.add(Long.toString(seed));
    cmd.add(d.name());
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      if (!"ready".equals(line)) {
        p.waitFor(10, TimeUnit.SECONDS);
        fail("child did not start: " + line + "\n" + Files.readString(err));
      }
      Thread.sleep(runMillis);
      if (!p.isAlive()) {
        fail("child died before the kill:\n" + Files.readString(err));
      }
      p.destroyForcibly(); // SIGKILL
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Snap(int index, String disk, String id, String changeId) {}

  private record Write(int index, String disk, long offset, long length) {}

  private void verify(Path dir, Path ack, Durability d, Random random) throws IOException {
    EngineOptions options = new EngineOptions(d, CrashWorkload.REGION_BYTES);
    try (ChangeTracker cbt = CbtEngine.open(dir, options);
        AckLog log = new AckLog(ack)) {
      // A fresh snapshot per disk covers every acknowledged write.
      Map<String, SnapshotInfo> checks = new HashMap<>();
      for (DiskId id : CrashWorkload.DISKS) {
        if (cbt.findDisk(id).isPresent()) {
          SnapshotInfo x = cbt.disk(id).createSnapshot();
          log.append("S|" + id + "|" + x.id() + "|" + x.changeId());
          checks.put(id.value(), x);
        }
      }

      List<String[]> lines = AckLog.read(ack);
      List<Snap> snaps = new ArrayList<>();
      List<Write> writes = new ArrayList<>();
      Set<String> deleted = new HashSet<>();
      for (int i = 0; i < lines.size(); i++) {
        String[] f = lines.get(i);
        switch (f[0]) {
          case "S" -> snaps.add(new Snap(i, f[1], f[2], f[3]));
          case "W" -> writes.add(new Write(i, f[1], Long.parseLong(f[2]), Long.parseLong(f[3])));
          case "P", "D" -> deleted.add(f[1] + "/" + f[2]);
          default -> fail("bad ack line " + String.join("|", f));
        }
      }

      // Every acknowledged changeId up to the fresh snapshot of its disk.
      for (Snap from : snaps) {
        SnapshotInfo check = checks.get(from.disk);
        if (check != null) {
          checkInterval(cbt, from.disk, from, check.id().value(), Integer.MAX_VALUE, writes);
        }
      }
      // A sample of intervals between two acknowledged snapshots still live.
      for (int n = 0; n < 20 && snaps.size() > 1; n++) {
        Snap a = snaps.get(random.nextInt(snaps.size()));
        Snap b = snaps.get(random.nextInt(snaps.size()));
        if (a.disk.equals(b.disk) && a.index < b.index && !deleted.contains(b.disk + "/" + b.id)) {
          checkInterval(cbt, a.disk, a, b.id, b.index, writes);
        }
      }
    }
  }

  /** Writes acknowledged after {@code from} and before index {@code toIndex} must be covered. */
  private void checkInterval(
      ChangeTracker cbt,
      String disk,
      Snap from,
      String toSnapshot,
      int toIndex,
      List<Write> writes) {
    DiskId id = new DiskId(disk);
    SnapshotId to = new SnapshotId(toSnapshot);
    List<DiskChangeExtent> extents = new ArrayList<>();
    try {
      long capacity = cbt.disk(id).snapshot(to).capacityBytes();
      for (long off = 0; off < capacity; ) {
        DiskChangeInfo r = cbt.queryChangedDiskAreas(id, to, off, from.changeId);
        extents.addAll(r.changedArea());
        off = r.startOffset() + r.length();
      }
    } catch (FileFaultException e) {
      rejected++;
      return;
    } catch (NotFoundException e) {
      // A reset generation (NONE mode after a crash) drops the snapshots it had.
      vanished++;
      return;
    }
    answered++;
    for (Write w : writes) {
      if (w.disk.equals(disk) && w.index > from.index && w.index < toIndex) {
        writesChecked++;
        if (!covered(extents, w.offset, w.length)) {
          fail("missed write " + w + " in interval from " + from + " to " + toSnapshot);
        }
      }
    }
  }

  private static boolean covered(List<DiskChangeExtent> extents, long off, long len) {
    int lo = 0;
    int hi = extents.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      DiskChangeExtent e = extents.get(mid);
      if (e.end() <= off) {
        lo = mid + 1;
      } else if (e.start() > off) {
        hi = mid - 1;
      } else {
        return off + len <= e.end();
      }
    }
    return false;
  }
}
