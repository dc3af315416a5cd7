package io.cbtengine.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reader against a few hand-written records, good and bad, in a temp dir. */
class TraceReadersTest {
  @TempDir Path dir;

  private Path text(String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
    return p;
  }

  private static List<TraceWrite> readAll(TraceReader r) throws IOException {
    List<TraceWrite> out = new ArrayList<>();
    TraceWrite w;
    while ((w = r.next()) != null) {
      out.add(w);
    }
    return out;
  }

  private static List<TraceWrite> readAll(TraceFormat f, Path p) throws IOException {
    try (TraceReader r = f.open(p, false)) {
      return readAll(r);
    }
  }

  private static TraceCounters count(TraceFormat f, Path p) throws IOException {
    try (TraceReader r = f.open(p, false)) {
      readAll(r);
      return r.counters();
    }
  }

  @Test
  void msr_goodAndBadRecords_writesReturnedAndSkipsCounted() throws IOException {
    Path p =
        text(
            "msr.csv",
            "128166385295514663,hm,0,Write,9056014336,2048,2833",
            "128166385295514878,hm,0,Read,11855351808,512,2617",
            "128166385295515175,hm,1,Write,4096,4096,2320",
            "128166385295515175,hm,0,Write,4096,0,2320",
            "128166385295515175,hm,0,Flush,4096,512,2320",
            "128166385295515175,hm,0,Write,-4096,512,2320",
            "garbage",
            "128166385295515175,hm,0,Write,4096");
    List<TraceWrite> writes = readAll(TraceFormat.MSR, p);
    assertEquals(2, writes.size());
    assertEquals(new TraceWrite("hm_0", 9056014336L, 2048, 0, 1), writes.get(0));
    assertEquals("hm_1", writes.get(1).device());
    assertEquals((128166385295515175L - 128166385295514663L) * 100, writes.get(1).timeNanos());
    TraceCounters c = count(TraceFormat.MSR, p);
    assertCounts(
        c,
        1,
        SkipReason.ZERO_SIZE,
        SkipReason.UNKNOWN_OPCODE,
        SkipReason.NEGATIVE,
        SkipReason.MALFORMED,
        SkipReason.MALFORMED);
    assertEquals(8, c.requests());
  }

  /**
   * Host names may hold '_', which also joins host and disk into the device name: disk "y_1" of
   * host "x" would have become disk 1 of host "x_y". A disk number must be digits.
   */
  @Test
  void msr_diskNumberNotDigits_malformedSoDevicesCannotMerge() throws IOException {
    Path p =
        text(
            "merge.csv",
            "128166385295514663,x_y,1,Write,4096,4096,2833",
            "128166385295514663,x,y_1,Write,8192,4096,2833",
            "128166385295514663,x,-1,Write,8192,4096,2833",
            // Both a bad disk number and an unknown type: the line's shape is wrong first.
            "128166385295514663,x,y_2,Flush,8192,4096,2833");
    assertEquals(List.of(new TraceWrite("x_y_1", 4096, 4096, 0, 1)), readAll(TraceFormat.MSR, p));
    assertEquals(3, count(TraceFormat.MSR, p).skipped(SkipReason.MALFORMED));
    assertEquals(0, count(TraceFormat.MSR, p).skipped(SkipReason.UNKNOWN_OPCODE));
  }

  /**
   * MSR times are 100 ns ticks after the first record: 2^62 ticks is past the end of the clock in
   * nanoseconds and is capped there (it wrapped to 0, so a time schedule saw no time pass), as is a
   * difference that overflows the subtraction itself.
   */
  @Test
  void msr_ticksPastTheClock_cappedNotWrapped() throws IOException {
    Path p =
        text(
            "late.csv",
            "0,hm,0,Write,0,4096,1",
            "4611686018427387904,hm,0,Write,4096,4096,1",
            "92233720368547758,hm,0,Write,8192,4096,1");
    List<TraceWrite> writes = readAll(TraceFormat.MSR, p);
    assertEquals(
        List.of(0L, Long.MAX_VALUE, 9223372036854775800L),
        writes.stream().map(TraceWrite::timeNanos).toList());

    Path q =
        text(
            "wide.csv",
            "-9223372036854775808,hm,0,Write,0,4096,1",
            "9223372036854775807,hm,0,Write,4096,4096,1");
    assertEquals(Long.MAX_VALUE, readAll(TraceFormat.MSR, q).get(1).timeNanos());
  }

