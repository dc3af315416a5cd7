package io.cbtengine.simulator.cli;

import io.cbtengine.simulator.vsphere.ServeLauncher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cbt-sim serve}: runs the engine behind vSphere's VI/JSON API until stopped, so that a
 * backup client can run its incremental-backup flow against a simulated host. The server itself
 * is {@link io.cbtengine.simulator.vsphere.VsphereJsonServer}; docs/json-api.md lists its calls.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the vSphere VI/JSON calls of an incremental backup (Login, VslmCreateSnapshot_Task, "
          + "VslmRetrieveSnapshotDetails, VslmQueryChangedDiskAreas, ...) under "
          + "http://ADDR:PORT/sdk/vim25/8.x/, and simulator-only calls under /cbt-sim/disks that "
          + "create disks and write into them. Runs until stopped (Ctrl-C).",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped", "2:bad usage, an unreadable password file, or a port in use"})
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
      description = "The IP address to bind (default: ${DEFAULT-VALUE}, loopback only).")
  String bind;

  @Override
  public Integer call() {
    if (port < 0 || port > 65535) {
      spec.commandLine().getErr().println("cbt-sim serve: --port must be 0..65535: " + port);
      return CbtSim.USAGE;
    }
    return ServeLauncher.serve(
        bind,
        port,
        user,
        passwordFile,
        parent.engineFactory().get(),
        spec.commandLine().getOut(),
        spec.commandLine().getErr());
  }
}
