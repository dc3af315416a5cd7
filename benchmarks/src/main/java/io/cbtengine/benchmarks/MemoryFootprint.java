package io.cbtengine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.roaringbitmap.RoaringBitmap;

/**
 * Memory of a frozen epoch, in bits per dirty block and against a dense bitmap of one bit per block
 * of the disk (QEMU's dirty-bitmap layout), on the sample traces and on synthetic dirt.
 *
 * <p>The engine freezes an epoch into a run-optimized {@link RoaringBitmap} of block numbers, so
 * the figure measured here is the serialized size of exactly that bitmap built from the same block
 * set; it leaves out the JVM object headers of the in-heap form (tens of bytes per 65,536-block
 * container). A trace with several volumes counts each volume as its own disk and sums. A trace
 * does not say how large its disks are: each volume's capacity is taken as its highest written byte
 * rounded up to a whole GiB, which makes the dense bitmap as small as it could be.
 */
public final class MemoryFootprint {
  private static final long GIB = 1L << 30;

  /** Synthetic clustered dirt is made of runs of this many blocks (1 MiB at 64 KiB blocks). */
  public static final int CLUSTER_BLOCKS = 16;

  private MemoryFootprint() {}

  /**
   * One measured block set. {@code frozenBytes} is the run-optimized Roaring serialized size;
   * {@code engineBytes} the engine's own heap figure for the frozen epoch, -1 if not measured.
   */
  public record Row(
      String dirt,
      long capacityBytes,
      int blockSize,
      long dirtyBlocks,
      long frozenBytes,
      long denseBytes,
      long engineBytes,
      String note) {
    public double bitsPerDirtyBlock() {
      return dirtyBlocks == 0 ? 0 : 8.0 * frozenBytes / dirtyBlocks;
    }

    /** Frozen size over dense size: below 1 is smaller than dense. */
    public double vsDense() {
      return (double) frozenBytes / denseBytes;
    }

    /** The engine's heap figure over dense size; NaN if not measured. */
    public double engineVsDense() {
      return engineBytes < 0 ? Double.NaN : (double) engineBytes / denseBytes;
    }

    public double engineBitsPerDirtyBlock() {
      return engineBytes < 0 || dirtyBlocks == 0 ? Double.NaN : 8.0 * engineBytes / dirtyBlocks;
    }
  }

  /** The serialized size of a run-optimized copy of {@code blocks}. */
  static long frozenBytes(RoaringBitmap blocks) {
    RoaringBitmap copy = blocks.clone();
    copy.runOptimize();
    return copy.serializedSizeInBytes();
  }

  static long denseBytes(long capacityBytes, int blockSize) {
    long blocks = (capacityBytes + blockSize - 1) / blockSize;
    return (blocks + 7) / 8;
  }

  /**
   * 0.1 %, 1 % and 10 % of the disk's blocks, random and clustered; engine figures if given one.
   */
  public static List<Row> synthetic(long capacityBytes, int blockSize, EngineFootprint engine) {
    int blocks = (int) (capacityBytes / blockSize);
    List<Row> rows = new ArrayList<>();
    for (double fraction : new double[] {0.001, 0.01, 0.1}) {
      int count = (int) Math.round(blocks * fraction);
      String pct = (fraction * 100) + " %";

      RoaringBitmap random = RoaringBitmap.bitmapOf(DirtySets.randomBlocks(count, blocks, 17));
      rows.add(
          row("random " + pct, capacityBytes, blockSize, random, engine, "uniform random blocks"));

      RoaringBitmap clustered = new RoaringBitmap();
      for (int start : DirtySets.clusteredRunStarts(count, blocks, CLUSTER_BLOCKS, 19)) {
        clustered.add((long) start, (long) start + CLUSTER_BLOCKS);
      }
      rows.add(
          row(
              "clustered " + pct,
              capacityBytes,
              blockSize,
              clustered,
              engine,
              "runs of " + CLUSTER_BLOCKS + " blocks"));
    }
    return rows;
  }

