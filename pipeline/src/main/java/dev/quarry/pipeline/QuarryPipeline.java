package dev.quarry.pipeline;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.transforms.execute.ParseByGrammar;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.write.WriteSnapshotTables;
import java.nio.file.Path;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The Beam pipeline of one extraction: read the plan's jobs and planned files (written by the driver into the
 * staging snapshot), parse by grammar, write the tables. Scan and plan run in the driver before this, so the
 * pipeline's shape and every key in it are fixed by the plan.
 */
public final class QuarryPipeline {
  static final String JOBS = "_plan/jobs.avro";
  static final String PLANNED_FILES = "_plan/files.avro";

  private QuarryPipeline() {}

  public static Pipeline build(PipelineOptions options, Path staging, PlanConfig config) {
    Pipeline p = Pipeline.create(options);
    // Specific (generated-class) Avro coders: AvroIO's default reflects over the classes, several times slower.
    // withHintMatchesManyFiles reads each file in splits of 64 MB: without it DirectRunner keeps splitting these
    // small files dynamically, and every split re-scans for a sync marker with one read(2) per few bytes.
    PCollection<Job> jobs =
        p.apply("ReadJobs", AvroIO.read(Job.class).withCoder(AvroCoder.specific(Job.class))
            .from(staging.resolve(JOBS).toString()).withHintMatchesManyFiles());
    PCollection<PlannedFile> planned =
        p.apply("ReadPlannedFiles", AvroIO.read(PlannedFile.class).withCoder(AvroCoder.specific(PlannedFile.class))
            .from(staging.resolve(PLANNED_FILES).toString()).withHintMatchesManyFiles());
    // Results are spilled by the executor as they are produced; only references reach the writer's GroupByKey.
    String spill = WriteSnapshotTables.spillDir(staging.toString());
    PCollectionTuple.of(WriteSnapshotTables.PLANNED, planned)
        .and(WriteSnapshotTables.SPILLED, jobs.apply("ParseByGrammar", ParseByGrammar.spilling(config, spill)))
        .apply("WriteTables", WriteSnapshotTables.to(staging.toString()));
    return p;
  }
}
