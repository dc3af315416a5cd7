package io.cbtengine.simulator.cli;

import io.cbtengine.api.CbtFault;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.engine.CbtEngine;
import io.cbtengine.simulator.IoProblems;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code cbt-sim} command line. Without a subcommand it runs {@code run}. New subcommands are
 * added to the {@code subcommands} list below and extend {@link SimulatingCommand} when they replay
 * a workload.
 *
 * <p>Exit codes: 0 every backup verified; 1 a missed write, a malformed reply or an engine fault; 2
 * bad usage, unreadable input, or a workload with no write to replay.
 */
@Command(
    name = "cbt-sim",
    mixinStandardHelpOptions = true,
    versionProvider = CbtSim.Version.class,
    description = {
      "Plays a hypervisor and a backup application around the change tracking engine: replays "
          + "writes onto tracked disks, takes snapshots on a schedule, runs each incremental "
          + "backup through queryChangedDiskAreas and proves that the backup equals the disk.",
      "",
      "Without a subcommand, runs 'run'.",
      ""
    },
    subcommands = {RunCommand.class, ReplayCommand.class, ServeCommand.class, HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every backup verified",
      "1:a missed write, a malformed reply or an engine fault",
      "2:bad usage, unreadable input, or no write to replay"
    })
public final class CbtSim implements Callable<Integer> {
  /** Exit code: every backup verified. */
  public static final int OK = 0;

  /** Exit code: a missed write, a malformed reply, or an engine fault. */
  public static final int MISSED = 1;

  /** Exit code: bad usage, unreadable input, or a workload with no write to replay. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  private final Supplier<ChangeTracker> engineFactory;

  /** A command line on the in-memory engine. */
  public CbtSim() {
    this(CbtEngine::inMemory);
  }

  /** A command line whose simulations run on engines from {@code engineFactory}. */
  public CbtSim(Supplier<ChangeTracker> engineFactory) {
    this.engineFactory = Objects.requireNonNull(engineFactory, "engineFactory");
  }

  Supplier<ChangeTracker> engineFactory() {
    return engineFactory;
  }

  @Override
  public Integer call() {
    return spec.subcommands().get("run").execute();
  }

  /** "cbt-sim VERSION": the project version, filtered into a resource at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      java.util.Properties p = new java.util.Properties();
      try (var in = CbtSim.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "cbt-sim " + p.getProperty("version", "(version unknown)") + ", the cbt-engine simulator"
      };
    }
  }

  /** The command line, with the exit codes above wired in. */
  public static CommandLine commandLine(CbtSim command) {
    CommandLine cl = new CommandLine(command);
    cl.setExecutionExceptionHandler(CbtSim::handle);
    cl.setParameterExceptionHandler(CbtSim::usageError);
    return cl;
  }

  /**
   * A usage error: the error on one line, picocli's suggestions for a mistyped option, and where to
   * find the usage, rather than the whole usage text after the error.
   */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + name + " --help' for the options.");
    err.flush();
    return USAGE;
  }

  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    int code;
    if (t instanceof NoSuchFileException || t instanceof AccessDeniedException) {
      FileSystemException e = (FileSystemException) t;
      err.println("cbt-sim: cannot read " + e.getFile() + ": " + IoProblems.describe(e));
      code = USAGE;
    } else if (t instanceof IOException) {
      err.println("cbt-sim: " + (ex instanceof UncheckedIOException ? ex : t).getMessage());
      code = USAGE;
    } else if (t instanceof CbtFault f) {
      err.println("cbt-sim: engine fault " + f.faultType() + ": " + f.getMessage());
      f.printStackTrace(err);
      code = MISSED;
    } else {
      err.println("cbt-sim: simulation failed: " + t);
      t.printStackTrace(err);
      code = MISSED;
    }
    err.flush();
    return code;
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    // Before any engine class loads: Chronicle must not phone home.
    if (System.getProperty("chronicle.analytics.disable") == null) {
      System.setProperty("chronicle.analytics.disable", "true");
    }
    if (System.getProperty("chronicle.announcer.disable") == null) {
      System.setProperty("chronicle.announcer.disable", "true");
    }
    System.exit(commandLine(new CbtSim()).execute(args));
  }
}
