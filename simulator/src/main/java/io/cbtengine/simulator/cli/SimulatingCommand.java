package io.cbtengine.simulator.cli;

import io.cbtengine.simulator.IoProblems;
import io.cbtengine.simulator.Simulation;
import io.cbtengine.simulator.SimulationConfig;
import io.cbtengine.simulator.report.ReportFormat;
import io.cbtengine.simulator.report.SimulationReport;
import io.cbtengine.simulator.workload.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that replays a workload through the simulation, prints the report and ends with the
 * verdict line. Exit code 0 when every backup verified, 1 when a write was missed, 2 when the
 * workload had no write to replay (every record skipped, e.g. beyond the disk size): nothing was
 * verified, which must not pass for success.
 */
abstract class SimulatingCommand implements Callable<Integer> {
  @Mixin SimulationOptions options;

  @Spec CommandSpec spec;

  @ParentCommand CbtSim parent;

  /** Opens the workload to replay; an {@link IOException} ends the run with exit code 2. */
  abstract Workload openWorkload() throws IOException;

  @Override
  public Integer call() throws IOException {
    SimulationConfig config = options.toConfig();
    // A report that cannot be written should fail before the replay, not after it.
    checkReportPath("--report-json", options.reportJson);
    checkReportPath("--report-csv", options.reportCsv);
    if (options.reportJson != null
        && options.reportCsv != null
        && sameFile(options.reportJson, options.reportCsv)) {
      throw new IOException(
          "--report-json and --report-csv name the same file: "
              + options.reportJson
              + " and "
              + options.reportCsv);
    }
    for (Path input : inputs()) {
      for (Path report : new Path[] {options.reportJson, options.reportCsv}) {
        if (report != null && sameFile(report, input)) {
          throw new IOException(
              "the report " + report + " would overwrite the input " + input + ": name another");
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    // Stopped by a signal (Ctrl-C, SIGTERM), the JVM exits mid-run: say so, after what was printed.
    Thread stopped =
        new Thread(
            () -> {
              out.flush();
              err.println("cbt-sim: stopped by a signal before the end of the run: no verdict");
              err.flush();
            },
            "cbt-sim-stopped");
    Runtime.getRuntime().addShutdownHook(stopped);
    SimulationReport report;
    try (Workload workload = openWorkload()) {
      report = new Simulation(config, parent.engineFactory(), out, err).run(workload);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopped);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs.
      }
    }

    ReportFormat.table(report, out);
    out.println(report.verdict());
    out.flush();
    writeReport("--report-json", options.reportJson, p -> ReportFormat.json(report, p));
    writeReport("--report-csv", options.reportCsv, p -> ReportFormat.csv(report, p));
    if (report.writesReplayed() == 0) {
      return CbtSim.USAGE;
    }
    return report.verified() ? CbtSim.OK : CbtSim.MISSED;
  }

  /** The files the workload reads, which no report may overwrite. */
  List<Path> inputs() {
    return List.of();
  }

  private interface ReportWriter {
    void write(Path file) throws IOException;
  }

  private static void writeReport(String option, Path file, ReportWriter writer)
      throws IOException {
    if (file == null) {
      return;
    }
    try {
      writer.write(file);
    } catch (IOException e) {
      throw new IOException(
          option + ": cannot write the report to " + file + ": " + IoProblems.describe(e), e);
    }
  }

  /**
   * Whether two paths name one file, through symbolic and hard links and relative forms; false if
   * unsure.
   */
  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b)) {
        return true; // hard links: one file under two names
      }
      return canonical(a).equals(canonical(b));
    } catch (IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }

  private static Path canonical(Path p) throws IOException {
    if (Files.exists(p)) {
      return p.toRealPath();
    }
    Path absolute = p.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    return parent == null ? absolute : parent.toRealPath().resolve(absolute.getFileName());
  }

  /**
   * Fails before the replay if {@code report} cannot be written: no file name, a missing directory,
   * a directory, or a place where no file can be created (tried by creating and deleting it).
   */
  private static void checkReportPath(String option, Path report) throws IOException {
    if (report == null) {
      return;
    }
    if (report.toString().isEmpty()) {
      throw new IOException(option + " needs a file name");
    }
    Path directory = report.toAbsolutePath().getParent();
    if (directory == null) {
      throw new IOException(option + " needs a file name, not " + report);
    }
    if (!Files.isDirectory(directory)) {
      throw new IOException(
          "cannot write the report to " + report + ": no such directory " + directory);
    }
    if (Files.isDirectory(report)) {
      throw new IOException("cannot write the report to " + report + ": it is a directory");
    }
    if (Files.exists(report)) {
      if (!Files.isWritable(report)) {
        throw new IOException("cannot write the report to " + report + ": permission denied");
      }
      return;
    }
    try {
      Files.delete(Files.createFile(report));
    } catch (IOException e) {
      throw new IOException(
          "cannot write the report to " + report + ": " + IoProblems.describe(e), e);
    }
  }
}
