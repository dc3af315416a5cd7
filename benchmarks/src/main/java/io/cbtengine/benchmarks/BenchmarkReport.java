package io.cbtengine.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Version;

/**
 * Turns one suite run into {@code docs/benchmarks.md}: every benchmark with the engine and the
 * baselines side by side, the ratios the targets of issue 4 are stated in, and the machine. Missing
 * figures (a benchmark left out with {@code --include}) print as "n/a".
 */
final class BenchmarkReport {
  private static final String PKG = "io.cbtengine.benchmarks.";
  private static final List<String> IMPLS =
      List.of("engine", "floor", "syncRoaring", "lockedBitSet", "rangeSet");

  private final Collection<RunResult> jmh;
  private final List<CutPauseProbe.Result> pauses;
  private final List<MemoryFootprint.Row> memory;
  private final boolean quick;
  private final String command;
  private final Instant started;
  private final String loadBefore;
  private final String loadAfter;
  private final List<String> forkArgs;
  private final Path traces;
  private final String revision;
  private final List<String[]> targets = new ArrayList<>();

  BenchmarkReport(
      Collection<RunResult> jmh,
      List<CutPauseProbe.Result> pauses,
      List<MemoryFootprint.Row> memory,
      boolean quick,
      String command,
      Instant started,
      String loadBefore,
      String loadAfter,
      List<String> forkArgs,
      Path traces,
      String revision) {
    this.jmh = jmh;
    this.pauses = pauses;
    this.memory = memory;
    this.quick = quick;
    this.command = command;
    this.started = started;
    this.loadBefore = loadBefore;
    this.loadAfter = loadAfter;
    this.forkArgs = forkArgs;
    this.traces = traces;
    this.revision = revision;
  }

  // ---- lookups -------------------------------------------------------------------------------

