package io.cbtengine.simulator.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Decompression by magic bytes, and format detection from the first records. */
class TraceInputAndDetectionTest {
  private static final String TENCENT = "1538323200,4247200,128,1,1058\n1538323199,100,8,0,1063\n";

  @TempDir Path dir;

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private Path write(String name, byte[] data, Compressor c) throws IOException {
    Path p = dir.resolve(name);
    try (OutputStream out = c.wrap(Files.newOutputStream(p))) {
      out.write(data);
    }
    return p;
  }

  private static String readAll(Path p) throws IOException {
    try (InputStream in = TraceInput.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void open_gzipBzip2XzAndPlain_sameBytesWhateverTheName() throws IOException {
    byte[] data = TENCENT.getBytes(StandardCharsets.ISO_8859_1);
    // Names that lie about the content: the magic bytes decide.
    assertEquals(TENCENT, readAll(write("a.csv", data, GzipCompressorOutputStream::new)));
    assertEquals(TENCENT, readAll(write("b.gz", data, BZip2CompressorOutputStream::new)));
    assertEquals(
        TENCENT, readAll(write("c.bz2", data, o -> new XZOutputStream(o, new LZMA2Options()))));
    assertEquals(TENCENT, readAll(write("d.xz", data, o -> o)));
  }

  @Test
  void detect_compressedTencent_tencent() throws IOException {
    Path p =
        write(
            "t.bin",
            TENCENT.getBytes(StandardCharsets.ISO_8859_1),
            BZip2CompressorOutputStream::new);
    assertEquals(TraceFormat.TENCENT, TraceFormat.detect(p));
  }

  @Test
  void detect_eachFormatSample_recognised() throws IOException {
    assertDetected(TraceFormat.MSR, "128166385295514663,hm,0,Write,9056014336,2048,2833\n");
    assertDetected(
        TraceFormat.SYSTOR,
        "Timestamp,Response,IOType,LUN,Offset,Size\n1456095145.1,0.0008,R,0,8192,131072\n");
    assertDetected(TraceFormat.TENCENT, TENCENT);
    assertDetected(TraceFormat.ALIBABA, "0,R,126703644672,4096,1577808000000047\n");
    assertDetected(TraceFormat.SPC, "0,303567,3584,w,0.000000\n1,55590,3072,r,0.0\n");
    assertDetected(TraceFormat.DISKSIM, "0 0 303567 7 0\n0 1 55590 6 1\n");
    assertDetected(
        TraceFormat.BLKPARSE,
        "  8,0    3        1     0.000000000  4162  Q  WS 3417048 + 8 [jbd2/sda3-8]\n");
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 2; i++) {
      b.putInt(i).putInt(4096).putInt(1).putShort((short) 0x2a).putShort((short) 256);
      b.putLong(7 + 8L * i).putLong(1000 + i);
    }
    Path p = write("x.vscsi", b.array(), o -> o);
    assertEquals(TraceFormat.VSCSI, TraceFormat.detect(p));
  }

  @Test
  void detect_emptyOrBlankLines_saysNoRecords() throws IOException {
    // Blank lines are no record to a text reader, and a torn binary record to VSCSI.
    for (String content : new String[] {"", "\n\n\n\n", "   \n\t\n"}) {
      Path p = write("few.bin", content.getBytes(StandardCharsets.ISO_8859_1), o -> o);
      TraceFormatException e =
          assertThrows(TraceFormatException.class, () -> TraceFormat.detect(p), content);
      assertTrue(e.getMessage().contains("holds no records"), e.getMessage());
    }
  }

  @Test
  void detect_tinyBinaryTraceWithTornTail_recognised() throws IOException {
    // Three whole VSCSI records and four bytes of a fourth: 3 of 4 used to fail the 80 % rule.
    ByteBuffer b = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 3; i++) {
      b.putInt(i).putInt(4096).putInt(1).putShort((short) 0x2a).putShort((short) 256);
      b.putLong(7 + 8L * i).putLong(1000 + i);
    }
    b.putInt(3);
    Path p = write("tiny.vscsi", b.array(), o -> o);
    assertEquals(TraceFormat.VSCSI, TraceFormat.detect(p));
  }

  @Test
  void detect_judgesTheFirst64RecordsOnly() throws IOException {
    // 63 good MSR records, then a long run of junk: the reader reads through the junk in one call
    // looking for a write, which used to carry the sample far past its 64 records.
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < 63; i++) {
      content.append(128166372003061629L + i).append(",hm,0,Write,").append(4096L * i);
      content.append(",4096,100\n");
    }
    content.append("garbage line\n".repeat(300));
    content.append("128166372003061700,hm,0,Write,0,4096,100\n");
    Path p = write("mixed.csv", content.toString().getBytes(StandardCharsets.ISO_8859_1), o -> o);
    assertEquals(TraceFormat.MSR, TraceFormat.detect(p));
    // A file of junk after its good records is still judged on as many records as it has, and
    // the message counts at most the sample.
    Path junk =
        write(
            "junk.csv", "garbage line\n".repeat(500).getBytes(StandardCharsets.ISO_8859_1), o -> o);
    TraceFormatException e =
        assertThrows(TraceFormatException.class, () -> TraceFormat.detect(junk));
    assertTrue(e.getMessage().contains("msr (0 of 64 records parsed)"), e.getMessage());
  }

  private void assertDetected(TraceFormat expected, String content) throws IOException {
    Path p =
        write(
            expected.id() + ".trace",
            content.getBytes(StandardCharsets.ISO_8859_1),
            GzipCompressorOutputStream::new);
    assertEquals(expected, TraceFormat.detect(p), content);
  }

  @Test
  void detect_unknownContent_errorListsFormatsTried() throws IOException {
    Path p =
        write(
            "notes.txt",
            "hello world\nthis is not a trace\n".getBytes(StandardCharsets.ISO_8859_1),
            o -> o);
    TraceFormatException e = assertThrows(TraceFormatException.class, () -> TraceFormat.detect(p));
    for (TraceFormat f : TraceFormat.values()) {
      assertTrue(e.getMessage().contains(f.id() + " ("), e.getMessage());
    }
    assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
  }

  @Test
  void byId_unknownName_listsKnownFormats() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TraceFormat.byId("nope"));
    assertTrue(e.getMessage().contains("msr, systor"), e.getMessage());
  }
}
