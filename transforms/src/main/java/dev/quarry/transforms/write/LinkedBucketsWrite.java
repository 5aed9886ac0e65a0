package dev.quarry.transforms.write;

import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The write stage of a run with nothing to move: no job to execute, no carried row to read, and every bucket's
 * segments, chunks, symbols and diagnostics files linked whole from the previous snapshot, so only each bucket's
 * {@code files} file is new. The driver writes those directly, with the same rows, order and Parquet writer as
 * {@link WriteBucketFn}: starting a pipeline to do it cost more than all the rest of a no-change rerun (measured in
 * docs/incremental.md).
 */
public final class LinkedBucketsWrite {
  private LinkedBucketsWrite() {}

  /** Whether every bucket of {@code files} is in {@code linkedBuckets} ({@link WriteSnapshotTables#bucketKey}). */
  public static boolean coversAll(List<PlannedFile> files, Set<String> linkedBuckets) {
    return byBucket(files).keySet().stream().allMatch(linkedBuckets::contains);
  }

  /** Writes each bucket's {@code files} file into {@code snapshotDir}; returns their paths relative to it. */
  public static List<String> write(Path snapshotDir, List<PlannedFile> files) throws IOException {
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, List<PlannedFile>> bucket : byBucket(files).entrySet()) {
      String relative = BucketKey.parse(bucket.getKey()).relativeFile(Table.FILES);
      ParquetFiles.write(snapshotDir.resolve(relative), Table.FILES.schema(),
          BucketTables.linkedFiles(bucket.getKey(), bucket.getValue(), List.of(), List.of()),
          ParquetFiles.tableMetadata(Table.FILES));
      written.add(relative);
    }
    return written;
  }

  private static Map<String, List<PlannedFile>> byBucket(List<PlannedFile> files) {
    Map<String, List<PlannedFile>> byBucket = new TreeMap<>();
    for (PlannedFile p : files) {
      byBucket.computeIfAbsent(BucketKey.of(p.getFile().getRepo(), p.getBucket(), p.getBucketCount()),
          k -> new ArrayList<>()).add(p);
    }
    return byBucket;
  }
}
