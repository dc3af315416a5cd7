package io.cbtengine.simulator.cli;

import io.cbtengine.simulator.workload.SyntheticWorkload;
import io.cbtengine.simulator.workload.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cbt-sim run}: the built-in synthetic workload; also what no subcommand does. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = CbtSim.Version.class,
    description = {
      "Replays the built-in synthetic workload: four disks (a database hot set, a sequential "
          + "log, small random writes, and a disk extended halfway), backs every disk up at each "
          + "snapshot and verifies every backup. Deterministic for a given seed.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every backup verified",
      "1:a missed write or a malformed reply",
      "2:bad usage, unreadable input, or no write to replay"
    })
final class RunCommand extends SimulatingCommand {
  @Option(
      names = "--writes",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Writes to generate. Default: ${DEFAULT-VALUE}.")
  long writes;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "20260101",
      description = "Seed of the generator. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  Workload openWorkload() {
    if (writes < 2) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--writes must be at least 2: " + writes);
    }
    return new SyntheticWorkload(writes, seed);
  }
}
