package dev.quarry.transforms.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.Table;
import dev.quarry.schemas.TokenBucket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quarry reads back every table it writes (the accounting check, the next run's join, tests). */
class ParquetFilesReadBackTest {
  @TempDir Path tmp;

  /** token_buckets is a list of structs, written as a three-level list for Spark, Trino and DuckDB. */
  @Test
  void chunksWithTokenBucketsReadBack() throws Exception {
    ChunkRow chunk = ChunkRow.newBuilder().setRepo("r").setPath("p").setSegmentUid("s").setChunkUid("c")
        .setStartByte(0).setEndByte(10).setLocalStartByte(0).setLocalEndByte(10).setStartLine(1).setEndLine(1)
        .setKind("code").setName(null).setLanguage("python")
        .setTokenBuckets(List.of(new TokenBucket(0, 1, "identifier"), new TokenBucket(2, 3, "operator")))
        .build();
    ChunkRow empty = ChunkRow.newBuilder(chunk).setChunkUid("d").setTokenBuckets(List.of()).build();
    Path file = tmp.resolve("chunks.parquet");
    ParquetFiles.write(file, ChunkRow.getClassSchema(), List.of(chunk, empty), ParquetFiles.tableMetadata(Table.CHUNKS));
    assertEquals(List.of(chunk, empty), ParquetFiles.readAll(file, ChunkRow.class));
  }

  /**
   * A repo whose every file is skipped (all binary, all links, all outside the root...) still gets a part file per
   * table, with no rows.
   */
  @Test
  void aTableFileWithoutRowsReadsAsEmpty() throws Exception {
    Path segments = tmp.resolve("segments.parquet");
    ParquetFiles.write(segments, SegmentRow.getClassSchema(), List.<SegmentRow>of(),
        ParquetFiles.tableMetadata(Table.SEGMENTS));
    assertEquals(List.of(), ParquetFiles.readAll(segments, SegmentRow.class));
  }
}
