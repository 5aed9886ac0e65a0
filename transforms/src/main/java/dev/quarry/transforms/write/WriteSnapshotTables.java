package dev.quarry.transforms.write;

import dev.quarry.schemas.BucketItem;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Write stage: planned files and job results meet per (repo, bucket) in one GroupByKey, and each bucket is
 * written once as sorted Parquet files into the staging snapshot directory. Tables are written once per run,
 * never per file. Outputs the relative paths of the files written.
 *
 * <p>Both inputs travel as one union type through a single GroupByKey so that each group is iterated exactly
 * once: Flink's batch GroupByKey results cannot be re-iterated, and a CoGroupByKey re-iterates large groups.
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
    TypeDescriptor<KV<String, BucketItem>> keyed =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(BucketItem.class));
    KvCoder<String, BucketItem> coder = KvCoder.of(StringUtf8Coder.of(), AvroCoder.of(BucketItem.class));
    PCollection<KV<String, BucketItem>> planned =
        input.get(PLANNED)
            .apply("KeyFilesByBucket", MapElements.into(keyed).via(WriteSnapshotTables::plannedItem))
            .setCoder(coder);
    PCollection<KV<String, BucketItem>> results =
        input.get(RESULTS)
            .apply("KeyResultsByBucket", MapElements.into(keyed).via(WriteSnapshotTables::resultItem))
            .setCoder(coder);
    return PCollectionList.of(planned).and(results)
        .apply("FlattenBucketItems", Flatten.pCollections())
        .apply("GroupByBucket", GroupByKey.create())
        .apply("WriteBucket", ParDo.of(new WriteBucketFn(snapshotDir)));
  }

  private static KV<String, BucketItem> plannedItem(PlannedFile p) {
    return KV.of(BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()), new BucketItem(p, null));
  }

  private static KV<String, BucketItem> resultItem(JobResult r) {
    return KV.of(BucketKey.of(r.getRepo(), r.getBucket(), r.getBucketCount()), new BucketItem(null, r));
  }
}
