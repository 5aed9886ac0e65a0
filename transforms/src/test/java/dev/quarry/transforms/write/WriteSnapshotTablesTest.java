package dev.quarry.transforms.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedBucket;
import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.io.ParquetFiles;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WriteSnapshotTables on its own: five sorted table files per bucket, under deterministic names. */
class WriteSnapshotTablesTest {
  @TempDir Path snapshot;

  @Test
  void writesEveryTableOfEveryBucket() throws Exception {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    PCollection<PlannedBucket> planned = p.apply("Planned", Create.of(WriteSnapshotTables.plannedBuckets(List.of(
            BucketTablesTest.planned("b.java", 1, null), BucketTablesTest.planned("a.java", 1, null),
            BucketTablesTest.planned("big.java", 0, Reasons.OVER_FILE_CAP))))
        .withCoder(AvroCoder.of(PlannedBucket.class)));
    PCollection<JobResult> results = p.apply("Results", Create.of(List.of(
            BucketTablesTest.result("a.java", null), BucketTablesTest.result("b.java", null)))
        .withCoder(AvroCoder.of(JobResult.class)));
    PCollection<String> written = PCollectionTuple.of(WriteSnapshotTables.PLANNED, planned)
        .and(WriteSnapshotTables.RESULTS, results)
        .apply(WriteSnapshotTables.to(snapshot.toString()));
    PAssert.that(written).containsInAnyOrder(
        "files/repo=r/part-00000-of-00001.parquet",
        "segments/repo=r/part-00000-of-00001.parquet",
        "chunks/repo=r/part-00000-of-00001.parquet",
        "symbols/repo=r/part-00000-of-00001.parquet",
        "diagnostics/repo=r/part-00000-of-00001.parquet");
    p.run().waitUntilFinish();
    List<FileRow> files = ParquetFiles.readAll(snapshot.resolve("files/repo=r/part-00000-of-00001.parquet"), FileRow.class);
    assertEquals(List.of("a.java", "b.java", "big.java"), files.stream().map(FileRow::getPath).toList());
  }
}
