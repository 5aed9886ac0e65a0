package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Writes one bucket's five table files. File names derive from (repo, bucket, bucket count) only, and rows are
 * fully sorted, so a retried bundle rewrites identical bytes under the same names.
 */
final class WriteBucketFn extends DoFn<KV<String, CoGbkResult>, String> {
  private final Counter filesWritten = Metrics.counter(WriteBucketFn.class, "parquet_files");
  private final Counter rowsWritten = Metrics.counter(WriteBucketFn.class, "rows");

  private final String snapshotDir;
  private final TupleTag<PlannedFile> plannedTag;
  private final TupleTag<JobResult> resultTag;

  WriteBucketFn(String snapshotDir, TupleTag<PlannedFile> plannedTag, TupleTag<JobResult> resultTag) {
    this.snapshotDir = snapshotDir;
    this.plannedTag = plannedTag;
    this.resultTag = resultTag;
  }

  @ProcessElement
  public void processElement(@Element KV<String, CoGbkResult> bucket, OutputReceiver<String> out) throws IOException {
    BucketKey key = BucketKey.parse(bucket.getKey());
    BucketTables t = BucketTables.join(bucket.getKey(), bucket.getValue().getAll(plannedTag), bucket.getValue().getAll(resultTag));
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
