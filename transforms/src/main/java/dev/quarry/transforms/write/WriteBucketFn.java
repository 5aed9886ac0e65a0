package dev.quarry.transforms.write;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.io.RowGroupFileWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Writes one bucket's five table files (only {@code files} for a bucket the driver linked whole from the previous
 * snapshot). File names derive from (repo, bucket, bucket count) only, and rows are
 * fully sorted, so a retried bundle rewrites identical bytes under the same names.
 */
final class WriteBucketFn extends DoFn<KV<String, Iterable<byte[]>>, String> {
  private final Counter filesWritten = Metrics.counter(WriteBucketFn.class, "parquet_files");
  private final Counter rowsWritten = Metrics.counter(WriteBucketFn.class, "rows");
  /** Wall time of the join and the Parquet writes, summed over buckets (the bench reports it as the write stage). */
  private final Counter writeMillis = Metrics.counter(WriteBucketFn.class, "write_ms");

  private final Counter carriedRows = Metrics.counter(WriteBucketFn.class, "carried_rows");
  private final Counter carriedFiles = Metrics.counter(WriteBucketFn.class, "carried_table_files");
  /** Groups of files cut in chunks and symbols files ({@link RowGroups}), and how many were copied whole. */
  private final Counter rowGroups = Metrics.counter(WriteBucketFn.class, "file_groups");
  private final Counter copiedRowGroups = Metrics.counter(WriteBucketFn.class, "file_groups_copied");

  private final String snapshotDir;
  /** Where the executor spilled the job results ({@link BucketItems}). */
  private final String spillDir;
  /** Buckets whose segments, chunks, symbols and diagnostics files the driver linked from the previous snapshot. */
  private final Set<String> linkedBuckets;
  /** The previous snapshot's directory (null in a full run). */
  private final String previousDir;

  WriteBucketFn(String snapshotDir, String spillDir, Set<String> linkedBuckets, String previousDir) {
    this.snapshotDir = snapshotDir;
    this.spillDir = spillDir;
    this.linkedBuckets = Set.copyOf(linkedBuckets);
    this.previousDir = previousDir;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<byte[]>> bucket, OutputReceiver<String> out)
      throws IOException {
    long started = System.nanoTime();
    BucketKey key = BucketKey.parse(bucket.getKey());
    List<PlannedFile> planned = new ArrayList<>();
    List<BucketItems.Ref> refs = new ArrayList<>();
    List<String> carried = new ArrayList<>();
    BucketItems.split(bucket.getValue(), planned, refs, carried);
    if (planned.isEmpty() && refs.isEmpty()) {
      // Only rows of files that are gone (deleted or renamed since the previous snapshot) landed here: a bucket
      // exists only when the plan puts a file in it.
      return;
    }
    List<JobResult> results = BucketItems.read(Path.of(spillDir), refs);
    if (linkedBuckets.contains(bucket.getKey())) {
      // The other four tables' files are the previous snapshot's, linked by the driver: only files is new.
      write(key, Table.FILES, BucketTables.linkedFiles(bucket.getKey(), planned, results, carried), out);
      writeMillis.inc((System.nanoTime() - started) / 1_000_000);
      return;
    }
    PreviousBucket previous = PreviousBucket.read(previousDir, key, carried);
    Map<String, RowGroups> groups = new HashMap<>();
    for (Table table : PreviousBucket.GROUPED) {
      groups.put(table.dirName(), previous.rowGroups(table, planned));
    }
    BucketTables t = BucketTables.join(bucket.getKey(), planned, results, readCarried(planned, carried, groups));
    write(key, Table.FILES, t.files, out);
    write(key, Table.SEGMENTS, t.segments, out);
    write(key, Table.CHUNKS, t.chunks, ChunkRow::getPath, groups.get(Table.CHUNKS.dirName()), previous, out);
    write(key, Table.SYMBOLS, t.symbols, SymbolRow::getPath, groups.get(Table.SYMBOLS.dirName()), previous, out);
    write(key, Table.DIAGNOSTICS, t.diagnostics, out);
    writeMillis.inc((System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Streams the rows this bucket carries out of the previous snapshot's table files: only rows of its planned files
   * whose jobs carry that table and whose row group is not copied whole (rows of files that are gone, or of other
   * buckets when the bucket count changed, are skipped as they are read; a file none of whose rows are needed is not
   * read).
   */
  private BucketTables.Carried readCarried(List<PlannedFile> planned, List<String> files, Map<String, RowGroups> groups)
      throws IOException {
    BucketTables.Carried carried = new BucketTables.Carried();
    if (files.isEmpty()) {
      return carried;
    }
    if (previousDir == null) {
      throw new IllegalStateException("rows to carry from " + files + " but no previous snapshot was given");
    }
    Collections.sort(files);
    for (String f : files) {
      Path file = Path.of(previousDir).resolve(f);
      String table = file.getParent().getParent().getFileName().toString();
      RowGroups grouped = groups.get(table);
      Set<String> paths = new HashSet<>();
      for (PlannedFile p : planned) {
        if (BucketTables.carries(p, table) && (grouped == null || !grouped.copied(p.getFile().getPath()))) {
          paths.add(p.getFile().getPath());
        }
      }
      if (paths.isEmpty()) {
        continue;
      }
      long rows;
      if (table.equals(Table.SEGMENTS.dirName())) {
        rows = carry(file, SegmentRow.class, paths, carried::add);
      } else if (table.equals(Table.CHUNKS.dirName())) {
        rows = carry(file, ChunkRow.class, paths, carried::add);
      } else if (table.equals(Table.SYMBOLS.dirName())) {
        rows = carry(file, SymbolRow.class, paths, carried::add);
      } else if (table.equals(Table.DIAGNOSTICS.dirName())) {
        rows = carry(file, DiagnosticRow.class, paths, carried::add);
      } else {
        throw new IOException(file + ": rows of table '" + table + "' are never carried");
      }
      carriedFiles.inc();
      carriedRows.inc(rows);
    }
    return carried;
  }

  /** Streams {@code file}'s rows of the files in {@code paths} into {@code sink}; returns how many there were. */
  private static <T extends SpecificRecord> long carry(Path file, Class<T> type, Set<String> paths,
      Consumer<T> sink) throws IOException {
    long[] rows = {0};
    ParquetFiles.read(file, type, "path", paths, r -> {
      sink.accept(r);
      rows[0]++;
    });
    return rows[0];
  }

  /** Writes a table whose row groups are cut by {@link RowGroups}, copying the ones it can from the previous file. */
  private <T extends SpecificRecord> void write(BucketKey key, Table table, List<T> rows, Function<T, String> path,
      RowGroups groups, PreviousBucket previous, OutputReceiver<String> out) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>(ParquetFiles.tableMetadata(table));
    metadata.put(RowGroups.METADATA_KEY, RowGroups.LAYOUT);
    try (RowGroupFileWriter writer = new RowGroupFileWriter(
        Path.of(snapshotDir).resolve(key.relativeFile(table)), table.schema(), metadata)) {
      groups.write(writer, rows, path, previous.source(table));
      writer.commit();
    }
    copiedRowGroups.inc(groups.copiedGroups());
    rowGroups.inc(groups.groups());
    filesWritten.inc();
    rowsWritten.inc(rows.size());
    out.output(key.relativeFile(table));
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
