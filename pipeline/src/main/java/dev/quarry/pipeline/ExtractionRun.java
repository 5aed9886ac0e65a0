package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.Grammars;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.publish.SnapshotStore;
import dev.quarry.transforms.publish.TableDigests;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import dev.quarry.transforms.segment.Segmenters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The driver of one extraction: manifest, plan, pipeline, checks, publish. Everything before the switch of
 * {@code CURRENT} happens in a staging directory, so any failure leaves the published snapshot as it was.
 */
public final class ExtractionRun {
  /**
   * @param strictDirectRunner keep DirectRunner's immutability and encodability checks (tests); production runs
   *     turn them off because they copy and re-encode every element
   */
  public record Request(
      Manifests.Source source,
      Path out,
      PlanConfig config,
      int keepSnapshots,
      List<String> beamArgs,
      boolean strictDirectRunner,
      PrintStream console,
      boolean terminal) {}

  /** What the run published. */
  public record Outcome(
      String snapshotId,
      Path snapshotDir,
      String planHash,
      Map<String, Long> filesByStatus,
      Map<String, TableDigest> tables,
      RunReport report) {}

  private ExtractionRun() {}

  public static Outcome run(Request request) throws Exception {
    return run(request, Segmenters.standard());
  }

  /** @param segmenters how containers are segmented (tests inject faulty segmenters to prove strictness) */
  static Outcome run(Request request, Segmenters segmenters) throws Exception {
    RunReport report = new RunReport();
    GrammarRegistry grammars = GrammarRegistry.get();
    // Fail fast on a corrupt or incompatible grammar build, before any work starts.
    Grammars.verifyAll();
    try (SnapshotStore store = SnapshotStore.open(request.out())) {
      long t0 = System.nanoTime();
      List<ManifestRow> manifest = request.source().load(store, grammars);
      report.stage("scan", t0);

      long t1 = System.nanoTime();
      Plan plan = new Planner(request.config(), grammars, segmenters).plan(manifest);
      report.stage("plan", t1);

      SnapshotStore.Staging staging = store.stage(plan.summary().planHash());
      try {
        PlanJson.write(plan.summary(), staging.dir().resolve("plan.json"));
        PlanFiles.write(staging.dir().resolve(QuarryPipeline.JOBS), Job.class, plan.jobs());
        PlanFiles.write(staging.dir().resolve(QuarryPipeline.PLANNED_FILES), PlannedFile.class, plan.files());

        long t2 = System.nanoTime();
        PipelineOptions options = RunnerOptions.create(request.beamArgs(), request.strictDirectRunner());
        PipelineResult result = QuarryPipeline.build(options, staging.dir(), request.config()).run();
        Progress progress = new Progress(request.console(), request.terminal(), plan.summary().jobs(),
            plan.summary().plannedBytes());
        PipelineResult.State state = progress.follow(result);
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the pipeline ended in state " + state + "; nothing was published");
        }
        report.stage("execute_and_write", t2);
        report.metrics(result);

        long t3 = System.nanoTime();
        SnapshotStore.deleteTree(staging.dir().resolve("_plan"));
        Map<String, TableDigest> tables = TableDigests.of(staging.dir());
        Map<String, Long> byStatus = checkAccounting(staging.dir(), tables, manifest.size());
        report.stage("verify", t3);
        report.writeRunJson(staging.dir().resolve("run.json"), plan, tables, byStatus, grammars);
        Path published = store.publish(staging);
        store.retain(request.keepSnapshots());
        return new Outcome(staging.id(), published, plan.summary().planHash(), byStatus, tables, report);
      } catch (Exception | Error e) {
        store.discard(staging);
        throw e;
      }
    }
  }

  /** Every manifest file appears exactly once in {@code files}; otherwise nothing is published. */
  private static Map<String, Long> checkAccounting(Path snapshot, Map<String, TableDigest> tables, long manifestRows)
      throws IOException {
    Map<String, Long> byStatus = new TreeMap<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    long[] duplicates = {0};
    for (String f : tables.get("files").files()) {
      ParquetFiles.read(snapshot.resolve(f), FileRow.class, row -> {
        byStatus.merge(row.getStatus(), 1L, Long::sum);
        if (!seen.add(row.getRepo() + '\0' + row.getPath())) {
          duplicates[0]++;
        }
      });
    }
    long rows = tables.get("files").rows();
    if (rows != manifestRows || duplicates[0] > 0) {
      throw new IllegalStateException(
          "accounting check failed: the manifest lists " + manifestRows + " files but the files table has " + rows
              + " rows (" + duplicates[0] + " duplicates). Nothing was published; this is a Quarry bug, please report it.");
    }
    return byStatus;
  }

  /** Whether {@code dir} holds a published snapshot (used by tests and the CLI summary). */
  static boolean isSnapshot(Path dir) {
    return Files.isRegularFile(dir.resolve("run.json")) && Files.isRegularFile(dir.resolve("plan.json"));
  }
}
