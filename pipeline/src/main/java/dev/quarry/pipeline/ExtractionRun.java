package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.Grammars;
import dev.quarry.schemas.ContainerSegments;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedBucket;
import dev.quarry.transforms.incremental.PreviousSnapshot;
import dev.quarry.transforms.incremental.Worklists;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.plan.TableVersions;
import dev.quarry.transforms.publish.RecordedDigests;
import dev.quarry.transforms.publish.SnapshotStore;
import dev.quarry.transforms.publish.TableDigests;
import dev.quarry.transforms.publish.TableDigests.FileDigest;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import dev.quarry.transforms.segment.Segmenters;
import dev.quarry.transforms.write.LinkedBucketsWrite;
import dev.quarry.transforms.write.WriteSnapshotTables;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The driver of one extraction: previous snapshot, manifest, plan, worklists, pipeline, checks, publish.
 * Everything before the switch of {@code CURRENT} happens in a staging directory, so any failure (kill -9
 * included) leaves the published snapshot as it was; the previous snapshot is only ever read.
 */
public final class ExtractionRun {
  /**
   * @param full rebuild every table even when the published snapshot could be built on ({@code --full})
   * @param strictDirectRunner keep DirectRunner's immutability and encodability checks (tests); production runs
   *     turn them off because they copy and re-encode every element
   * @param restartable the JVM runs with C1 alone and its launcher runs the command again with C2 when the run
   *     stops with {@link JitMode.Restart} ({@link JitMode})
   */
  public record Request(
      Manifests.Source source,
      Path out,
      PlanConfig config,
      int keepSnapshots,
      boolean full,
      List<String> beamArgs,
      boolean strictDirectRunner,
      PrintStream console,
      boolean terminal,
      boolean restartable) {
    /** A run that builds on the published snapshot when it can, in a JVM that goes on after it. */
    public Request(Manifests.Source source, Path out, PlanConfig config, int keepSnapshots, List<String> beamArgs,
        boolean strictDirectRunner, PrintStream console, boolean terminal) {
      this(source, out, config, keepSnapshots, false, beamArgs, strictDirectRunner, console, terminal, false);
    }
  }

  /** What the run published. */
  public record Outcome(
      String snapshotId,
      Path snapshotDir,
      String planHash,
      Map<String, Long> filesByStatus,
      Map<String, TableDigest> tables,
      RunReport report,
      Worklists.Result worklists) {}

  private ExtractionRun() {}

  public static Outcome run(Request request) throws Exception {
    return run(request, Segmenters.standard());
  }

