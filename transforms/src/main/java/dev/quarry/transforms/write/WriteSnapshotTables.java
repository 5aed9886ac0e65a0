package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import java.nio.file.Path;
import org.apache.beam.sdk.coders.ByteArrayCoder;
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
 * <p>Job results do not travel through the GroupByKey: {@link SpillResultsFn} appends them to spill files under
 * {@code <snapshot>/}{@value #SPILL_DIR} and only references (file, offset, length) are grouped, next to the planned
 * files ({@link BucketItems}). A bucket's results are read back when it is written, so memory is bounded by the
 * largest bucket, not by the corpus (DirectRunner holds a GroupByKey's whole input in memory). The driver deletes
 * {@code _plan/} before publishing.
 *
 * <p>Both inputs travel as one value type through a single GroupByKey so that each group is iterated exactly
 * once: Flink's batch GroupByKey results cannot be re-iterated, and a CoGroupByKey re-iterates large groups.
 */
public final class WriteSnapshotTables extends PTransform<PCollectionTuple, PCollection<String>> {
  public static final TupleTag<PlannedFile> PLANNED = new TupleTag<>("planned");
  public static final TupleTag<JobResult> RESULTS = new TupleTag<>("results");
  /** Job results already spilled by the executor ({@code ParseByGrammar.spilling}): (bucket key, reference). */
  public static final TupleTag<KV<String, byte[]>> SPILLED = new TupleTag<>("spilled");
  /** Spill files of job results, relative to the snapshot directory; removed with the plan files. */
  public static final String SPILL_DIR = "_plan/results";

  private final String snapshotDir;

  private WriteSnapshotTables(String snapshotDir) {
    this.snapshotDir = snapshotDir;
  }

  /** @param snapshotDir the staging snapshot directory, on a filesystem every worker can reach */
  public static WriteSnapshotTables to(String snapshotDir) {
    return new WriteSnapshotTables(snapshotDir);
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
            .apply("KeyFilesByBucket", MapElements.into(keyed).via(WriteSnapshotTables::plannedItem))
            .setCoder(coder));
    if (input.has(RESULTS)) {
      items = items.and(input.get(RESULTS).apply("SpillResults", ParDo.of(new SpillResultsFn(spillDir))).setCoder(coder));
    }
    if (input.has(SPILLED)) {
      items = items.and(input.get(SPILLED));
    }
    return items
        .apply("FlattenBucketItems", Flatten.pCollections())
        .apply("GroupByBucket", GroupByKey.create())
        .apply("WriteBucket", ParDo.of(new WriteBucketFn(snapshotDir, spillDir)));
  }

  private static KV<String, byte[]> plannedItem(PlannedFile p) {
    return KV.of(BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()), BucketItems.planned(p));
  }
}