  private static Row row(
      String dirt,
      long capacityBytes,
      int blockSize,
      RoaringBitmap blocks,
      EngineFootprint engine,
      String note) {
    return new Row(
        dirt,
        capacityBytes,
        blockSize,
        blocks.getLongCardinality(),
        frozenBytes(blocks),
        denseBytes(capacityBytes, blockSize),
        engineBytes(engine, capacityBytes, blockSize, blocks),
        note);
  }

  /** The engine's figure for an epoch in which every run of {@code blocks} was written once. */
  private static long engineBytes(
      EngineFootprint engine, long capacityBytes, int blockSize, RoaringBitmap blocks) {
    if (engine == null) {
      return -1;
    }
    return engine.frozenEpochBytes(
        capacityBytes,
        blockSize,
        disk -> {
          long next = blocks.nextValue(0);
          while (next >= 0) {
            long end = blocks.nextAbsentValue((int) next);
            disk.recordWrite(next * blockSize, (end - next) * blockSize);
            next = blocks.nextValue((int) end);
          }
        });
  }

  /** One row per known trace in {@code directory}; empty if the directory is absent. */
  public static List<Row> traces(Path directory, int blockSize, EngineFootprint engine)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return rows;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.filter(TraceWrites::isKnown).sorted().toList();
    }
    for (Path file : files) {
      rows.add(trace(file, blockSize, engine));
    }
    return rows;
  }

  /** The footprint of all the writes of one trace, as one epoch per volume. */
  public static Row trace(Path file, int blockSize, EngineFootprint engine) throws IOException {
    Map<String, RoaringBitmap> blocks = new HashMap<>();
    Map<String, Long> highest = new HashMap<>();
    TraceWrites.Counts counts =
        TraceWrites.read(
            file,
            (volume, offset, length) -> {
              blocks
                  .computeIfAbsent(volume, v -> new RoaringBitmap())
                  .add(offset / blockSize, (offset + length - 1) / blockSize + 1);
              highest.merge(volume, offset + length, Math::max);
            });

    long capacity = 0;
    long dirty = 0;
    long frozen = 0;
    long dense = 0;
    long engineTotal = engine == null ? -1 : 0;
    for (Map.Entry<String, RoaringBitmap> e : blocks.entrySet()) {
      long volumeCapacity = Math.max(GIB, (highest.get(e.getKey()) + GIB - 1) / GIB * GIB);
      capacity += volumeCapacity;
      dirty += e.getValue().getLongCardinality();
      frozen += frozenBytes(e.getValue());
      dense += denseBytes(volumeCapacity, blockSize);
      if (engine != null) {
        engineTotal += engineBytes(engine, volumeCapacity, blockSize, e.getValue());
      }
    }
    String note =
        blocks.size()
            + " volume(s), "
            + counts.writes()
            + " writes, "
            + counts.skipped()
            + " skipped";
    return new Row(
        file.getFileName().toString(),
        capacity,
        blockSize,
        dirty,
        frozen,
        dense,
        engineTotal,
        note);
  }

  public static void main(String[] args) throws IOException {
    Path traces = Path.of(args.length > 0 ? args[0] : "../shared/traces");
    List<Row> rows = new ArrayList<>();
    try (EngineFootprint engine = new EngineFootprint()) {
      rows.addAll(traces(traces, 65536, engine));
      rows.addAll(synthetic(RecordWriteBenchmark.CAPACITY, 65536, engine));
    }
    for (Row r : rows) {
      System.out.printf(
          "%-28s dirty=%,d roaring=%,d B engine=%,d B dense=%,d B bits/dirty=%.2f/%.2f"
              + " vsDense=%.4f/%.4f (%s)%n",
          r.dirt(),
          r.dirtyBlocks(),
          r.frozenBytes(),
          r.engineBytes(),
          r.denseBytes(),
          r.bitsPerDirtyBlock(),
          r.engineBitsPerDirtyBlock(),
          r.vsDense(),
          r.engineVsDense(),
          r.note());
    }
  }
}