  /** @param segmenters how containers are segmented (tests inject faulty segmenters to prove strictness) */
  static Outcome run(Request request, Segmenters segmenters) throws Exception {
    RunReport report = new RunReport();
    // Beam's options are made on another thread while the driver scans and plans: the first use of its options
    // factory checks every options interface on the class path, a few hundred milliseconds of one core.
    CompletableFuture<PipelineOptions> beamOptions = RunnerOptions.createInBackground(request.beamArgs(),
        request.strictDirectRunner());
    GrammarRegistry grammars = GrammarRegistry.get();
    // Fail fast on a corrupt or incompatible grammar build, before any work starts.
    Grammars.verifyAll();
    try (SnapshotStore store = SnapshotStore.open(request.out())) {
      long t0 = System.nanoTime();
      // The published snapshot this run builds on: its files give the scan its hashes and the worklists their
      // decisions. It is only read; whatever happens to this run, it stays published.
      Optional<PreviousSnapshot> previous = Optional.empty();
      String fullReason = request.full() ? "--full" : null;
      Optional<Path> current = store.current();
      if (current.isEmpty()) {
        fullReason = "no published snapshot to build on (first run)";
      } else {
        Optional<String> incompatible = PreviousSnapshot.incompatibility(current.get());
        if (incompatible.isPresent()) {
          fullReason = "the published snapshot " + current.get().getFileName() + " cannot be built on: "
              + incompatible.get();
        } else {
          previous = Optional.of(PreviousSnapshot.load(current.get()));
        }
      }
      report.stage("previous", t0);
      if (fullReason != null) {
        restartIfLocal(request, beamOptions, Optional.of("a full run (" + fullReason + ")"));
      }

      long t1 = System.nanoTime();
      List<ManifestRow> manifest =
          request.source().load(grammars, previous.map(PreviousSnapshot::manifest).orElse(Map.of()));
      report.stage("scan", t1);

      long t2 = System.nanoTime();
      Planner planner = new Planner(request.config(), grammars, segmenters);
      // A full run (--full) segments every container afresh; otherwise unchanged ones are planned from the snapshot.
      Plan plan = planner.plan(manifest, previous.isPresent() && fullReason == null
          ? previous.get().containers() : Map.of());
      report.stage("plan", t2);

      long t3 = System.nanoTime();
      Worklists.Result work = fullReason != null || previous.isEmpty()
          ? Worklists.full(plan, previous, fullReason)
          : Worklists.incremental(plan, previous.get(), TableVersions.of(request.config()), planner);
      report.stage("worklists", t3);
      restartIfLocal(request, beamOptions, JitMode.restartReason(work));
      request.console().println(worklistLine(work));

      SnapshotStore.Staging staging = store.stage(plan.summary().planHash());
      try {
        PlanJson.write(plan.summary(), staging.dir().resolve("plan.json"));
        PlanFiles.write(staging.dir().resolve(PreviousSnapshot.CONTAINERS), ContainerSegments.class, plan.containers());
        PlanFiles.write(staging.dir().resolve(QuarryPipeline.JOBS), Job.class, work.work());
        PlanFiles.write(staging.dir().resolve(QuarryPipeline.PLANNED_FILES), PlannedBucket.class,
            WriteSnapshotTables.plannedBuckets(work.files()));
        if (previous.isPresent()) {
          link(previous.get().dir(), staging.dir(), work.linkedFiles());
        }

        long t4 = System.nanoTime();
        if (work.work().isEmpty() && work.carried().isEmpty()
            && LinkedBucketsWrite.coversAll(work.files(), work.linkedBuckets())) {
          // Nothing to parse and nothing to move: only the files tables are new.
          report.filesOnly(LinkedBucketsWrite.write(staging.dir(), work.files()).size());
          report.stage("execute_and_write", t4);
        } else {
          PipelineOptions options = RunnerOptions.await(beamOptions);
          PipelineResult result = QuarryPipeline.build(options, staging.dir(), request.config(), work,
              previous.map(PreviousSnapshot::dir)).run();
          Progress progress = new Progress(request.console(), request.terminal(), work.executedJobs(),
              work.executedBytes());
          PipelineResult.State state = progress.follow(result);
          if (state != PipelineResult.State.DONE) {
            throw new IllegalStateException("the pipeline ended in state " + state + "; nothing was published");
          }
          report.stage("execute_and_write", t4);
          report.metrics(result);
        }

        long t5 = System.nanoTime();
        SnapshotStore.deleteTree(staging.dir().resolve("_plan"));
        Accounting.Result accounting = Accounting.check(staging.dir(), manifest.size());
        // Linked files are the previous snapshot's bytes: their digests are the ones its run.json recorded.
        Map<String, FileDigest> linked = previous.isEmpty() ? Map.of()
            : RecordedDigests.read(previous.get().dir(), Set.copyOf(work.linkedFiles()));
        Map<String, TableDigest> tables = TableDigests.of(staging.dir(), linked, accounting.rowsByFile());
        Map<String, Long> byStatus = accounting.byStatus();
        report.stage("verify", t5);
        report.compiler(JitMode.compilers());
        report.writeRunJson(staging.dir().resolve("run.json"), plan, tables, byStatus, grammars,
            TableVersions.of(request.config()), work);
        Path published = store.publish(staging);
        store.retain(request.keepSnapshots());
        return new Outcome(staging.id(), published, plan.summary().planHash(), byStatus, tables, report, work);
      } catch (Exception | Error e) {
        store.discard(staging);
        throw e;
      }
    }
  }

  /**
   * Stops a run that {@code reason} says is too big for C1 alone, when this JVM may hand it back to the launcher and
   * the pipeline would run in it. Called before the staging snapshot exists: nothing is left behind.
   */
  private static void restartIfLocal(Request request, CompletableFuture<PipelineOptions> beamOptions,
      Optional<String> reason) {
    if (request.restartable() && reason.isPresent()
        && RunnerOptions.runsInThisJvm(RunnerOptions.await(beamOptions), request.beamArgs())) {
      throw new JitMode.Restart(reason.get());
    }
  }

  private static String worklistLine(Worklists.Result w) {
    Worklists.FileCounts c = w.counts();
    String files = String.format(Locale.ROOT, "%d new, %d changed, %d unchanged, %d deleted", c.added(), c.changed(),
        c.unchanged(), c.deleted());
    if (w.mode().equals("full")) {
      return String.format(Locale.ROOT, "full run (%s): %d jobs, %.1f MB to parse; files %s", w.fullReason(),
          w.executedJobs(), w.executedBytes() / 1e6, files);
    }
    return String.format(Locale.ROOT,
        "incremental run on snapshot %s: %d of %d jobs, %.1f of %.1f MB to parse; files %s; %d bucket(s) reused whole",
        w.previousId(), w.executedJobs(), w.plannedJobs(), w.executedBytes() / 1e6, w.plannedBytes() / 1e6, files,
        w.linkedBuckets().size());
  }

  /**
   * Links the previous snapshot's files of buckets that are unchanged into the staging snapshot (a copy where the
   * filesystem cannot link). Table files are never modified in place (writers rename new files over old names),
   * so the two snapshots can share them, and removing either one leaves the other whole.
   */
  static void link(Path previous, Path staging, List<String> files) throws IOException {
    for (String f : files) {
      Path target = staging.resolve(f);
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, previous.resolve(f));
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(previous.resolve(f), target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** Whether {@code dir} holds a published snapshot (used by tests and the CLI summary). */
  static boolean isSnapshot(Path dir) {
    return Files.isRegularFile(dir.resolve("run.json")) && Files.isRegularFile(dir.resolve("plan.json"));
  }
}
