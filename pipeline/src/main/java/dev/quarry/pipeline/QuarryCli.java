package dev.quarry.pipeline;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code quarry}: code corpora to analytics tables. */
@Command(
    name = "quarry",
    mixinStandardHelpOptions = true,
    versionProvider = QuarryCli.Version.class,
    description = "Turns code corpora into partitioned, sorted Parquet tables (files, segments, chunks, symbols,"
        + " diagnostics) with tree-sitter, on Apache Beam.",
    subcommands = {ExtractCommand.class, ScanCommand.class, PlanCommand.class, GrammarsCommand.class,
        dev.quarry.pipeline.bench.BenchCommand.class})
public final class QuarryCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new QuarryCli())
        .setExecutionExceptionHandler(new Errors())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = QuarryCli.class.getPackage().getImplementationVersion();
      return new String[] {"quarry " + (v == null ? "(development build)" : v)};
    }
  }

  /** Errors for humans: the message, not a stack trace (unless QUARRY_DEBUG is set). */
  static final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
      if (System.getenv("QUARRY_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      Throwable root = e;
      StringBuilder msg = new StringBuilder("quarry " + cmd.getCommandName() + ": ");
      msg.append(e.getMessage() == null ? e.toString() : e.getMessage());
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
        if (root.getMessage() != null && !msg.toString().contains(root.getMessage())) {
          msg.append("\n  caused by: ").append(root.getMessage());
        }
      }
      cmd.getErr().println(msg);
      if (System.getenv("QUARRY_DEBUG") == null) {
        cmd.getErr().println("(set QUARRY_DEBUG=1 for the stack trace)");
      }
      return 1;
    }
  }
}
