package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedBucket;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.ByteArrayCoder;
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
 * <p>Job results do not travel through the GroupByKey: {@link SpillResultsFn} appends them to spill files under
 * {@code <snapshot>/}{@value #SPILL_DIR} and only references (file, offset, length) are grouped, next to the planned
 * files ({@link BucketItems}). A bucket's results are read back when it is written, so memory is bounded by the
 * largest bucket, not by the corpus (DirectRunner holds a GroupByKey's whole input in memory). The driver deletes
 * {@code _plan/} before publishing.
 *
 * <p>All inputs travel as one value type through a single GroupByKey so that each group is iterated exactly
 * once: Flink's batch GroupByKey results cannot be re-iterated, and a CoGroupByKey re-iterates large groups.
 * Carried rows travel by reference (the previous table file that holds them): the writer of a bucket streams them
 * from there, so they are read once and never serialized through the shuffle.
 */
public final class WriteSnapshotTables extends PTransform<PCollectionTuple, PCollection<String>> {
  /** The planned files, one element per bucket ({@link #plannedBuckets}). */
  public static final TupleTag<PlannedBucket> PLANNED = new TupleTag<>("planned");
  public static final TupleTag<JobResult> RESULTS = new TupleTag<>("results");
  /** Job results already spilled by the executor ({@code ParseByGrammar.spilling}): (bucket key, reference). */
  public static final TupleTag<KV<String, byte[]>> SPILLED = new TupleTag<>("spilled");
  /** Spill files of job results, relative to the snapshot directory; removed with the plan files. */
  public static final String SPILL_DIR = "_plan/results";

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

  /** Where job results are spilled for the snapshot being written to {@code snapshotDir}. */
  public static String spillDir(String snapshotDir) {
    return Path.of(snapshotDir).resolve(SPILL_DIR).toString();
  }

  @Override
  public PCollection<String> expand(PCollectionTuple input) {
    TypeDescriptor<KV<String, byte[]>> keyed =
        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptor.of(byte[].class));
    KvCoder<String, byte[]> coder = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());
    String spillDir = spillDir(snapshotDir);
    PCollectionList<KV<String, byte[]>> items = PCollectionList.of(
        input.get(PLANNED)
            .apply("KeyPlannedBuckets", MapElements.into(keyed)
                .via((PlannedBucket b) -> KV.of(b.getBucketKey(), BucketItems.planned(b))))
            .setCoder(coder));
    if (input.has(RESULTS)) {
      items = items.and(input.get(RESULTS).apply("SpillResults", ParDo.of(new SpillResultsFn(spillDir))).setCoder(coder));
    }
    if (input.has(SPILLED)) {
      items = items.and(input.get(SPILLED));
    }
    if (!carried.isEmpty()) {
      List<KV<String, byte[]>> refs = new ArrayList<>();
      carried.forEach((bucket, files) -> files.forEach(f -> refs.add(KV.of(bucket, BucketItems.carried(f)))));
      items = items.and(input.getPipeline().apply("CarriedTableFiles", Create.of(refs).withCoder(coder)));
    }
    return items
        .apply("FlattenBucketItems", Flatten.pCollections())
        .apply("GroupByBucket", GroupByKey.create())
        .apply("WriteBucket", ParDo.of(new WriteBucketFn(snapshotDir, spillDir, linkedBuckets, previousDir)));
  }

  /**
   * The planned files grouped by bucket, in bucket key order, each bucket's files in the order given: the planned
   * input of this transform. A bucket travels to its writer as one element, so a corpus of tens of thousands of files
   * costs the runner a few dozen elements until the GroupByKey, not one per file.
   */
  public static List<PlannedBucket> plannedBuckets(List<PlannedFile> files) {
    Map<String, List<PlannedFile>> byBucket = new TreeMap<>();
    for (PlannedFile p : files) {
      byBucket.computeIfAbsent(BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()),
          k -> new ArrayList<>()).add(p);
    }
    List<PlannedBucket> buckets = new ArrayList<>(byBucket.size());
    byBucket.forEach((key, list) -> buckets.add(new PlannedBucket(key, list)));
    return buckets;
  }

  /** Where a bucket's file of {@code table} goes, relative to the snapshot directory. */
  public static String relativeFile(String repo, int bucket, int count, Table table) {
    return new BucketKey(repo, bucket, count).relativeFile(table);
  }
}
