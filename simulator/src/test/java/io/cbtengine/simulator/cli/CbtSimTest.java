package io.cbtengine.simulator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: help, exit codes, the default run, reports. */
class CbtSimTest {
  @TempDir Path dir;

  @Test
  void help_eachCommand_usageAndExitZero() {
    for (String[] args :
        new String[][] {{"--help"}, {"run", "--help"}, {"replay", "--help"}, {"help", "replay"}}) {
      CliRunner r = CliRunner.run(args);
      assertEquals(0, r.exitCode, r.toString());
      assertTrue(r.out.contains("Usage: cbt-sim"), r.toString());
      assertTrue(r.out.contains("Exit codes:"), r.toString());
    }
    assertTrue(CliRunner.run("replay", "--help").out.contains("--max-extents-per-reply"));
    assertTrue(CliRunner.run("--help").out.contains("replay"));
  }

  @Test
  void noArguments_defaultWorkload_verifiedAndExitZero() {
    CliRunner r = CliRunner.run("--no-progress");
    // No subcommand runs 'run'; --no-progress belongs to run, so check it rejects it cleanly.
    assertEquals(2, r.exitCode, r.toString());
    CliRunner def = CliRunner.run();
    assertEquals(0, def.exitCode, def.toString());
    assertTrue(
        def.lastLine().matches("verified: [\\d,]+ backups, 0 missed writes"), def.toString());
    assertTrue(def.out.contains("synthetic workload (200000 writes"), def.toString());
    assertTrue(def.out.contains("(1 extended)"), def.toString());
  }

  @Test
  void run_smallWorkloadWithReports_jsonAndCsvWritten() throws IOException {
    Path json = dir.resolve("r.json");
    Path csv = dir.resolve("r.csv");
    CliRunner r =
        CliRunner.run(
            "run",
            "--writes",
            "5000",
            "--snapshot-every",
            "1000",
            "--max-window-bytes",
            "64m",
            "--report-json",
            json.toString(),
            "--report-csv",
            csv.toString(),
            "--no-heap-estimate");
    assertEquals(0, r.exitCode, r.toString());
    String j = Files.readString(json, StandardCharsets.UTF_8);
    assertTrue(j.contains("\"verified\": true"), j);
    assertTrue(j.contains("\"backups\": ["), j);
    long rows = Files.readAllLines(csv).size();
    int backups = Integer.parseInt(r.lastLine().replaceAll("verified: (\\d+) backups.*", "$1"));
    assertEquals(backups + 1, rows);
    assertTrue(Files.readAllLines(csv).get(0).startsWith("disk,backup,full,"));
  }

  @Test
  void run_reportInMissingDirectory_failsBeforeTheReplay() {
    assertRefusedBeforeTheReplay(dir.resolve("no-such-dir").resolve("r.json"));
  }

  /** A run with {@code json} as its JSON report fails with exit 2 before replaying anything. */
  private static void assertRefusedBeforeTheReplay(Path json) {
    CliRunner r = CliRunner.run("run", "--writes", "5000", "--report-json", json.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("cannot write the report to " + json), r.toString());
    assertTrue(!r.out.contains("verified:"), "the replay must not have run: " + r);
  }

