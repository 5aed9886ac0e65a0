package dev.quarry.pipeline;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.PlannedBucket;
import dev.quarry.transforms.execute.ParseByGrammar;
import dev.quarry.transforms.incremental.Worklists;
import dev.quarry.transforms.io.ReadAvroFile;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.write.WriteSnapshotTables;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The Beam pipeline of one extraction: read the plan's jobs and planned files (written by the driver into the
 * staging snapshot), parse by grammar, and join planned files, results and the previous snapshot's table files
 * that hold carried rows per output bucket to write the tables. Scan, plan and worklists run in the driver before this, so the pipeline's
 * shape and every key in it are fixed by the plan.
 */
public final class QuarryPipeline {
  static final String JOBS = "_plan/jobs.avro";
  static final String PLANNED_FILES = "_plan/files.avro";

  private QuarryPipeline() {}

  /** A full run's pipeline: every job of the plan files is executed, nothing is carried. */
  public static Pipeline build(PipelineOptions options, Path staging, PlanConfig config) {
    return build(options, staging, config, WriteSnapshotTables.to(staging.toString()));
  }

  /**
   * The pipeline of a run with its worklists: the jobs in the plan files are the ones to execute; the writer of
   * each bucket reads the rows its files carry from the previous snapshot's table files the worklists name.
   */
  public static Pipeline build(PipelineOptions options, Path staging, PlanConfig config, Worklists.Result work,
      Optional<Path> previous) {
    return build(options, staging, config, WriteSnapshotTables.to(staging.toString(), work.linkedBuckets(),
        previous.map(Path::toString).orElse(null), work.carried()));
  }

  private static Pipeline build(PipelineOptions options, Path staging, PlanConfig config, WriteSnapshotTables write) {
    Pipeline p = Pipeline.create(options);
    PCollection<Job> jobs = p.apply("ReadJobs", ReadAvroFile.of(Job.class, staging.resolve(JOBS).toString()));
    PCollection<PlannedBucket> planned =
        p.apply("ReadPlannedBuckets", ReadAvroFile.of(PlannedBucket.class, staging.resolve(PLANNED_FILES).toString()));
    // Results are spilled by the executor as they are produced; only references reach the writer's GroupByKey.
    String spill = WriteSnapshotTables.spillDir(staging.toString());
    PCollectionTuple.of(WriteSnapshotTables.PLANNED, planned)
        .and(WriteSnapshotTables.SPILLED, jobs.apply("ParseByGrammar", ParseByGrammar.spilling(config, spill)))
        .apply("WriteTables", write);
    return p;
  }
}
