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
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that replays a workload through the simulation, prints the report and ends with the
 * verdict line. Exit code 0 when every backup verified, 1 when a write was missed.
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
        && options
            .reportJson
            .toAbsolutePath()
            .normalize()
            .equals(options.reportCsv.toAbsolutePath().normalize())) {
      throw new IOException(
          "--report-json and --report-csv name the same file: " + options.reportJson);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();

    SimulationReport report;
    try (Workload workload = openWorkload()) {
      report = new Simulation(config, parent.engineFactory(), out, err).run(workload);
    }

    ReportFormat.table(report, out);
    try {
      if (options.reportJson != null) {
        ReportFormat.json(report, options.reportJson);
      }
      if (options.reportCsv != null) {
        ReportFormat.csv(report, options.reportCsv);
      }
    } catch (IOException e) {
      throw new IOException("cannot write the report: " + IoProblems.describe(e), e);
    }
    out.println(report.verdict());
    out.flush();
    return report.verified() ? 0 : 1;
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
    if (directory == null || !Files.isDirectory(directory)) {
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