  @Test
  void replay_emptyTrace_saysItHoldsNoRecords() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.csv"));
    CliRunner r = CliRunner.run("replay", empty.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("it holds no records"), r.toString());
  }

  @Test
  void run_timeSchedule_snapshotsByTraceTime() {
    // 4,000 synthetic writes are 0.4 s of workload time: a snapshot every 100 ms.
    CliRunner r =
        CliRunner.run("run", "--writes", "4000", "--snapshot-every", "100ms", "--no-heap-estimate");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("snapshot every 0.1 s of trace time"), r.toString());
  }

  @Test
  void run_thousandsOfBackups_verdictGroupsDigits() {
    CliRunner r =
        CliRunner.run("run", "--writes", "1200", "--snapshot-every", "1", "--no-heap-estimate");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("verified: 1,200 backups, 0 missed writes"), r.toString());
  }

  @Test
  void run_intervalWithBlankBeforeUnit_acceptedLikeSizes() {
    CliRunner r =
        CliRunner.run("run", "--writes", "100", "--snapshot-every", "30 s", "--no-heap-estimate");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("snapshot every 30 s of trace time"), r.toString());
  }

  @Test
  void replay_offsetPlusLengthOverflows_malformedNotPastDiskSize() throws IOException {
    String good = "128166385295514663,hm,0,Write,0,4096,100\n";
    String overflow = "128166385295514663,hm,0,Write,9223372036854775000,4096,100\n";
    // A byte-order mark before the first record is dropped, not a malformed first line.
    Path p = dir.resolve("ovf.csv");
    Files.write(
        p,
        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, (good + overflow).getBytes()));
    CliRunner r = CliRunner.run("replay", p.toString());
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("malformed       1"), r.toString());
    assertTrue(!r.out.contains("past disk size"), r.toString());
    assertTrue(r.out.contains("writes replayed   1"), r.toString());
    CliRunner strict = CliRunner.run("replay", "--strict", p.toString());
    assertEquals(2, strict.exitCode, strict.toString());
    assertTrue(strict.err.contains("their sum overflows"), strict.toString());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void run_longTimeSchedule_settingsInPlainSeconds() {
    // 100,000 hours: written out in seconds, not as 3.6E+8.
    CliRunner r =
        CliRunner.run(
            "run", "--writes", "100", "--snapshot-every", "100000h", "--no-heap-estimate");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("snapshot every 360000000 s of trace time"), r.toString());
    CliRunner writes =
        CliRunner.run(
            "run", "--writes", "100", "--snapshot-every", "50writes", "--no-heap-estimate");
    assertEquals(0, writes.exitCode, writes.toString());
    assertTrue(writes.out.contains("snapshot every 50 writes"), writes.toString());
  }

  @Test
  void badUsage_oneLineNamingTheOptionAndValue_thenWhereTheHelpIs() {
    CliRunner zero = CliRunner.run("run", "--block-size", "0");
    assertEquals(2, zero.exitCode, zero.toString());
    assertTrue(zero.err.startsWith("cbt-sim run: --block-size: "), zero.toString());
    assertTrue(zero.err.contains("'0'"), zero.toString());
    assertTrue(zero.err.contains("Try 'cbt-sim run --help'"), zero.toString());
    assertTrue(!zero.err.contains("Usage:"), "no usage text after an error: " + zero);

    CliRunner pow = CliRunner.run("run", "--block-size", "1000");
    assertTrue(
        pow.err.contains("--block-size: must be a power of two from 512 to 64m: '1000'"),
        pow.toString());
    // Too large, whether or not it fits an int: the same words, quoting what the user wrote.
    for (String big : new String[] {"128m", "1t"}) {
      CliRunner large = CliRunner.run("run", "--block-size", big);
      assertEquals(2, large.exitCode, large.toString());
      assertTrue(
          large.err.contains("--block-size: must be a power of two from 512 to 64m: '" + big + "'"),
          large.toString());
    }
    CliRunner decimal = CliRunner.run("run", "--block-size", "4.5k");
    assertTrue(decimal.err.contains("whole numbers: '4.5k'"), decimal.toString());
    CliRunner every = CliRunner.run("run", "--snapshot-every", "0");
    assertTrue(every.err.contains("--snapshot-every: "), every.toString());
    // Decimals, a junk unit after a zero, and digits of other scripts each get their own words.
    CliRunner commas = CliRunner.run("run", "--snapshot-every", "10,000");
    assertTrue(commas.err.contains("without separators: '10,000'"), commas.toString());
    CliRunner sizeCommas = CliRunner.run("run", "--block-size", "65,536");
    assertTrue(sizeCommas.err.contains("without separators: '65,536'"), sizeCommas.toString());
    CliRunner format = CliRunner.run("replay", "--format", "foo", "x.csv");
    assertEquals(2, format.exitCode, format.toString());
    assertTrue(format.err.contains("--format: "), format.toString());
    CliRunner half = CliRunner.run("run", "--snapshot-every", "0.5s");
    assertTrue(half.err.contains("intervals are whole numbers: '0.5s'"), half.toString());
    CliRunner junk = CliRunner.run("run", "--snapshot-every", "0abc");
    assertTrue(junk.err.contains("unknown interval unit in '0abc'"), junk.toString());
    CliRunner day = CliRunner.run("run", "--snapshot-every", "1d");
    assertTrue(day.err.contains("or w, writes or no unit for a count of writes"), day.toString());
    CliRunner wide = CliRunner.run("run", "--snapshot-every", "\uFF11\uFF10");
    assertEquals(2, wide.exitCode, wide.toString());
    assertTrue(wide.err.contains("not an interval"), wide.toString());
    CliRunner wideSize = CliRunner.run("run", "--block-size", "\uFF14k");
    assertEquals(2, wideSize.exitCode, wideSize.toString());
    assertTrue(wideSize.err.contains("not a size"), wideSize.toString());
    // Too many digits, or a time unit that overflows nanoseconds: too large, not "not an interval".
    for (String huge : new String[] {"999999999999999999999", "99999999999999h"}) {
      CliRunner big = CliRunner.run("run", "--snapshot-every", huge);
      assertEquals(2, big.exitCode, big.toString());
      assertTrue(
          big.err.contains("--snapshot-every: interval too large: '" + huge + "'"), big.toString());
    }

    Path trace = dir.resolve("t.csv");
    CliRunner writes = CliRunner.run("replay", "--max-writes", "0", trace.toString());
    assertEquals(2, writes.exitCode, writes.toString());
    assertTrue(writes.err.contains("--max-writes must be at least 1: 0"), writes.toString());
  }

  @Test
  void version_namesTheProjectVersion() {
    CliRunner r = CliRunner.run("-V");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(
        r.out.matches("(?s)cbt-sim \\d+\\.\\d+.*the cbt-engine simulator\\s*"), r.toString());
  }

  @Test
  void run_unusableReportPaths_failBeforeTheReplay() throws IOException {
    CliRunner empty = CliRunner.run("run", "--writes", "5000", "--report-json=");
    assertEquals(2, empty.exitCode, empty.toString());
    assertTrue(empty.err.contains("--report-json needs a file name"), empty.toString());

    Path same = dir.resolve("r.out");
    CliRunner both =
        CliRunner.run(
            "run",
            "--writes",
            "5000",
            "--report-json",
            same.toString(),
            "--report-csv",
            same.toString());
    assertEquals(2, both.exitCode, both.toString());
    assertTrue(both.err.contains("name the same file"), both.toString());

    // A directory where no file can be created (Linux's /proc): caught before the replay.
    Path proc = Path.of("/proc/cbt-sim-test-report.json");
    if (Files.isDirectory(proc.getParent())) {
      assertRefusedBeforeTheReplay(proc);
    }
  }

  @Test
  void replay_reportOverAnInputOrTheOtherReport_refusedAndNothingOverwritten() throws IOException {
    String line = "128166385295514663,hm,0,Write,0,4096,100\n";
    Path trace = Files.writeString(dir.resolve("in.csv"), line);
    CliRunner over = CliRunner.run("replay", "--report-csv", trace.toString(), trace.toString());
    assertEquals(2, over.exitCode, over.toString());
    assertTrue(over.err.contains("would overwrite the input"), over.toString());
    assertEquals(line, Files.readString(trace));
    // A hard link is the same file under another name.
    Path hard = Files.createLink(dir.resolve("hard.csv"), trace);
    CliRunner viaLink = CliRunner.run("replay", "--report-json", hard.toString(), trace.toString());
    assertEquals(2, viaLink.exitCode, viaLink.toString());
    assertTrue(viaLink.err.contains("would overwrite the input"), viaLink.toString());
    assertEquals(line, Files.readString(trace));

    Path target = Files.writeString(dir.resolve("report.out"), "keep");
    Path link = Files.createSymbolicLink(dir.resolve("link.out"), target);
    CliRunner both =
        CliRunner.run(
            "replay",
            "--report-json",
            target.toString(),
            "--report-csv",
            link.toString(),
            trace.toString());
    assertEquals(2, both.exitCode, both.toString());
    assertTrue(both.err.contains("name the same file"), both.toString());
    assertEquals("keep", Files.readString(target));

    CliRunner root = CliRunner.run("replay", "--report-json", "/", trace.toString());
    assertEquals(2, root.exitCode, root.toString());
    assertTrue(root.err.contains("--report-json needs a file name"), root.toString());
    assertTrue(!root.err.contains("null"), root.toString());
  }

  @Test
  void badUsage_unknownOptionOrBadValue_exitTwo() {
    assertEquals(2, CliRunner.run("run", "--bogus").exitCode);
    assertEquals(2, CliRunner.run("run", "--snapshot-every", "ten").exitCode);
    assertEquals(2, CliRunner.run("run", "--block-size", "1000").exitCode);
    assertEquals(2, CliRunner.run("run", "--max-window-bytes", "1000").exitCode);
    assertEquals(2, CliRunner.run("run", "--max-extents-per-reply", "0").exitCode);
    assertEquals(2, CliRunner.run("replay").exitCode);
    assertEquals(2, CliRunner.run("frobnicate").exitCode);
  }

  @Test
  void replay_missingFile_exitTwoNamingIt() {
    CliRunner r = CliRunner.run("replay", dir.resolve("absent.csv").toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("absent.csv"), r.toString());
  }

  @Test
  void replay_offsetNearLongMax_exitTwoNotAnEngineFault() throws IOException {
    // Rounding the disk's end up to 1 MiB used to overflow: a 1 MiB disk, then an engine fault.
    Path p = dir.resolve("edge.csv");
    Files.writeString(p, "128166385295514663,hm,0,Write,9223372036854000000,4096,2833\n");
    CliRunner r = CliRunner.run("replay", p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("cannot be tracked"), r.toString());
    assertTrue(!r.err.contains("\tat "), "no stack trace: " + r);
  }

  @Test
  void replay_timeScheduleNearClockEnd_oneRoundNotOnePerWrite() throws IOException {
    // 1,000 writes within 1 ms of trace time, their timestamps close to 2^63 ns: adding the
    // interval to the first one used to overflow, and every write started a round.
    ByteBuffer b = ByteBuffer.allocate(1000 * 32).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 1000; i++) {
      b.putInt(i).putInt(4096).putInt(1).putShort((short) 0x2a).putShort((short) 1);
      b.putLong(8L * i).putLong(9_223_372_036_854_775L - 1000 + i);
    }
    Path p = Files.write(dir.resolve("late.vscsi"), b.array());
    CliRunner r = CliRunner.run("replay", "--snapshot-every", "1h", p.toString());
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains("verified: 1 backups"), r.toString());
    // Timestamps at and past 2^63 ns, which the reader caps at the end of the clock: still one.
    ByteBuffer past = ByteBuffer.allocate(1000 * 32).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 1000; i++) {
      past.putInt(i).putInt(4096).putInt(1).putShort((short) 0x2a).putShort((short) 1);
      past.putLong(8L * i).putLong(9_223_372_036_854_776L + i);
    }
    Path capped = Files.write(dir.resolve("past.vscsi"), past.array());
    CliRunner c = CliRunner.run("replay", "--snapshot-every", "1h", capped.toString());
    assertEquals(0, c.exitCode, c.toString());
    assertTrue(c.out.contains("verified: 1 backups"), c.toString());
  }

  /**
   * Two devices whose names differ only in characters a disk id cannot hold would share one disk:
   * the run stops with exit code 2 and names both devices and their files.
   */
  @Test
  void replay_twoDevicesOneDiskId_exitTwoNamesBoth() throws IOException {
    Path a = dir.resolve("a.csv");
    Files.writeString(a, "128166385295514663,a b,0,Write,4096,4096,2833\n");
    Path b = dir.resolve("b.csv");
    Files.writeString(b, "128166385295514663,a_b,0,Write,8192,4096,2833\n");
    CliRunner r = CliRunner.run("replay", "--format", "msr", a.toString(), b.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("'a b_0'") && r.err.contains("'a_b_0'"), r.toString());
    assertTrue(r.err.contains("msr-a_b_0"), r.toString());
    assertFalse(r.err.contains("cannot read"), "both files were read: " + r);

    // The same device in two files is one disk, as before.
    Path c = dir.resolve("c.csv");
    Files.writeString(c, "128166385295514700,a_b,0,Write,0,4096,2833\n");
    CliRunner same = CliRunner.run("replay", "--format", "msr", b.toString(), c.toString());
    assertEquals(0, same.exitCode, same.toString());
  }

  @Test
  void replay_offsetBeyondEngineLimit_exitTwoOneLineNoStackTrace() throws IOException {
    Path p = dir.resolve("huge.csv");
    Files.writeString(p, "128166385295514663,hm,0,Write,70368744177664,4096,100\n");
    CliRunner r = CliRunner.run("replay", "--block-size", "512", p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("cannot be tracked"), r.toString());
    assertTrue(r.err.contains("block size=512"), r.toString());
    assertTrue(!r.err.contains("\tat "), "no stack trace: " + r);
  }

  @Test
  void replay_diskSizeBeyondEngineLimit_namesTheCapacityGiven() throws IOException {
    Path p = dir.resolve("small.csv");
    Files.writeString(p, "128166385295514663,hm,0,Write,0,4096,100\n");
    CliRunner r =
        CliRunner.run("replay", "--block-size", "512", "--disk-size", "128TiB", p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("capacity=" + (128L << 40)), r.toString());
    assertTrue(r.err.contains("--disk-size if given"), r.toString());
  }

  @Test
  void replay_undetectableFile_exitTwoListingFormats() throws IOException {
    Path p = dir.resolve("notes.txt");
    Files.writeString(p, "not a trace\nat all\n");
    CliRunner r = CliRunner.run("replay", p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("tried msr ("), r.toString());
    assertEquals(2, CliRunner.run("replay", "--format", "nope", p.toString()).exitCode);
  }

  @Test
  void replay_badRecords_skippedOrStrictError() throws IOException {
    Path p = dir.resolve("vol.csv");
    Files.writeString(
        p,
        "1538323200,8,8,1,7\n1538323201,16,0,1,7\n1538323202,100000,8,1,7\n"
            + "1538323203,24,8,0,7\n");
    CliRunner lenient = CliRunner.run("replay", "--disk-size", "1m", p.toString());
    assertEquals(0, lenient.exitCode, lenient.toString());
    assertTrue(lenient.out.contains("\n  zero size       1"), lenient.toString());
    assertTrue(lenient.out.contains("\n  past disk size  1"), lenient.toString());
    assertTrue(
        lenient.out.contains("requests read     4 (reads 1, writes 1, skipped 2)"),
        lenient.toString());
    assertEquals("verified: 1 backups, 0 missed writes", lenient.lastLine());

    CliRunner strict = CliRunner.run("replay", "--strict", p.toString());
    assertEquals(2, strict.exitCode, strict.toString());
    assertTrue(strict.err.contains("vol.csv, line 2: zero size"), strict.toString());

    CliRunner strictSize =
        CliRunner.run(
            "replay",
            "--strict",
            "--format",
            "tencent",
            "--disk-size",
            "1m",
            dir.resolve("vol.csv").toString());
    assertEquals(2, strictSize.exitCode, strictSize.toString());
  }

  /**
   * A disk size smaller than every write skips the whole trace: nothing was verified, which must
   * not end like a verified run (exit 0, "verified: 0 backups"); the skip counts say why.
   */
  @Test
  void replay_everyWriteSkipped_exitTwoNothingVerified() throws IOException {
    Path p = dir.resolve("far.csv");
    Files.writeString(p, "1538323200,100000,8,1,7\n1538323201,200000,8,1,7\n");
    Path json = dir.resolve("far.json");
    CliRunner r =
        CliRunner.run(
            "replay", "--disk-size", "1m", "--report-json", json.toString(), p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.out.contains("\n  past disk size  2"), r.toString());
    assertEquals(
        "nothing verified: no write was replayed (2 records skipped, counted by reason above)",
        r.lastLine());
    // A script reading the report must not count this run as a pass either.
    String report = Files.readString(json);
    assertTrue(report.contains("\"verified\": false"), report);

    // Counts are grouped as everywhere else in the report.
    Path many = dir.resolve("many-far.csv");
    Files.writeString(many, "1538323200,100000,8,1,7\n".repeat(1500));
    CliRunner thousands = CliRunner.run("replay", "--disk-size", "1m", many.toString());
    assertEquals(
        "nothing verified: no write was replayed (1,500 records skipped, counted by reason above)",
        thousands.lastLine());

    // Reads only: nothing skipped, and nothing to verify.
    Path reads = dir.resolve("reads.csv");
    Files.writeString(reads, "1538323200,8,8,0,7\n1538323201,16,8,0,7\n");
    CliRunner onlyReads = CliRunner.run("replay", "--format", "tencent", reads.toString());
    assertEquals(2, onlyReads.exitCode, onlyReads.toString());
    assertEquals(
        "nothing verified: no write was replayed (the workload has no write)",
        onlyReads.lastLine());
  }

  @Test
  void replay_directoryAsTrace_saysNotARegularFile() {
    CliRunner r = CliRunner.run("replay", dir.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("not a regular file"), r.toString());
    assertTrue(!r.err.contains("permission denied"), r.toString());
  }

  @Test
  void replay_truncatedGzip_exitTwoNamingFile() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      for (int i = 0; i < 5000; i++) {
        gz.write(("1538323200," + (i * 8) + ",8,1,7\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
    byte[] all = bytes.toByteArray();
    Path p = dir.resolve("cut.csv.gz");
    Files.write(p, java.util.Arrays.copyOf(all, all.length / 2));
    CliRunner r = CliRunner.run("replay", "--format", "tencent", p.toString());
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.err.contains("cannot read ") && r.err.contains("cut.csv.gz"), r.toString());
  }
}
