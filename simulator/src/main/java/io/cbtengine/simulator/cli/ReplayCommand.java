package io.cbtengine.simulator.cli;

import io.cbtengine.simulator.trace.TraceFormat;
import io.cbtengine.simulator.workload.TraceWorkload;
import io.cbtengine.simulator.workload.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code cbt-sim replay TRACE...}: replays trace files and verifies every backup. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = CbtSim.Version.class,
    description = {
      "Replays block traces onto tracked disks (one per volume or device in the trace), backs "
          + "every changed disk up at each snapshot through queryChangedDiskAreas and verifies "
          + "every backup against an exact model of the disk. Files may be gzip, bzip2 or xz "
          + "compressed; several files are replayed one after the other.",
      "",
      "Formats: msr, systor, tencent, alibaba, spc, disksim, vscsi, blkparse.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every backup verified",
      "1:a missed write or a malformed reply",
      "2:bad usage, unreadable input, a bad record with --strict, or no write to replay"
    })
final class ReplayCommand extends SimulatingCommand {
  @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files to replay.")
  List<Path> traces;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "The format of every file; detected from the first records if not given.")
  String format;

  @Option(
      names = "--disk-size",
      paramLabel = "SIZE",
      description =
          "Capacity of every disk (e.g. 64g); writes past it are skipped. Default: the "
              + "furthest write of each disk, rounded up to 1 MiB.")
  String diskSize;

  @Option(
      names = "--strict",
      description =
          "A record that would be skipped is an error naming the file and line " + "(exit code 2).")
  boolean strict;

  @Option(
      names = "--max-writes",
      paramLabel = "N",
      description = "Replay at most N writes in all (N at least 1), then stop. Default: all.")
  Long maxWrites;

  @Override
  List<Path> inputs() {
    return traces == null ? List.of() : traces;
  }

  @Override
  Workload openWorkload() throws IOException {
    TraceFormat forced;
    long size;
    try {
      forced = format == null ? null : TraceFormat.byId(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
    }
    try {
      size = diskSize == null ? 0 : Sizes.parseBytes("--disk-size", diskSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (size % 512 != 0) {
      throw new ParameterException(
          spec.commandLine(), "--disk-size must be a multiple of 512: " + diskSize);
    }
    if (maxWrites != null && maxWrites < 1) {
      throw new ParameterException(
          spec.commandLine(), "--max-writes must be at least 1: " + maxWrites);
    }
    return TraceWorkload.open(traces, forced, strict, size, maxWrites == null ? 0 : maxWrites);
  }
}
