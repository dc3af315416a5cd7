package io.cbtengine.engine.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cbtengine.api.CbtFault;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeExtent;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.CrashSimulation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages every kind of file of a persistent engine (truncation, zeroed ranges, flipped bytes,
 * deletion) after a clean close and after a crash, reopens, and checks that every answer still
 * covers every write, or is {@code FileFault}/{@code NotFound}, never a wrong answer nor an
 * unhandled exception.
 */
class CorruptionTest {
  private static final DiskId DISK = new DiskId("disk-c");
  private static final long CAP = 1L << 30;

  private record Interval(SnapshotInfo from, SnapshotInfo to, List<long[]> writes) {}

  private int answered;
  private int refused;

  @Test
  void damagedFiles_afterCleanClose_neverWrongAnswers(@TempDir Path tmp) throws Exception {
    campaign(tmp, false);
  }

  @Test
  void damagedFiles_afterCrash_neverWrongAnswers(@TempDir Path tmp) throws Exception {
    campaign(tmp, true);
  }

  private void campaign(Path tmp, boolean crash) throws Exception {
    Path original = tmp.resolve("original");
    List<Interval> truth = buildHistory(original, crash);
    List<Path> files;
    try (Stream<Path> s = Files.walk(original)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals("LOCK"))
              .toList();
    }
    assertTrue(
        files.size() >= 6, "expected journal, epoch, intent, open and format files: " + files);
    Random random = new Random(42);
    int n = 0;
    for (Path f : files) {
      for (String damage :
          List.of("truncate-half", "truncate-zero", "zero-range", "flip", "flip", "delete")) {
        Path copy = tmp.resolve("case-" + n++);
        copyTree(original, copy);
        Path target = copy.resolve(original.relativize(f));
        damage(target, damage, random);
        check(copy, truth, original.relativize(f) + " " + damage);
      }
    }
    System.out.printf(
        "corruption (%s): files=%d, cases=%d, answered=%d, refused=%d%n",
        crash ? "crash" : "clean", files.size(), n, answered, refused);
    assertTrue(answered > 0);
  }

  private static List<Interval> buildHistory(Path dir, boolean crash) {
    ChangeTracker cbt = CbtEngine.open(dir);
    TrackedDisk d =
        cbt.createDisk(
            DISK, CAP, DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build());
    Random random = new Random(7);
    List<SnapshotInfo> snaps = new ArrayList<>();
    List<List<long[]>> epochWrites = new ArrayList<>();
    snaps.add(d.createSnapshot());
    for (int e = 0; e < 4; e++) {
      List<long[]> ws = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long len = 1 + random.nextInt(100_000);
        long off = Math.floorMod(random.nextLong(), CAP - len);
        d.recordWrite(off, len);
        ws.add(new long[] {off, len});
      }
      epochWrites.add(ws);
      snaps.add(d.createSnapshot());
    }
    d.deleteSnapshot(snaps.get(2).id());
    d.recordWrite(12345, 678); // the open epoch
    if (crash) {
      CrashSimulation.abandon(cbt);
    } else {
      cbt.close();
    }
    List<Interval> truth = new ArrayList<>();
    for (int a = 0; a < snaps.size(); a++) {
      for (int b = a + 1; b < snaps.size(); b++) {
        if (b == 2) {
          continue;
        }
        List<long[]> ws = new ArrayList<>();
        for (int e = a; e < b; e++) {
          ws.addAll(epochWrites.get(e));
        }
        truth.add(new Interval(snaps.get(a), snaps.get(b), ws));
      }
    }
    return truth;
  }

  private void check(Path dir, List<Interval> truth, String what) {
    ChangeTracker cbt;
    try {
      cbt = CbtEngine.open(dir);
    } catch (CbtFault e) {
      // Refusing to open is a clear error; only acceptable for the directory's own identity.
      assertTrue(what.startsWith("FORMAT"), "open refused for " + what + ": " + e);
      assertTrue(e instanceof FileFaultException, what + ": " + e);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("unhandled exception opening after " + what, e);
    }
    try (cbt) {
      for (Interval iv : truth) {
        List<DiskChangeExtent> extents = new ArrayList<>();
        try {
          for (long off = 0; off < iv.to.capacityBytes(); ) {
            DiskChangeInfo r =
                cbt.queryChangedDiskAreas(DISK, iv.to.id(), off, iv.from.changeId().toString());
            extents.addAll(r.changedArea());
            off = r.startOffset() + r.length();
          }
        } catch (FileFaultException | NotFoundException e) {
          refused++;
          continue;
        } catch (RuntimeException e) {
          throw new AssertionError("unhandled exception querying after " + what, e);
        }
        answered++;
        for (long[] w : iv.writes) {
          if (!covered(extents, w[0], w[1])) {
            fail(
                "wrong answer after "
                    + what
                    + ": write "
                    + w[0]
                    + "+"
                    + w[1]
                    + " missing from "
                    + iv.from.changeId()
                    + " .. "
                    + iv.to.id());
          }
        }
      }
      // The damaged engine keeps working: a new snapshot and write are tracked.
      cbt.findDisk(DISK)
          .ifPresent(
              d -> {
                if (d.changeTrackingEnabled()) {
                  SnapshotInfo a = d.createSnapshot();
                  d.recordWrite(0, 1);
                  SnapshotInfo b = d.createSnapshot();
                  assertEquals(
                      List.of(new DiskChangeExtent(0, 4096)),
                      cbt.queryChangedDiskAreas(DISK, b.id(), 0, a.changeId().toString())
                          .changedArea(),
                      what);
                }
              });
    }
  }

  private static boolean covered(List<DiskChangeExtent> extents, long off, long len) {
    for (DiskChangeExtent e : extents) {
      if (e.start() <= off && off + len <= e.end()) {
        return true;
      }
    }
    return false;
  }

  private static void damage(Path file, String how, Random random) throws IOException {
    long size = Files.size(file);
    switch (how) {
      case "truncate-half" -> truncate(file, size / 2);
      case "truncate-zero" -> truncate(file, 0);
      case "delete" -> Files.delete(file);
      case "zero-range" -> {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          long at = size == 0 ? 0 : random.nextInt((int) Math.min(size, Integer.MAX_VALUE));
          f.seek(at);
          f.write(new byte[(int) Math.min(64, size - at)]);
        }
      }
      case "flip" -> {
        if (size > 0) {
          try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = random.nextInt((int) Math.min(size, Integer.MAX_VALUE));
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ (1 << random.nextInt(8)));
          }
        }
      }
      default -> throw new IllegalArgumentException(how);
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p));
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, t);
        }
      }
    }
  }
}
