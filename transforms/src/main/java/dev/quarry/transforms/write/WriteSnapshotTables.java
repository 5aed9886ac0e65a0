package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Write stage: planned files and job results meet per (repo, bucket) in one CoGroupByKey, and each bucket is
 * written once as sorted Parquet files into the staging snapshot directory. Tables are written once per run,
 * never per file. Outputs the relative paths of the files written.
 */
public final class WriteSnapshotTables extends PTransform<PCollectionTuple, PCollection<String>> {
  public static final TupleTag<PlannedFile> PLANNED = new TupleTag<>("planned");
  public static final TupleTag<JobResult> RESULTS = new TupleTag<>("results");

  private final String snapshotDir;

  private WriteSnapshotTables(String snapshotDir) {
    this.snapshotDir = snapshotDir;
  }

  /** @param snapshotDir the staging snapshot directory, on a filesystem every worker can reach */
  public static WriteSnapshotTables to(String snapshotDir) {
    return new WriteSnapshotTables(snapshotDir);
  }

  @Override
  public PCollection<String> expand(PCollectionTuple input) {
    PCollection<PlannedFile> planned = input.get(PLANNED);
    PCollection<JobResult> results = input.get(RESULTS);
    return KeyedPCollectionTuple.of(
            PLANNED,
            planned.apply("KeyFilesByBucket",
                WithKeys.of((PlannedFile p) -> BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()))
                    .withKeyType(TypeDescriptors.strings())))
        .and(
            RESULTS,
            results.apply("KeyResultsByBucket",
                WithKeys.of((JobResult r) -> BucketKey.of(r.getRepo(), r.getBucket(), r.getBucketCount()))
                    .withKeyType(TypeDescriptors.strings())))
        .apply("GroupByBucket", CoGroupByKey.create())
        .apply("WriteBucket", ParDo.of(new WriteBucketFn(snapshotDir, PLANNED, RESULTS)));
  }
}