  @Test
  void lines_overlongOrWithAnyLineBreak_overlongSkippedOthersRead() throws IOException {
    // A line far past the limit is skipped as malformed, not held whole; \r\n, \r and \n all end
    // lines, and a last line without a break is read.
    String good = "128166385295514663,hm,0,Write,4096,4096,2833";
    String huge = "1".repeat(LineTraceReader.MAX_LINE * 3 + 7);
    Path p = dir.resolve("lines.csv");
    Files.writeString(
        p, good + "\r\n" + huge + "\n\r\n" + good + "\r" + good, StandardCharsets.ISO_8859_1);
    List<TraceWrite> writes = readAll(TraceFormat.MSR, p);
    assertEquals(3, writes.size());
    TraceCounters c = count(TraceFormat.MSR, p);
    assertEquals(1, c.skipped(SkipReason.MALFORMED));
    assertEquals(4, c.requests());
    try (TraceReader strict = TraceFormat.MSR.open(p, true)) {
      strict.next();
      TraceFormatException e = assertThrows(TraceFormatException.class, strict::next);
      assertTrue(e.getMessage().contains("line 2"), e.getMessage());
      assertTrue(e.getMessage().contains("longer than 65536 characters"), e.getMessage());
      assertTrue(e.getMessage().length() < 600, "message clipped: " + e.getMessage().length());
    }
  }

  @Test
  void systor_headerAndRecords_headerIgnoredTimesInNanos() throws IOException {
    Path p =
        text(
            "systor.csv",
            "Timestamp,Response,IOType,LUN,Offset,Size",
            "1456095145.133076000,0.000806000,R,0,899056122368,131072",
            "1456095145.5,0.000806000,W,3,8192,4096",
            "1456095145.5,0.000806000,X,3,8192,4096",
            "1456095145.5,0.000806000,W,3,8192,zero");
    List<TraceWrite> writes = readAll(TraceFormat.SYSTOR, p);
    assertEquals(List.of(new TraceWrite("3", 8192, 4096, 1456095145_500_000_000L, 3)), writes);
    TraceCounters c = count(TraceFormat.SYSTOR, p);
    assertEquals(1, c.ignored());
    assertCounts(c, 1, SkipReason.UNKNOWN_OPCODE, SkipReason.MALFORMED);
  }

  @Test
  void tencent_sectorsAndVolumes_convertedToBytes() throws IOException {
    Path p =
        text(
            "tencent.csv",
            "1538323200,4247200,128,1,1058",
            "1538323199,13896880,128,0,1063",
            "1538323199,100,0,1,1063",
            "1538323199,100,8,2,1063",
            "1538323199,100,8,1");
    List<TraceWrite> writes = readAll(TraceFormat.TENCENT, p);
    assertEquals(
        List.of(new TraceWrite("1058", 4247200L * 512, 128 * 512, 1538323200_000_000_000L, 1)),
        writes);
    TraceCounters c = count(TraceFormat.TENCENT, p);
    assertCounts(c, 1, SkipReason.ZERO_SIZE, SkipReason.UNKNOWN_OPCODE, SkipReason.MALFORMED);
  }

  /** A number with a leading '+' (Long.parseLong takes it) is damage in every line format. */
  @Test
  void plusSignedNumber_isMalformed() throws IOException {
    Path p = text("plus.csv", "007,+5,8,1,7", "007,5,+8,1,7", "007,5,8,1,7");
    assertEquals(
        List.of(new TraceWrite("7", 5L * 512, 8 * 512, 7_000_000_000L, 3)),
        readAll(TraceFormat.TENCENT, p));
    assertEquals(2, count(TraceFormat.TENCENT, p).skipped(SkipReason.MALFORMED));
  }

  @Test
  void alibaba_opcodesAndMicroseconds_parsed() throws IOException {
    Path p =
        text(
            "alibaba.csv",
            "0,R,126703644672,4096,1577808000000047",
            "7,W,4096,8192,1577808000000100",
            "7,T,4096,8192,1577808000000100",
            "7,W,4096,-1,1577808000000100");
    assertEquals(
        List.of(new TraceWrite("7", 4096, 8192, 1577808000000100L * 1000, 2)),
        readAll(TraceFormat.ALIBABA, p));
    TraceCounters c = count(TraceFormat.ALIBABA, p);
    assertCounts(c, 1, SkipReason.UNKNOWN_OPCODE, SkipReason.NEGATIVE);
  }

