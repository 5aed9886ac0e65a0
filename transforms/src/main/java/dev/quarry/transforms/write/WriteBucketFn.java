package dev.quarry.transforms.write;

import dev.quarry.schemas.BucketItem;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one bucket's five table files. File names derive from (repo, bucket, bucket count) only, and rows are
 * fully sorted, so a retried bundle rewrites identical bytes under the same names.
 */
final class WriteBucketFn extends DoFn<KV<String, Iterable<BucketItem>>, String> {
  private final Counter filesWritten = Metrics.counter(WriteBucketFn.class, "parquet_files");
  private final Counter rowsWritten = Metrics.counter(WriteBucketFn.class, "rows");

  private final String snapshotDir;

  WriteBucketFn(String snapshotDir) {
    this.snapshotDir = snapshotDir;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<BucketItem>> bucket, OutputReceiver<String> out)
      throws IOException {
    BucketKey key = BucketKey.parse(bucket.getKey());
    List<PlannedFile> planned = new ArrayList<>();
    List<JobResult> results = new ArrayList<>();
    for (BucketItem item : bucket.getValue()) {
      if (item.getPlanned() != null) {
        planned.add(item.getPlanned());
      } else {
        results.add(item.getResult());
      }
    }
    BucketTables t = BucketTables.join(bucket.getKey(), planned, results);
    write(key, Table.FILES, t.files, out);
    write(key, Table.SEGMENTS, t.segments, out);
    write(key, Table.CHUNKS, t.chunks, out);
    write(key, Table.SYMBOLS, t.symbols, out);
    write(key, Table.DIAGNOSTICS, t.diagnostics, out);
  }

  private void write(BucketKey key, Table table, List<? extends SpecificRecord> rows, OutputReceiver<String> out)
      throws IOException {
    Path file = Path.of(snapshotDir).resolve(key.relativeFile(table));
    ParquetFiles.write(file, table.schema(), rows, ParquetFiles.tableMetadata(table));
    filesWritten.inc();
    rowsWritten.inc(rows.size());
    out.output(key.relativeFile(table));
  }
}
