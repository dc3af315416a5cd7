package io.cbtengine.simulator.cli;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.vsphere.LiveReplay;
import io.cbtengine.simulator.vsphere.ServeLauncher;
import io.cbtengine.simulator.workload.TraceWorkload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cbt-sim serve}: runs the engine behind vSphere's VI/JSON API until stopped, so that a
 * backup client can run its incremental-backup flow against a simulated host. The server itself is
 * {@link io.cbtengine.simulator.vsphere.VsphereJsonServer}; docs/json-api.md lists its calls.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = CbtSim.Version.class,
    description = {
      "Serves the vSphere VI/JSON calls of an incremental backup (Login, VslmCreateSnapshot_Task, "
          + "VslmRetrieveSnapshotDetails, VslmQueryChangedDiskAreas, ...) under "
          + "http://ADDR:PORT/sdk/vim25/8.x/, and simulator-only calls under /cbt-sim/disks that "
          + "create disks and write into them. Runs until stopped (Ctrl-C).",
      "",
      "With --replay, trace files are replayed into the disks while clients query, so that a "
          + "client sees a live host.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "130:stopped by Ctrl-C (SIGINT), after a clean engine close",
      "143:stopped by SIGTERM, after a clean engine close",
      "2:bad usage, an unreadable password file, or a port in use"
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand CbtSim parent;

  @Option(
      names = "--port",
      required = true,
      paramLabel = "PORT",
      description = "The port to listen on; 0 picks a free one and prints it.")
  int port;

  @Option(
      names = "--user",
      required = true,
      paramLabel = "USER",
      description = "The user name Login accepts.")
  String user;

  @Option(
      names = "--password-file",
      required = true,
      paramLabel = "FILE",
      description = "A file whose first line is the password Login accepts.")
  Path passwordFile;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      paramLabel = "ADDR",
      description =
          "The IP address to bind: IPv4 as four dotted numbers, or IPv6 (default: "
              + "${DEFAULT-VALUE}, loopback only).")
  String bind;

  @Option(
      names = "--replay",
      paramLabel = "TRACE",
      description =
          "A trace file to replay into the disks while serving; may be repeated. Its "
              + "disks are created with the trace's capacities.")
  List<Path> replay = List.of();

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "The format of the --replay files; detected if not given.")
  String format;

  @Option(
      names = "--replay-rate",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Replay at most N writes per second; 0 for as fast as possible "
              + "(default: ${DEFAULT-VALUE}).")
  long replayRate;

  @Override
  public Integer call() throws IOException {
    // Usage errors go to the command line's handler: one line, then where the help is.
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535: " + port);
    }
    if (replayRate < 0) {
      throw new ParameterException(
          spec.commandLine(), "--replay-rate must not be negative: " + replayRate);
    }
    if (user.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--user is empty");
    }
    TraceFormat forced;
    try {
      forced = format == null ? null : TraceFormat.byId(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }

    // The trace is checked before the server starts, so a bad one is a usage error; the replay
    // starts once the server listens, so a server that cannot start has replayed nothing.
    TraceWorkload workload =
        replay.isEmpty() ? null : TraceWorkload.open(replay, forced, false, 0, 0);
    ChangeTracker tracker = parent.engineFactory().get();
    LiveReplay live =
        workload == null
            ? null
            : LiveReplay.prepare(
                tracker, workload, DiskOptions.defaults(), replayRate, spec.commandLine().getOut());
    try {
      return ServeLauncher.serve(
          bind,
          port,
          user,
          passwordFile,
          tracker,
          spec.commandLine().getOut(),
          spec.commandLine().getErr(),
          live == null ? () -> {} : live::start);
    } finally {
      if (live != null) {
        live.close();
      }
    }
  }
}