  @Test
  void spc_lbaSectorsSizeBytes_parsedWithExtraFields() throws IOException {
    Path p =
        text(
            "fin.spc",
            "0,303567,3584,w,0.000000",
            "1,55590,3072,R,0.000000",
            "2,10,1024,W,1.25,extra",
            "2,10,1024,q,1.25",
            "2,10,1024");
    assertEquals(
        List.of(
            new TraceWrite("0", 303567L * 512, 3584, 0, 1),
            new TraceWrite("2", 5120, 1024, 1_250_000_000L, 3)),
        readAll(TraceFormat.SPC, p));
    TraceCounters c = count(TraceFormat.SPC, p);
    assertCounts(c, 1, SkipReason.UNKNOWN_OPCODE, SkipReason.MALFORMED);
  }

  @Test
  void disksim_whitespaceRecords_flagsZeroIsWrite() throws IOException {
    Path p =
        text(
            "fin.disksim",
            "0 0 303567 7 0",
            "0\t1  55590 6 1",
            "   26214000 0 303574 7 0  ",
            "26214000 0 303574 7 4",
            "26214000 0 303574 0 0",
            "26214000 0 303574");
    assertEquals(
        List.of(
            new TraceWrite("0", 303567L * 512, 7 * 512, 0, 1),
            new TraceWrite("0", 303574L * 512, 7 * 512, 26214000, 3)),
        readAll(TraceFormat.DISKSIM, p));
    TraceCounters c = count(TraceFormat.DISKSIM, p);
    assertCounts(c, 1, SkipReason.UNKNOWN_OPCODE, SkipReason.ZERO_SIZE, SkipReason.MALFORMED);
  }

  @Test
  void blkparse_queueEventsOnly_otherActionsAndSummaryIgnored() throws IOException {
    Path p =
        text(
            "sda.blkparse",
            "  8,0    3        1     0.000000000  4162  Q  WS 3417048 + 8 [jbd2/sda3-8]",
            "  8,0    3        2     0.000001000  4162  G  WS 3417048 + 8 [jbd2/sda3-8]",
            "  8,0    3        3     0.000002000  4162  D  WS 3417048 + 8 [jbd2/sda3-8]",
            "  8,0    3        4     0.000100000     0  C  WS 3417048 + 8 [0]",
            "  8,16   0        5     0.500000000  4162  Q   R 100 + 16 [cat]",
            "  8,0    3        6     0.600000000  4162  Q FWS 0 + 0 [sync]",
            "  8,0    3        7     0.700000000  4162  Q  DS 800 + 8 [fstrim]",
            "  8,0    3        8     0.800000000  4162  Q  W 800 [broken]",
            "CPU3 (sda):",
            " Reads Queued:           1,        8KiB\t Writes Queued:           3,       12KiB");
    assertEquals(
        List.of(new TraceWrite("8,0", 3417048L * 512, 4096, 0, 1)),
        readAll(TraceFormat.BLKPARSE, p));
    TraceCounters c = count(TraceFormat.BLKPARSE, p);
    assertCounts(c, 1, SkipReason.ZERO_SIZE, SkipReason.UNKNOWN_OPCODE, SkipReason.MALFORMED);
    assertEquals(5, c.ignored());
  }

  private static byte[] vscsiRecord(int cmd, long lengthBytes, long lba, long micros) {
    ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(1).putInt((int) lengthBytes).putInt(1).putShort((short) cmd).putShort((short) 256);
    b.putLong(lba).putLong(micros);
    return b.array();
  }

  @Test
  void vscsi_binaryRecords_writesReadsAndTruncatedTail() throws IOException {
    Path p = dir.resolve("vm1.vscsi");
    ByteBuffer all = ByteBuffer.allocate(32 * 5 + 10);
    all.put(vscsiRecord(0x2a, 4096, 7, 1000));
    all.put(vscsiRecord(0x28, 512, 100, 1001));
    all.put(vscsiRecord(0x35, 0, 0, 1002));
    all.put(vscsiRecord(0x8a, 0, 8, 1003));
    all.put(vscsiRecord(0xaa, 8192, 16, 1004));
    all.put(new byte[10]);
    Files.write(p, all.array());
    assertEquals(
        List.of(
            new TraceWrite("vm1", 7 * 512, 4096, 1_000_000, 1),
            new TraceWrite("vm1", 16 * 512, 8192, 1_004_000, 5)),
        readAll(TraceFormat.VSCSI, p));
    TraceCounters c = count(TraceFormat.VSCSI, p);
    assertCounts(c, 1, SkipReason.UNKNOWN_OPCODE, SkipReason.ZERO_SIZE, SkipReason.TRUNCATED);
  }

