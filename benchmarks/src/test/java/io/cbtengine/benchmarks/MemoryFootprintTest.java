package io.cbtengine.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** The footprint counts the right blocks, and the trace reader keeps exactly the writes. */
class MemoryFootprintTest {
  private static final int BLOCK = 65536;

  @Test
  void synthetic_smallDisk_countsTheRequestedDirt() {
    long capacity = 1L << 36; // 2^20 blocks
    List<MemoryFootprint.Row> rows;
    try (EngineFootprint engine = new EngineFootprint()) {
      rows = MemoryFootprint.synthetic(capacity, BLOCK, engine);
    }
    assertEquals(6, rows.size());
    for (MemoryFootprint.Row r : rows) {
      double fraction = r.dirt().contains("0.1 %") ? 0.001 : r.dirt().contains("10.0") ? 0.1 : 0.01;
      assertEquals(fraction * (1 << 20), r.dirtyBlocks(), MemoryFootprint.CLUSTER_BLOCKS, r.dirt());
      assertEquals((1 << 20) / 8, r.denseBytes());
      assertTrue(r.frozenBytes() > 0 && r.frozenBytes() < r.denseBytes() * 1.1, r.toString());
      // The engine freezes into the same kind of bitmap: its heap figure is of the same order.
      assertTrue(
          r.engineBytes() >= r.frozenBytes() / 2 && r.engineBytes() <= r.frozenBytes() * 2 + 4096,
          r.toString());
    }
  }

  @Test
  void frozenBytes_runOfBlocks_isTheRunOptimizedSize() {
    RoaringBitmap blocks = RoaringBitmap.bitmapOfRange(1000, 200_000);
    RoaringBitmap optimized = blocks.clone();
    optimized.runOptimize();
    assertEquals(optimized.serializedSizeInBytes(), MemoryFootprint.frozenBytes(blocks));
  }

  @Test
  void traces_oneTinyFilePerFormat_keepOnlyWrites(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("msr-tiny.csv"),
        "1,hm,0,Write,65536,4096,1\n2,hm,0,Read,0,4096,1\n3,hm,0,Write,131072,0,1\n");
    Files.writeString(dir.resolve("tiny.disksim"), "0 0 128 8 0\n1 0 0 8 1\n");
    try (OutputStream out =
        new GZIPOutputStream(Files.newOutputStream(dir.resolve("systor-tiny.csv.gz")))) {
      out.write(
          "Timestamp,Response,IOType,LUN,Offset,Size\n1.0,0.1,W,0,65536,131072\n1.0,0.1,R,0,0,512\n"
              .getBytes(StandardCharsets.US_ASCII));
    }
    try (OutputStream out =
        new BZip2CompressorOutputStream(
            Files.newOutputStream(dir.resolve("tencent-tiny.csv.bz2")))) {
      out.write("1,128,8,1,7\n1,0,8,0,7\n1,256,8,1,8\n".getBytes(StandardCharsets.US_ASCII));
    }
    ByteBuffer vscsi = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    vscsi
        .putInt(0, 1)
        .putInt(4, 4096)
        .putInt(8, 1)
        .putShort(12, (short) 0x2a)
        .putShort(14, (short) 1);
    vscsi.putLong(16, 128).putLong(24, 0);
    vscsi.putInt(32, 2).putInt(36, 4096).putInt(40, 1).putShort(44, (short) 0x28);
    vscsi.putLong(48, 0).putLong(56, 0);
    Files.write(dir.resolve("tiny.vscsi"), vscsi.array());
    Files.writeString(dir.resolve("unknown.txt"), "ignored\n");

    List<MemoryFootprint.Row> rows = MemoryFootprint.traces(dir, BLOCK, null);

    assertEquals(5, rows.size());
    for (MemoryFootprint.Row r : rows) {
      long expectedBlocks = r.dirt().startsWith("systor") || r.dirt().startsWith("tencent") ? 2 : 1;
      assertEquals(expectedBlocks, r.dirtyBlocks(), r.toString());
      assertTrue(
          r.note().contains(r.dirt().startsWith("msr") ? "1 skipped" : "0 skipped"), r.note());
    }
  }
}
