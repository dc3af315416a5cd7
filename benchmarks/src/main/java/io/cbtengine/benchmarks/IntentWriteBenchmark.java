package io.cbtengine.benchmarks;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.engine.Durability;
import io.cbtengine.engine.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code recordWrite} of a persistent engine in durability mode {@code INTENT} against the
 * in-memory engine, replaying the writes of a real trace (issue 5: at most 1.5x the memory mode's
 * time per write once the working set's regions are marked).
 *
 * <p>Implementation notes. Each iteration is one replay of the trace's writes (single shot) into a
 * fresh epoch: before it, a snapshot opens a new epoch and one write to the first block of each 64
 * MiB region the trace touches logs that region (forced, outside the measurement). So the measured
 * writes are first touches of their blocks in regions already logged: they take the engine's slow
 * path (check, atomic OR) plus, in {@code intent} mode, the region check. Both modes do exactly the
 * same preparation. Traces are read from {@code -Dcbt.traces.dir} (default {@code
 * ../shared/traces}); writes of every volume land on one disk.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class IntentWriteBenchmark {
  static final long REGION = EngineOptions.DEFAULT_INTENT_REGION_BYTES;

  @Param({"cloudphysics.vscsi", "financial1-10k.disksim", "msr-cambridge-hm0-1k.csv"})
  public String trace;

  @Param({"memory", "intent"})
  public String mode;

  long[] offsets;
  long[] lengths;
  long[] regionStarts;
  long capacity;
  Path directory;
  ChangeTracker engine;
  TrackedDisk disk;

  /** The writes of {@code file}: parallel offset and length arrays. */
  static long[][] load(Path file) throws IOException {
    long[] off = new long[1 << 16];
    long[] len = new long[1 << 16];
    int[] n = {0};
    long[][] box = {off, len};
    TraceWrites.read(
        file,
        (volume, offset, length) -> {
          if (n[0] == box[0].length) {
            box[0] = Arrays.copyOf(box[0], n[0] * 2);
            box[1] = Arrays.copyOf(box[1], n[0] * 2);
          }
          box[0][n[0]] = offset;
          box[1][n[0]] = length;
          n[0]++;
        });
    return new long[][] {Arrays.copyOf(box[0], n[0]), Arrays.copyOf(box[1], n[0])};
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    Path file = Path.of(System.getProperty("cbt.traces.dir", "../shared/traces")).resolve(trace);
    long[][] w = load(file);
    offsets = w[0];
    lengths = w[1];
    long end = 0;
    for (int i = 0; i < offsets.length; i++) {
      end = Math.max(end, offsets[i] + lengths[i]);
    }
    capacity = (end + REGION) / REGION * REGION;
    regionStarts =
        Arrays.stream(offsets).map(o -> o / REGION * REGION).distinct().sorted().toArray();

    if (mode.equals("intent")) {
      directory = Files.createTempDirectory("cbt-intent-bench");
      engine =
          CbtEngine.open(directory, EngineOptions.defaults().withDurability(Durability.INTENT));
    } else {
      engine = CbtEngine.inMemory();
    }
    disk =
        engine.createDisk(
            new DiskId("trace"),
            capacity,
            DiskOptions.builder().blockSize(4096).initiallyEmpty(true).build());
  }

  /** A new epoch whose regions are already logged: the state the target speaks of. */
  @Setup(Level.Iteration)
  public void freshEpochWithRegionsLogged() {
    disk.createSnapshot();
    for (long r : regionStarts) {
      disk.recordWrite(r, 1);
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    engine.close();
    if (directory != null) {
      try (Stream<Path> s = Files.walk(directory)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One replay of every write of the trace; the score divided by the write count is ns/write. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 5)
  @Measurement(iterations = 10)
  public void replayTrace() {
    long[] off = offsets;
    long[] len = lengths;
    TrackedDisk d = disk;
    for (int i = 0; i < off.length; i++) {
      d.recordWrite(off[i], len[i]);
    }
  }
}