  /**
   * VSCSI's lba and timestamp are unsigned 64-bit fields: a timestamp of 2^63 µs or more is a late
   * write, capped at the end of the clock, not a "negative offset or size"; an lba whose offset
   * passes 2^63 bytes is malformed.
   */
  @Test
  void vscsi_unsignedFieldsBeyondSignedRange_lateWriteKeptHugeLbaMalformed() throws IOException {
    Path p = dir.resolve("vm2.vscsi");
    ByteBuffer all = ByteBuffer.allocate(32 * 3);
    all.put(vscsiRecord(0x2a, 4096, 7, -1L));
    all.put(vscsiRecord(0x2a, 4096, -8L, 5));
    all.put(vscsiRecord(0x2a, 4096, Long.MAX_VALUE / 512 + 1, 6));
    Files.write(p, all.array());
    assertEquals(
        List.of(new TraceWrite("vm2", 7 * 512, 4096, Long.MAX_VALUE, 1)),
        readAll(TraceFormat.VSCSI, p));
    TraceCounters c = count(TraceFormat.VSCSI, p);
    assertEquals(2, c.skipped(SkipReason.MALFORMED), "both huge lbas are malformed");
    assertEquals(0, c.skipped(SkipReason.NEGATIVE));
  }

  @Test
  void strict_badLine_errorNamesFileAndLine() throws IOException {
    Path p = text("strict.csv", "1538323200,4247200,128,1,1058", "1538323200,42,0,1,1058");
    try (TraceReader r = TraceFormat.TENCENT.open(p, true)) {
      r.next();
      TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
      assertTrue(e.getMessage().contains("strict.csv"), e.getMessage());
      assertTrue(e.getMessage().contains("line 2"), e.getMessage());
      assertTrue(e.getMessage().contains("zero size"), e.getMessage());
    }
  }

  @Test
  void strict_lineWithBomOrOtherBytes_shownReadably() throws IOException {
    // Two files concatenated leave a byte-order mark at the start of a later line; it must show
    // as what it is, not as the three characters its bytes are in ISO-8859-1.
    String good = "1538323200,4247200,128,1,1058";
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    assertEquals(
        "line 2: malformed: <U+FEFF>" + good,
        strictError(concat(good + "\n", bom, good + "\n")).replaceAll("^.*(line 2)", "$1"));
    // Valid UTF-8 shows as text; bytes that are not UTF-8 show as \xNN; controls as <U+NNNN>.
    assertTrue(
        strictError(concat(good + "\n", "caf\u00E9\u0001,1".getBytes(StandardCharsets.UTF_8), "\n"))
            .endsWith(": caf\u00E9<U+0001>,1"));
    assertTrue(
        strictError(concat(good + "\n", new byte[] {'x', (byte) 0xE9, 'y'}, "\n"))
            .endsWith(": x\\xE9y"));
  }

  private static byte[] concat(String head, byte[] middle, String tail) {
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] t = tail.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + middle.length + t.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(middle, 0, all, h.length, middle.length);
    System.arraycopy(t, 0, all, h.length + middle.length, t.length);
    return all;
  }

  /** The message of a Tencent trace's strict reading that fails on its second line. */
  private String strictError(byte[] content) throws IOException {
    Path p = dir.resolve("mixed.csv");
    Files.write(p, content);
    try (TraceReader r = TraceFormat.TENCENT.open(p, true)) {
      r.next();
      return assertThrows(TraceFormatException.class, r::next).getMessage();
    }
  }

  @Test
  void strict_truncatedBinaryRecord_errorNamesRecord() throws IOException {
    Path p = dir.resolve("t.vscsi");
    byte[] data = new byte[32 + 5];
    System.arraycopy(vscsiRecord(0x2a, 512, 0, 0), 0, data, 0, 32);
    Files.write(p, data);
    try (TraceReader r = TraceFormat.VSCSI.open(p, true)) {
      r.next();
      TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
      // Records count from 1, as text lines do; the byte offset is that of the record's start.
      assertTrue(e.getMessage().contains("t.vscsi, record 2 (byte offset 32)"), e.getMessage());
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void next_afterEnd_staysNull() throws IOException {
    Path p = text("one.csv", "1538323200,1,1,1,1");
    try (TraceReader r = TraceFormat.TENCENT.open(p, false)) {
      r.next();
      assertNull(r.next());
      assertNull(r.next());
    }
  }

  /**
   * {@code c} counted {@code reads} reads and skipped exactly {@code skipped} (a reason given twice
   * counts two records), and nothing else.
   */
  private static void assertCounts(TraceCounters c, long reads, SkipReason... skipped) {
    assertEquals(reads, c.reads(), "reads");
    for (SkipReason reason : SkipReason.values()) {
      long expected = java.util.Arrays.stream(skipped).filter(r -> r == reason).count();
      assertEquals(expected, c.skipped(reason), "skipped as " + reason);
    }
  }
}
