package io.cbtengine.simulator.cli;

import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.simulator.SimulationConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every simulating subcommand shares: shaping, schedule, threads, reports. */
public final class SimulationOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--snapshot-every",
      paramLabel = "N|TIME",
      defaultValue = "10000",
      description =
          "Snapshot and back up every changed disk after N writes, or after TIME of trace time "
              + "(units ms, s, m or min, h; e.g. 500ms, 30s, 5m, 1h). N may end in w or writes. "
              + "Default: ${DEFAULT-VALUE} writes.")
  String snapshotEvery;

  @Option(
      names = "--block-size",
      paramLabel = "SIZE",
      description = "Tracking block size, a power of two from 512 to 64m. Default: the engine's.")
  String blockSize;

  @Option(
      names = "--max-extents-per-reply",
      paramLabel = "N",
      description = "At most N extents per query reply. Default: the engine's.")
  Integer maxExtentsPerReply;

  @Option(
      names = "--max-window-bytes",
      paramLabel = "SIZE",
      description =
          "A reply covers at most SIZE bytes of the disk (multiple of 512). "
              + "Default: the engine's.")
  String maxWindowBytes;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Replay with N writer threads using beginWrite, snapshots taken while writes "
              + "are in flight. Default 0: replay on one thread with recordWrite.")
  int threads;

  @Option(
      names = "--report-json",
      paramLabel = "FILE",
      description = "Also write the report as JSON.")
  Path reportJson;

  @Option(
      names = "--report-csv",
      paramLabel = "FILE",
      description = "Also write one CSV row per backup.")
  Path reportCsv;

  @Option(names = "--no-progress", description = "Never draw the progress bar.")
  boolean noProgress;

  @Option(
      names = "--no-heap-estimate",
      description =
          "Skip the GC-based estimate of the engine heap, made only for engines that do "
              + "not count their own (it runs full GCs at the end).")
  boolean noHeapEstimate;

  /**
   * The configuration these options describe.
   *
   * @throws ParameterException for a value out of range, so that the exit code is 2
   */
  SimulationConfig toConfig() {
    try {
      Sizes.Interval every = Sizes.parseInterval("--snapshot-every", snapshotEvery);
      int block =
          blockSize == null
              ? 0
              : blockSize("--block-size", blockSize, Sizes.parseBytes("--block-size", blockSize));
      long window =
          maxWindowBytes == null ? 0 : Sizes.parseBytes("--max-window-bytes", maxWindowBytes);
      if (maxExtentsPerReply != null && maxExtentsPerReply < 1) {
        throw new IllegalArgumentException(
            "--max-extents-per-reply must be at least 1: " + maxExtentsPerReply);
      }
      if (threads < 0 || threads > 256) {
        throw new IllegalArgumentException("--threads must be from 0 to 256: " + threads);
      }
      SimulationConfig config =
          new SimulationConfig(
              block,
              maxExtentsPerReply == null ? 0 : maxExtentsPerReply,
              window,
              threads,
              every.writes(),
              every.nanos(),
              !noProgress && System.console() != null,
              20,
              !noHeapEstimate);
      config.diskOptions();
      return config;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (InvalidArgumentException e) {
      // The engine names its own property; say which option set it.
      throw new ParameterException(
          spec.commandLine(), optionFor(e.invalidProperty()) + ": " + e.getMessage());
    }
  }

  private static String optionFor(String property) {
    return switch (property) {
      case "blockSize" -> "--block-size";
      case "maxWindowBytes" -> "--max-window-bytes";
      case "maxExtentsPerReply" -> "--max-extents-per-reply";
      default -> property;
    };
  }

  /**
   * A block size the engine accepts, checked here so that the message quotes the option's text as
   * the user wrote it, in the same words for every bad value.
   */
  private static int blockSize(String option, String text, long value) {
    if (value < DiskOptions.MIN_BLOCK_SIZE
        || value > DiskOptions.MAX_BLOCK_SIZE
        || Long.bitCount(value) != 1) {
      throw new IllegalArgumentException(
          option
              + ": must be a power of two from 512 to 64m: '"
              + text
              + "' ("
              + value
              + " bytes)");
    }
    return (int) value;
  }
}
