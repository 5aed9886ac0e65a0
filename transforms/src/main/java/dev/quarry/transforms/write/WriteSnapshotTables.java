package dev.quarry.transforms.write;

import dev.quarry.schemas.BucketItem;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Create;
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
 * Write stage: planned files, job results and the previous snapshot's table files holding carried rows meet per
 * (repo, bucket) in one GroupByKey, and each bucket is written once as sorted Parquet files into the staging
 * snapshot directory. Tables are written once per run, never per file. Outputs the relative paths of the files
 * written.
 *
 * <p>All inputs travel as one union type through a single GroupByKey so that each group is iterated exactly
 * once: Flink's batch GroupByKey results cannot be re-iterated, and a CoGroupByKey re-iterates large groups.
 * Carried rows travel by reference (the previous table file that holds them): the writer of a bucket streams them
 * from there, so they are read once and never serialized through the shuffle.
 */
public final class WriteSnapshotTables extends PTransform<PCollectionTuple, PCollection<String>> {
  public static final TupleTag<PlannedFile> PLANNED = new TupleTag<>("planned");
  public static final TupleTag<JobResult> RESULTS = new TupleTag<>("results");

  private final String snapshotDir;
  private final Set<String> linkedBuckets;
  private final String previousDir;
  private final Map<String, List<String>> carried;

  private WriteSnapshotTables(
      String snapshotDir, Set<String> linkedBuckets, String previousDir, Map<String, List<String>> carried) {
    this.snapshotDir = snapshotDir;
    this.linkedBuckets = Set.copyOf(linkedBuckets);
    this.previousDir = previousDir;
    this.carried = new TreeMap<>(carried);
  }

  /** @param snapshotDir the staging snapshot directory, on a filesystem every worker can reach */
  public static WriteSnapshotTables to(String snapshotDir) {
    return new WriteSnapshotTables(snapshotDir, Set.of(), null, Map.of());
  }

  /**
   * As {@link #to(String)}, for a run that builds on a previous snapshot.
   *
   * @param linkedBuckets keys ({@link #bucketKey}) of buckets whose segments, chunks, symbols and diagnostics files
   *     the driver linked from the previous snapshot: only their {@code files} file is written
   * @param previousDir the previous snapshot's directory, on a filesystem every worker can reach
   * @param carried per bucket key, the previous snapshot's table files (relative to it) holding rows the bucket's
   *     planned files carry
   */
  public static WriteSnapshotTables to(String snapshotDir, Set<String> linkedBuckets, String previousDir,
      Map<String, List<String>> carried) {
    return new WriteSnapshotTables(snapshotDir, linkedBuckets, previousDir, carried);
  }

  /** The writer's key of a bucket. */
  public static String bucketKey(String repo, int bucket, int count) {
    return BucketKey.of(repo, bucket, count);
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
    PCollectionList<KV<String, BucketItem>> items = PCollectionList.of(planned).and(results);
    if (!carried.isEmpty()) {
      List<KV<String, BucketItem>> refs = new ArrayList<>();
      carried.forEach((bucket, files) -> files.forEach(f -> refs.add(KV.of(bucket, new BucketItem(null, null, f)))));
      items = items.and(input.getPipeline().apply("CarriedTableFiles", Create.of(refs).withCoder(coder)));
    }
    return items
        .apply("FlattenBucketItems", Flatten.pCollections())
        .apply("GroupByBucket", GroupByKey.create())
        .apply("WriteBucket", ParDo.of(new WriteBucketFn(snapshotDir, linkedBuckets, previousDir)));
  }

  private static KV<String, BucketItem> plannedItem(PlannedFile p) {
    return KV.of(BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()), new BucketItem(p, null, null));
  }

  private static KV<String, BucketItem> resultItem(JobResult r) {
    return KV.of(BucketKey.of(r.getRepo(), r.getBucket(), r.getBucketCount()), new BucketItem(null, r, null));
  }

  /** Where a bucket's file of {@code table} goes, relative to the snapshot directory. */
  public static String relativeFile(String repo, int bucket, int count, Table table) {
    return new BucketKey(repo, bucket, count).relativeFile(table);
  }
}
