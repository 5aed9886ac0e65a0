package dev.quarry.pipeline;

import dev.quarry.transforms.incremental.Worklists;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Scan, plan, parse by grammar and publish a snapshot of the five tables under OUT.",
      "Runs on the embedded DirectRunner unless Beam options say otherwise, e.g.",
      "  --runner=FlinkRunner --flinkMaster=HOST:PORT --parallelism=N",
      "Exit code 0 only when the snapshot was published."
    })
final class ExtractCommand implements Callable<Integer> {
  @Mixin PlanOptions plan;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output directory (CURRENT, snapshots/).")
  Path out;

  @Option(names = "--keep-snapshots", paramLabel = "N", description = "Published snapshots to keep (default: ${DEFAULT-VALUE}).")
  int keepSnapshots = 3;

  @Option(names = "--full", description = "Rebuild every table from scratch instead of carrying the rows of unchanged"
      + " files over from the published snapshot.")
  boolean full;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    for (String a : beamArgs) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException(
            "unknown argument '" + a + "'. Quarry options are listed by 'quarry extract --help'; Beam options are"
                + " passed as --name=value (e.g. --runner=FlinkRunner).");
      }
    }
    PrintStream console = System.out;
    ExtractionRun.Outcome o;
    try {
      o = ExtractionRun.run(new ExtractionRun.Request(
          plan.source(), out.toAbsolutePath(), plan.config(), keepSnapshots, full, beamArgs, false, console,
          System.console() != null, JitMode.restartable()));
    } catch (JitMode.Restart r) {
      console.println("quarry: " + r.getMessage());
      return JitMode.RESTART_EXIT_CODE;
    }
    printSummary(console, o);
    return 0;
  }

  static void printSummary(PrintStream out, ExtractionRun.Outcome o) {
    RunReport r = o.report();
    long files = o.filesByStatus().values().stream().mapToLong(Long::longValue).sum();
    StringBuilder statuses = new StringBuilder();
    o.filesByStatus().forEach((s, n) -> statuses.append(statuses.isEmpty() ? "" : ", ").append(s).append(' ').append(n));
    double parseSecs = r.stageMillis().getOrDefault("execute_and_write", 0L) / 1000.0;
    double mb = r.metric("bytes") / 1e6;
    out.printf(Locale.ROOT, "published snapshot %s%n  %s%n", o.snapshotId(), o.snapshotDir());
    out.printf(Locale.ROOT, "files        %d (%s)%n", files, statuses);
    Worklists.Result w = o.worklists();
    Worklists.FileCounts c = w.counts();
    out.printf(Locale.ROOT, "changes      %d new, %d changed, %d unchanged, %d deleted (vs %s)%n", c.added(),
        c.changed(), c.unchanged(), c.deleted(), w.previousId() == null ? "no previous snapshot" : w.previousId());
    if (w.mode().equals("full")) {
      out.printf(Locale.ROOT, "work         full run (%s): %d jobs, %.1f MB parsed%n", w.fullReason(),
          w.executedJobs(), w.executedBytes() / 1e6);
    } else {
      long saved = w.plannedBytes() - w.executedBytes();
      out.printf(Locale.ROOT,
          "work         incremental: %d of %d jobs run, %.1f of %.1f MB parsed; saved %.1f MB (%.1f%%), %d bucket(s)"
              + " reused whole%n",
          w.executedJobs(), w.plannedJobs(), w.executedBytes() / 1e6, w.plannedBytes() / 1e6, saved / 1e6,
          w.plannedBytes() == 0 ? 100.0 : 100.0 * saved / w.plannedBytes(), w.linkedBuckets().size());
    }
    out.printf(Locale.ROOT, "jobs         %d in %d grammar batches (grammar loads)%n", r.metric("jobs"), r.metric("grammar_loads"));
    out.printf(Locale.ROOT, "rows         chunks %d, symbols %d, diagnostics %d, segments %d%n",
        o.tables().get("chunks").rows(), o.tables().get("symbols").rows(),
        o.tables().get("diagnostics").rows(), o.tables().get("segments").rows());
    out.printf(Locale.ROOT, "throughput   %.1f MB parsed in %.1f s: %.2f MB/s (total %.1f s)%n",
        mb, parseSecs, parseSecs > 0 ? mb / parseSecs : 0.0, r.totalMillis() / 1000.0);
    out.printf(Locale.ROOT, "planHash     %s%n", o.planHash());
  }
}
