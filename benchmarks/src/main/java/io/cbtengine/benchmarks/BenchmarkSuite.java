package io.cbtengine.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the whole suite and writes the record: JMH's JSON, the cut-pause and footprint figures, and
 * {@code docs/benchmarks.md}. Usually started by {@code benchmarks/run.sh}.
 *
 * <pre>
 * java $(java -cp benchmarks.jar io.cbtengine.benchmarks.JvmFlags) -cp benchmarks.jar \
 *     io.cbtengine.benchmarks.BenchmarkSuite [quick|full] [--out DIR] [--report FILE]
 *     [--traces DIR] [--include REGEX] [--impl a,b,...] [--command TEXT] [--revision TEXT]
 *     [--notes FILE]
 * </pre>
 *
 * <p>{@code --notes} (default {@code benchmarks/findings.md}) is appended to the report as it is:
 * the hand-written analysis of the figures (where time goes, what is missing), kept apart so that
 * regenerating the tables does not lose it.
 *
 * <p>JMH forks get the Chronicle flags from {@link JvmFlags} (filtered from the root pom) through
 * {@code jvmArgsAppend}, together with a fixed 4 GiB heap touched at start-up ({@code
 * -XX:+AlwaysPreTouch}). Quick mode: one fork, 3 warm-up and 5 measured iterations of 0.5 s (or of
 * one batch, for single-shot benchmarks), 30 cuts for the pause probe; seconds per benchmark. Full
 * mode: 2 forks, the iterations written on each benchmark, 200 cuts.
 */
public final class BenchmarkSuite {
  private BenchmarkSuite() {}

  /** Parsed command line. */
  record Settings(
      boolean quick,
      Path out,
      Path report,
      Path traces,
      String include,
      String[] impls,
      String command,
      String revision,
      Path notes) {}

  static Settings parse(String[] args) {
    boolean quick = true;
    Path out = Path.of("benchmarks/target/results");
    Path report = Path.of("docs/benchmarks.md");
    Path traces = Path.of("../shared/traces");
    String include = "io.cbtengine.benchmarks.*Benchmark.*";
    String[] impls = null;
    String command = null;
    String revision = "unknown";
    Path notes = Path.of("benchmarks/findings.md");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "quick" -> quick = true;
        case "full" -> quick = false;
        case "--out" -> out = Path.of(args[++i]);
        case "--report" -> report = Path.of(args[++i]);
        case "--traces" -> traces = Path.of(args[++i]);
        case "--include" -> include = args[++i];
        case "--impl" -> impls = args[++i].split(",");
        case "--command" -> command = args[++i];
        case "--revision" -> revision = args[++i];
        case "--notes" -> notes = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (command == null) {
      command =
          "java -cp benchmarks.jar "
              + BenchmarkSuite.class.getName()
              + " "
              + String.join(" ", args);
    }
    return new Settings(quick, out, report, traces, include, impls, command, revision, notes);
  }

  public static void main(String[] args) throws RunnerException, IOException {
    Settings s = parse(args);
    Files.createDirectories(s.out());
    Instant started = Instant.now();
    String loadBefore = Machine.loadAverage();

    // JMH: every benchmark class, the flags from the one place the build defines them.
    List<String> forkArgs = new ArrayList<>(JvmFlags.chronicleFlags());
    // A heap touched at start-up: the engine allocates an epoch's pages as writes arrive, and
    // without pre-touching, each batch on a fresh tracker pays the OS's first-touch page faults of
    // never-used heap, which `floor` pays in its setup (it allocates its whole array there).
    forkArgs.addAll(List.of("-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"));
    forkArgs.add("-Dcbt.traces.dir=" + s.traces().toAbsolutePath());
    Path jmhJson = s.out().resolve("jmh.json");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(s.include())
            .jvmArgsAppend(forkArgs.toArray(String[]::new))
            .resultFormat(ResultFormatType.JSON)
            .result(jmhJson.toString())
            .shouldFailOnError(false);
    if (s.impls() != null) {
      options.param("impl", s.impls());
    }
    if (s.quick()) {
      options
          .forks(1)
          .warmupIterations(3)
          .warmupTime(TimeValue.milliseconds(500))
          .measurementIterations(5)
          .measurementTime(TimeValue.milliseconds(500));
    } else {
      options.forks(2);
    }
    Collection<RunResult> jmh = new Runner(options.build()).run();

    // The pause writers see at a cut: a percentile over cuts, outside JMH.
    List<CutPauseProbe.Result> pauses = new ArrayList<>();
    List<String> probeImpls =
        s.impls() != null
            ? Arrays.asList(s.impls())
            : Arrays.stream(TrackerKind.values()).map(TrackerKind::paramName).toList();
    if (s.include().contains("*Benchmark") || s.include().contains("SnapshotCut")) {
      for (String impl : probeImpls) {
        TrackerKind kind = TrackerKind.of(impl);
        int cuts = s.quick() ? 30 : 200;
        if (kind == TrackerKind.RANGE_SET) {
          cuts /= 3;
        }
        System.out.printf(Locale.ROOT, "# cut pause probe: impl=%s, cuts=%d%n", impl, cuts);
        pauses.add(
            CutPauseProbe.measure(kind, RecordWriteBenchmark.CAPACITY, 65536, 1_000_000, cuts));
      }
    }

    // Footprint after freeze, on the traces and on synthetic dirt.
    List<MemoryFootprint.Row> memory = new ArrayList<>();
    try (EngineFootprint engine = new EngineFootprint()) {
      memory.addAll(MemoryFootprint.traces(s.traces(), 65536, engine));
      memory.addAll(MemoryFootprint.synthetic(RecordWriteBenchmark.CAPACITY, 65536, engine));
    }

    BenchmarkReport report =
        new BenchmarkReport(
            jmh,
            pauses,
            memory,
            s.quick(),
            s.command(),
            started,
            loadBefore,
            Machine.loadAverage(),
            forkArgs,
            s.traces(),
            s.revision());
    Files.writeString(s.out().resolve("probe-and-footprint.json"), report.probeAndFootprintJson());
    Files.createDirectories(s.report().toAbsolutePath().getParent());
    String findings = Files.isRegularFile(s.notes()) ? Files.readString(s.notes()) : "";
    Files.writeString(s.report(), report.markdown() + findings);
    System.out.println(
        "# wrote "
            + jmhJson
            + ", "
            + s.out().resolve("probe-and-footprint.json")
            + " and "
            + s.report());
  }
}
