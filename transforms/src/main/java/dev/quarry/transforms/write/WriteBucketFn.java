package dev.quarry.transforms.write;

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
final class WriteBucketFn extends DoFn<KV<String, Iterable<byte[]>>, String> {
  private final Counter filesWritten = Metrics.counter(WriteBucketFn.class, "parquet_files");
  private final Counter rowsWritten = Metrics.counter(WriteBucketFn.class, "rows");
  /** Wall time of the join and the Parquet writes, summed over buckets (the bench reports it as the write stage). */
  private final Counter writeMillis = Metrics.counter(WriteBucketFn.class, "write_ms");

  private final String snapshotDir;
  private final String spillDir;

  WriteBucketFn(String snapshotDir, String spillDir) {
    this.snapshotDir = snapshotDir;
    this.spillDir = spillDir;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<byte[]>> bucket, OutputReceiver<String> out)
      throws IOException {
    long started = System.nanoTime();
    BucketKey key = BucketKey.parse(bucket.getKey());
    List<PlannedFile> planned = new ArrayList<>();
    List<BucketItems.Ref> refs = new ArrayList<>();
    BucketItems.split(bucket.getValue(), planned, refs);
    List<JobResult> results = BucketItems.read(Path.of(spillDir), refs);
    BucketTables t = BucketTables.join(bucket.getKey(), planned, results);
    write(key, Table.FILES, t.files, out);
    write(key, Table.SEGMENTS, t.segments, out);
    write(key, Table.CHUNKS, t.chunks, out);
    write(key, Table.SYMBOLS, t.symbols, out);
    write(key, Table.DIAGNOSTICS, t.diagnostics, out);
    writeMillis.inc((System.nanoTime() - started) / 1_000_000);
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