  private RunResult find(String benchmark, String impl, String... params) {
    for (RunResult r : jmh) {
      if (!r.getParams().getBenchmark().equals(PKG + benchmark)
          || !impl.equals(r.getParams().getParam("impl"))) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < params.length; i += 2) {
        String v = r.getParams().getParam(params[i]);
        match &= v != null && Double.parseDouble(v) == Double.parseDouble(params[i + 1]);
      }
      if (match) {
        return r;
      }
    }
    return null;
  }

  /** The primary score, NaN if absent. */
  private double score(String benchmark, String impl, String... params) {
    RunResult r = find(benchmark, impl, params);
    return r == null ? Double.NaN : r.getPrimaryResult().getScore();
  }

  /** ns per write of a write benchmark: average time as is, single shot divided by the batch. */
  private double nsPerWrite(String benchmark, String impl) {
    RunResult r = find("RecordWriteBenchmark." + benchmark, impl);
    if (r == null) {
      return Double.NaN;
    }
    double score = r.getPrimaryResult().getScore();
    String unit = r.getPrimaryResult().getScoreUnit();
    double nanos = score * (unit.startsWith("ms") ? 1e6 : unit.startsWith("us") ? 1e3 : 1);
    int batch = Math.max(1, r.getParams().getMeasurement().getBatchSize());
    return r.getParams().getMode().shortLabel().equals("ss") ? nanos / batch : nanos;
  }

  /** Aggregate writes per second of a benchmark: threads / ns per write. */
  private double writesPerSecond(String benchmark, String impl) {
    RunResult r = find("RecordWriteBenchmark." + benchmark, impl);
    return r == null ? Double.NaN : r.getParams().getThreads() * 1e9 / nsPerWrite(benchmark, impl);
  }

  // ---- formatting ----------------------------------------------------------------------------

  private static String f(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    String p =
        a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.2g";
    return String.format(Locale.ROOT, p, v);
  }

  private static String x(double ratio) {
    return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "n/a" : f(ratio) + "x";
  }

  private static void header(StringBuilder md, String first, List<String> columns) {
    md.append("| ").append(first);
    columns.forEach(c -> md.append(" | ").append(c));
    md.append(" |\n|");
    for (int i = 0; i <= columns.size(); i++) {
      md.append(i == 0 ? " --- |" : " ---: |");
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, String first, List<String> cells) {
    md.append("| ").append(first);
    cells.forEach(c -> md.append(" | ").append(c));
    md.append(" |\n");
  }

  private interface ImplFigure {
    double of(String impl);
  }

  private static void implRow(StringBuilder md, String label, ImplFigure figure) {
    row(md, label, IMPLS.stream().map(i -> f(figure.of(i))).toList());
  }

  private void target(String what, String measured, double value, double limit, boolean atMost) {
    String verdict =
        Double.isNaN(value)
            ? "not measured"
            : (atMost ? value <= limit : value >= limit) ? "met" : "**missed**";
    targets.add(new String[] {what, measured, verdict});
  }

  // ---- the document --------------------------------------------------------------------------

  String markdown() {
    StringBuilder body = new StringBuilder();
    writePath(body);
    snapshotCut(body);
    queries(body);
    footprint(body);

    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append(
            "Generated by `benchmarks/run.sh` (`io.cbtengine.benchmarks.BenchmarkSuite`); do "
                + "not edit by\n")
        .append(
            "hand, rerun it. Targets are those of issue 4, every one a ratio within the same "
                + "run,\n")
        .append(
            "because the machines are shared and noisy: absolute times are reported, not "
                + "promised.\n\n");
    if (quick) {
      md.append(
              "**Quick mode**: one fork, 3 warm-up and 5 measured iterations of 0.5 s (or of one\n")
          .append(
              "batch of 2^20 writes for single-shot benchmarks), 30 cuts for the pause probe. "
                  + "Good for\n")
          .append(
              "direction, not for the record; error bars are wide. `benchmarks/run.sh full` "
                  + "is the record.\n\n");
    } else {
      md.append(
          "**Full mode**: 2 forks, the iterations written on each benchmark, 200 cuts for the "
              + "pause probe.\n\n");
    }
    md.append("## Run\n\n");
    md.append("- date: ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (UTC)\n");
    md.append("- command: `").append(command).append("`\n");
    md.append("- code: commit ").append(revision).append('\n');
    md.append("- machine: ")
        .append(Machine.processors())
        .append(" CPUs visible to the JVM (`nproc`), ")
        .append(Machine.cpuinfoProcessors())
        .append(" in /proc/cpuinfo, model `")
        .append(Machine.cpuModel())
        .append("`, memory ")
        .append(Machine.memTotal())
        .append('\n');
    md.append("- load average before / after: ")
        .append(loadBefore)
        .append(" / ")
        .append(loadAfter)
        .append('\n');
    md.append("- JDK: ").append(Machine.jdk()).append("; OS: ").append(Machine.os()).append('\n');
    md.append("- JMH: ")
        .append(Version.getPlainVersion())
        .append("; fork flags: `")
        .append(String.join(" ", forkArgs))
        .append("`\n");
    md.append(
        "- JSON: `benchmarks/target/results/jmh.json` (JMH), "
            + "`benchmarks/target/results/probe-and-footprint.json`\n\n");

    md.append("## Targets\n\n");
    header(md, "target (issue 4)", List.of("measured", "verdict"));
    for (String[] t : targets) {
      row(md, t[0], List.of(t[1], t[2]));
    }
    md.append('\n').append(body);
    md.append(NOTES);
    return md.toString();
  }

  private void writePath(StringBuilder md) {
    md.append("## Write path: `RecordWriteBenchmark`\n\n");
    md.append(
            "2 TiB disk, 64 KiB blocks (2^25 blocks). Fresh-block benchmarks are single-shot "
                + "batches of\n")
        .append(
            "2^20 writes per thread on a tracker created empty before each batch; the "
                + "already-dirty one\n")
        .append("cycles over 2^20 pre-marked offsets. Offsets are pre-generated.\n\n");
    md.append("ns per write (per thread), lower is better:\n\n");
    header(md, "benchmark", IMPLS);
    implRow(md, "random 4 KiB, fresh blocks, 1 thread", i -> nsPerWrite("randomWrite", i));
    implRow(md, "random 4 KiB, fresh blocks, 2 threads", i -> nsPerWrite("randomWrite2Threads", i));
    implRow(md, "random 4 KiB, already-dirty block", i -> nsPerWrite("dirtyWrite", i));
    implRow(md, "sequential 64 KiB", i -> nsPerWrite("sequentialWrite64KiB", i));
    implRow(md, "sequential 1 MiB", i -> nsPerWrite("sequentialWrite1MiB", i));
    md.append('\n');

    md.append(
        "Aggregate million writes per second, and GB/s of tracked writes (bytes written / "
            + "time):\n\n");
    header(md, "figure", IMPLS);
    implRow(md, "random, 1 thread, Mwrites/s", i -> writesPerSecond("randomWrite", i) / 1e6);
    implRow(
        md, "random, 2 threads, Mwrites/s", i -> writesPerSecond("randomWrite2Threads", i) / 1e6);
    implRow(
        md,
        "2 threads / 1 thread",
        i -> writesPerSecond("randomWrite2Threads", i) / writesPerSecond("randomWrite", i));
    implRow(md, "sequential 64 KiB, GB/s", i -> 65536 / nsPerWrite("sequentialWrite64KiB", i));
    implRow(md, "sequential 1 MiB, GB/s", i -> 1048576 / nsPerWrite("sequentialWrite1MiB", i));
    md.append('\n');

    md.append("Engine time over baseline time (below 1: the engine is faster):\n\n");
    header(md, "benchmark", IMPLS.subList(1, IMPLS.size()));
    for (String b :
        List.of(
            "randomWrite",
            "randomWrite2Threads",
            "dirtyWrite",
            "sequentialWrite64KiB",
            "sequentialWrite1MiB")) {
      row(
          md,
          "`" + b + "`",
          IMPLS.subList(1, IMPLS.size()).stream()
              .map(i -> x(nsPerWrite(b, "engine") / nsPerWrite(b, i)))
              .toList());
    }
    md.append('\n');

    double engine = nsPerWrite("randomWrite", "engine");
    double floor = nsPerWrite("randomWrite", "floor");
    target(
        "random 4 KiB, 1 thread: within 3x of `floor`",
        f(engine) + " vs " + f(floor) + " ns = " + x(engine / floor),
        engine / floor,
        3,
        true);
    double roaring = nsPerWrite("randomWrite", "syncRoaring");
    target(
        "random 4 KiB, 1 thread: at least 5x faster than `syncRoaring`",
        f(roaring) + " vs " + f(engine) + " ns = " + x(roaring / engine),
        roaring / engine,
        5,
        false);
    double ranges = nsPerWrite("randomWrite", "rangeSet");
    target(
        "random 4 KiB, 1 thread: at least 20x faster than `rangeSet`",
        f(ranges) + " vs " + f(engine) + " ns = " + x(ranges / engine),
        ranges / engine,
        20,
        false);
    double dirty = nsPerWrite("dirtyWrite", "engine");
    double dirtyFloor = nsPerWrite("dirtyWrite", "floor");
    target(
        "already-dirty block: within 1.5x of `floor`",
        f(dirty) + " vs " + f(dirtyFloor) + " ns = " + x(dirty / dirtyFloor),
        dirty / dirtyFloor,
        1.5,
        true);
    double scaling =
        writesPerSecond("randomWrite2Threads", "engine") / writesPerSecond("randomWrite", "engine");
    target(
        "2 threads: at least 1.6x the 1-thread writes/s",
        f(writesPerSecond("randomWrite2Threads", "engine") / 1e6)
            + " vs "
            + f(writesPerSecond("randomWrite", "engine") / 1e6)
            + " Mwrites/s = "
            + x(scaling),
        scaling,
        1.6,
        false);
  }

  private void snapshotCut(StringBuilder md) {
    md.append("## Snapshot cut and freeze: `SnapshotCutBenchmark`, `CutPauseProbe`\n\n");
    md.append(
            "Open epoch with 10^6 random dirty blocks of a 2 TiB disk, a background writer "
                + "marking random\n")
        .append("4 KiB writes all along. ms per call (single shot, one call per iteration):\n\n");
    header(md, "benchmark", IMPLS);
    implRow(md, "`cut` (createSnapshot)", i -> score("SnapshotCutBenchmark.cut", i));
    implRow(md, "`cutAndFirstQuery`", i -> score("SnapshotCutBenchmark.cutAndFirstQuery", i));
    implRow(md, "`queryFrozen`", i -> score("SnapshotCutBenchmark.queryFrozen", i));
    implRow(md, "freeze estimate, ms per 10^6 dirty blocks", this::freezeEstimate);
    md.append('\n');
    md.append(
            "The freeze estimate is `cutAndFirstQuery - queryFrozen - cut`: what the first "
                + "query after\n")
        .append(
            "a cut pays beyond a query of a frozen epoch. For the baselines, compaction is "
                + "inside `cut`.\n")
        .append(
            "Differences of noisy single shots: read it as an order of magnitude; n/a where the\n")
        .append("difference came out negative (noise larger than the freeze).\n\n");

    md.append("Pause seen by the writer, µs, over ")
        .append(pauses.isEmpty() ? 0 : pauses.get(0).cuts())
        .append(" cuts (fewer for `rangeSet`): the stall of a cut is the longest single write\n")
        .append("of the writer between the cut's start and the writer's 100th write after it.\n\n");
    List<String> cols = pauses.stream().map(CutPauseProbe.Result::impl).toList();
    header(md, "figure (µs)", cols);
    if (!pauses.isEmpty()) {
      for (String key : pauses.get(0).figuresMicros().keySet()) {
        row(md, key, pauses.stream().map(p -> f(p.figuresMicros().get(key))).toList());
      }
    }
    md.append('\n');

    double p99 = Double.NaN;
    for (CutPauseProbe.Result p : pauses) {
      if (p.impl().equals("engine")) {
        p99 = p.figuresMicros().get("stall p99");
      }
    }
    target(
        "createSnapshot with 10^6 dirty blocks, writers running: pause p99 at most 50 µs",
        "stall p99 " + f(p99) + " µs",
        p99,
        50,
        true);
    double freeze = freezeEstimate("engine");
    targets.add(
        new String[] {
          "freeze of an epoch: report ms per 10^6 dirty blocks", f(freeze) + " ms", "reported"
        });
  }

  private double freezeEstimate(String impl) {
    double est =
        score("SnapshotCutBenchmark.cutAndFirstQuery", impl)
            - score("SnapshotCutBenchmark.queryFrozen", impl)
            - score("SnapshotCutBenchmark.cut", impl);
    RunResult r = find("SnapshotCutBenchmark.cut", impl);
    double blocks = r == null ? 1e6 : Double.parseDouble(r.getParams().getParam("dirtyBlocks"));
    // A negative difference is noise larger than the freeze: say so rather than print 0.
    return est < 0 ? Double.NaN : est * 1e6 / blocks;
  }

  private void queries(StringBuilder md) {
    md.append("## Queries: `QueryBenchmark`, `IntervalQueryBenchmark`\n\n");
    md.append(
            "Full-disk paging loop (every reply, `startOffset` from 0 to the capacity), 2 TiB "
                + "at 64 KiB\n")
        .append("blocks, random dirty blocks; ms per complete loop:\n\n");
    header(md, "dirty", IMPLS);
    for (String frac : List.of("0.001", "0.01", "0.1")) {
      implRow(
          md,
          Double.parseDouble(frac) * 100 + " %",
          i -> score("QueryBenchmark.fullDiskPagingLoop", i, "dirtyFraction", frac));
    }
    md.append('\n');
    double one = score("QueryBenchmark.fullDiskPagingLoop", "engine", "dirtyFraction", "0.01");
    target("full-disk query, 1 % dirty: at most 20 ms", f(one) + " ms", one, 20, true);

    List<String> cols = List.of("engine", "syncRoaring", "rangeSet");
    md.append(
            "Interval of N epochs, each rewriting the same 4,096 random blocks (so every "
                + "answer is the\n")
        .append(
            "same 4,096 extents); ms per complete loop, then the ratio to the 1-epoch "
                + "interval:\n\n");
    header(md, "epochs", cols);
    for (String n : List.of("1", "16", "256", "4096")) {
      row(
          md,
          n,
          cols.stream()
              .map(i -> f(score("IntervalQueryBenchmark.intervalQuery", i, "epochs", n)))
              .toList());
    }
    row(
        md,
        "4096 / 1",
        cols.stream()
            .map(
                i ->
                    x(
                        score("IntervalQueryBenchmark.intervalQuery", i, "epochs", "4096")
                            / score("IntervalQueryBenchmark.intervalQuery", i, "epochs", "1")))
            .toList());
    md.append('\n');
    double r =
        score("IntervalQueryBenchmark.intervalQuery", "engine", "epochs", "4096")
            / score("IntervalQueryBenchmark.intervalQuery", "engine", "epochs", "1");
    target("query over 4096 epochs: at most 4x the 1-epoch cost", x(r), r, 4, true);
  }

  private void footprint(StringBuilder md) {
    md.append("## Memory after freeze: `MemoryFootprint`\n\n");
    md.append("One epoch holding all the writes of each trace in `")
        .append(shown(traces))
        .append("`, or synthetic\n")
        .append(
            "dirt on a 2 TiB disk, at 64 KiB blocks, once frozen. `engine`: the engine's own "
                + "heap figure\n")
        .append(
            "for the frozen epoch (`EpochTrackedDisk.trackingHeapBytes()` after the freeze "
                + "minus before\n")
        .append(
            "the writes). `roaring`: the serialized size of a run-optimized RoaringBitmap of "
                + "the same\n")
        .append(
            "blocks (the form the engine freezes into). `dense`: one bit per block of the "
                + "disk (QEMU's\n")
        .append(
            "layout). A trace's disks are sized to their highest written GiB, which flatters "
                + "dense;\n")
        .append("traces with several volumes count one disk per volume and add up.\n\n");
    header(
        md,
        "dirt",
        List.of(
            "dirty blocks",
            "engine bytes",
            "roaring bytes",
            "dense bytes",
            "engine bits / dirty block",
            "engine / dense",
            "dense / engine",
            "note"));
    double worst = 0;
    double random1 = Double.NaN;
    double clustered1 = Double.NaN;
    for (MemoryFootprint.Row r : memory) {
      double vsDense = r.engineBytes() >= 0 ? r.engineVsDense() : r.vsDense();
      row(
          md,
          r.dirt(),
          List.of(
              String.format(Locale.ROOT, "%,d", r.dirtyBlocks()),
              r.engineBytes() < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", r.engineBytes()),
              String.format(Locale.ROOT, "%,d", r.frozenBytes()),
              String.format(Locale.ROOT, "%,d", r.denseBytes()),
              f(r.engineBitsPerDirtyBlock()),
              f(r.engineVsDense()),
              x(1 / r.engineVsDense()),
              r.note()));
      worst = Math.max(worst, vsDense);
      if (r.dirt().equals("random 1.0 %")) {
        random1 = 1 / vsDense;
      } else if (r.dirt().equals("clustered 1.0 %")) {
        clustered1 = 1 / vsDense;
      }
    }
    md.append('\n');
    target("memory after freeze: never above 1.1x dense", "worst " + x(worst), worst, 1.1, true);
    target("1 % random dirt: at least 4x below dense", x(random1) + " below", random1, 4, false);
    target(
        "1 % clustered dirt: at least 20x below dense",
        x(clustered1) + " below", clustered1, 20, false);
  }

  /** A path as the reader would type it from the checkout's root. */
  private static String shown(Path p) {
    Path here = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(here.getParent()) ? here.relativize(abs).toString() : abs.toString();
  }

  private static final String NOTES =
      """
      ## How to read this

      - `floor` is a plain `long[]` set without synchronization, checks or validation: the physical
        limit of marking, not a tracker. Under two threads it loses bits; its figures there are a
        bound, not a result.
      - Single-shot scores include everything in the batch: for the engine, the lazy allocation of
        its 4 KiB bitmap pages in a fresh epoch (a page covers 2 GiB of disk at 64 KiB blocks).
      - The machine is shared: two threads on a 2-CPU machine compete with everything else on it,
        which the load averages above hint at. The pause probe's stalls include any time slice the
        OS took from the writer.
      - Rerun one comparison: `java $(java -cp benchmarks/target/benchmarks.jar \\
        io.cbtengine.benchmarks.JvmFlags) -jar benchmarks/target/benchmarks.jar \\
        RecordWriteBenchmark -p impl=engine,syncRoaring`. JMH forks inherit the launching JVM's
        flags, so the Chronicle flags given to `java` reach the forks; without them the engine
        refuses to run.
      """;

  // ---- JSON of the figures JMH does not hold ---------------------------------------------------

  String probeAndFootprintJson() {
    StringBuilder j = new StringBuilder("{\n  \"cutPause\": [\n");
    for (int i = 0; i < pauses.size(); i++) {
      CutPauseProbe.Result p = pauses.get(i);
      j.append("    {\"impl\": \"").append(p.impl()).append("\", \"cuts\": ").append(p.cuts());
      for (Map.Entry<String, Double> e : p.figuresMicros().entrySet()) {
        j.append(", \"")
            .append(e.getKey().replace(' ', '_'))
            .append("_us\": ")
            .append(String.format(Locale.ROOT, "%.3f", e.getValue()));
      }
      j.append(i + 1 < pauses.size() ? "},\n" : "}\n");
    }
    j.append("  ],\n  \"footprint\": [\n");
    for (int i = 0; i < memory.size(); i++) {
      MemoryFootprint.Row r = memory.get(i);
      j.append(
          String.format(
              Locale.ROOT,
              "    {\"dirt\": \"%s\", \"capacityBytes\": %d, \"blockSize\": %d, "
                  + "\"dirtyBlocks\": %d,"
                  + " \"engineBytes\": %d, \"roaringSerializedBytes\": %d, \"denseBytes\": %d,"
                  + " \"note\": \"%s\"}%s%n",
              r.dirt(),
              r.capacityBytes(),
              r.blockSize(),
              r.dirtyBlocks(),
              r.engineBytes(),
              r.frozenBytes(),
              r.denseBytes(),
              r.note(),
              i + 1 < memory.size() ? "," : ""));
    }
    return j.append("  ]\n}\n").toString();
  }
}
