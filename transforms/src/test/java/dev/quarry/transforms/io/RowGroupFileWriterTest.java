package dev.quarry.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.Table;
import dev.quarry.schemas.TokenBucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowGroupFileWriterTest {
  @TempDir Path tmp;

  @Test
  void aFileAssembledFromCopiedRowGroupsEqualsOneEncodedAfresh() throws Exception {
    List<DiagnosticRow> first = rows("a", 50);
    List<DiagnosticRow> second = rows("b", 70);
    Path encoded = tmp.resolve("encoded.parquet");
    try (RowGroupFileWriter out = new RowGroupFileWriter(encoded, Table.DIAGNOSTICS.schema(), Map.of("k", "v"))) {
      out.encode(first);
      out.encode(List.of());
      out.encode(second);
      out.commit();
    }
    // The same row groups, the second encoded into another file first, then both copied.
    Path other = tmp.resolve("other.parquet");
    try (RowGroupFileWriter out = new RowGroupFileWriter(other, Table.DIAGNOSTICS.schema(), Map.of())) {
      out.encode(rows("z", 3));
      out.encode(second);
      out.commit();
    }
    Path copied = tmp.resolve("copied.parquet");
    RowGroupSource a = RowGroupSource.open(encoded);
    RowGroupSource b = RowGroupSource.open(other);
    try (RowGroupFileWriter out = new RowGroupFileWriter(copied, Table.DIAGNOSTICS.schema(), Map.of("k", "v"))) {
      out.append(a, 0);
      out.append(b, 1);
      out.commit();
    }
    assertEquals(new RowGroupSource.Range("a/000", "a/049"), a.range(0, "path").orElseThrow());
    assertEquals("v", a.metadata().get("k"));
    assertArrayEquals(Files.readAllBytes(encoded), Files.readAllBytes(copied));
    List<DiagnosticRow> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(all, ParquetFiles.readAll(copied, DiagnosticRow.class));
    // No page indexes, copied or encoded; the footer's row-group statistics remain.
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(copied))) {
      assertEquals(2, reader.getRowGroups().size());
      for (BlockMetaData block : reader.getRowGroups()) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          assertNull(reader.readOffsetIndex(chunk), chunk.getPath().toDotString());
          assertNull(reader.readColumnIndex(chunk), chunk.getPath().toDotString());
        }
        assertFalse(block.getColumns().get(1).getStatistics().isEmpty(), "path statistics");
      }
    }
  }

  @Test
  void theFooterDoesNotDependOnTheOrderTheCallersMapIterates() throws Exception {
    // Map.of iterates in an order salted per JVM, so two runs would otherwise write different footers.
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    List<byte[]> files = new ArrayList<>();
    for (Map<String, String> metadata : List.of(ab, ba)) {
      Path file = tmp.resolve(files.size() + ".parquet");
      try (RowGroupFileWriter out = new RowGroupFileWriter(file, Table.DIAGNOSTICS.schema(), metadata)) {
        out.encode(rows("a", 2));
        out.commit();
      }
      files.add(Files.readAllBytes(file));
    }
    assertArrayEquals(files.get(0), files.get(1));
  }

  @Test
  void rowsCopiedValueByValueEncodeLikeTheRecords() throws Exception {
    // Chunks rows have a nested list (some empty) and a nullable column: the copy must give each column the values
    // and levels, in the order, that writing the records gives it, whichever rows of a group are copied.
    // In String order, as rows are sorted; Parquet's statistics order the second and third the other way round
    // (UTF-8 bytes), which must not matter.
    Random random = new Random(7);
    List<String> paths = List.of("a", "b\uD83D\uDE00", "b\uE000", "d", "e", "f");
    List<ChunkRow> rows = new ArrayList<>();
    for (String path : paths) {
      for (int i = 0; i < 1 + random.nextInt(40); i++) {
        List<TokenBucket> buckets = new ArrayList<>();
        for (int t = 0, n = random.nextInt(4) == 0 ? 0 : random.nextInt(300); t < n; t++) {
          buckets.add(new TokenBucket(t * 3, t * 3 + 2, random.nextBoolean() ? "identifier" : "kw" + random.nextInt(9)));
        }
        rows.add(ChunkRow.newBuilder().setRepo("r").setPath(path).setSegmentUid("s-" + path).setChunkUid(path + i)
            .setStartByte(i * 100L).setEndByte(i * 100L + 99).setLocalStartByte(i * 100).setLocalEndByte(i * 100 + 99)
            .setStartLine(i).setEndLine(i + 1).setKind("block").setName(random.nextBoolean() ? null : "n" + i)
            .setLanguage("java").setTokenBuckets(buckets).build());
      }
    }
    // Two row groups: the first three files, then the last three.
    int half = (int) rows.stream().filter(r -> r.getPath().compareTo("d") < 0).count();
    Path fresh = tmp.resolve("fresh.parquet");
    try (RowGroupFileWriter out = new RowGroupFileWriter(fresh, Table.CHUNKS.schema(), Map.of())) {
      out.encode(rows.subList(0, half));
      out.encode(rows.subList(half, rows.size()));
      out.commit();
    }
    for (int mask = 1; mask < 1 << paths.size(); mask += 5) {
      // Files whose bit is set are copied from the fresh file; the others are written from their records.
      Path mixed = tmp.resolve("mixed-" + mask + ".parquet");
      RowGroupSource source = RowGroupSource.open(fresh);
      try (RowGroupFileWriter out = new RowGroupFileWriter(mixed, Table.CHUNKS.schema(), Map.of());
          RowGroupCursor cursor = out.cursor(source, "path", new int[] {0, 1})) {
        int row = 0;
        for (int f = 0; f < paths.size(); f++) {
          if ((mask & (1 << f)) != 0) {
            out.copy(cursor, paths.get(f), f < 3 ? 0 : 1);
          }
          for (; row < rows.size() && rows.get(row).getPath().equals(paths.get(f)); row++) {
            if ((mask & (1 << f)) == 0) {
              out.write(rows.get(row));
            }
          }
          if (row == half) {
            out.endGroup();
          }
        }
        out.endGroup();
        out.commit();
      }
      assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(mixed), "mask " + mask);
    }
    assertEquals(rows, ParquetFiles.readAll(fresh, ChunkRow.class));
  }

  @Test
  void aRowGroupOfAnotherSchemaIsRefusedAndNoFileIsLeft() throws Exception {
    Path files = tmp.resolve("files.parquet");
    ParquetFiles.write(files, Table.FILES.schema(), List.<FileRow>of(), Map.of());
    Path diagnostics = tmp.resolve("d.parquet");
    try (RowGroupFileWriter out = new RowGroupFileWriter(diagnostics, Table.DIAGNOSTICS.schema(), Map.of())) {
      out.encode(rows("a", 2));
      out.commit();
    }
    Path target = tmp.resolve("target.parquet");
    RowGroupSource d = RowGroupSource.open(diagnostics);
    try (RowGroupFileWriter out = new RowGroupFileWriter(target, Table.FILES.schema(), Map.of())) {
      IOException e = assertThrows(IOException.class, () -> out.append(d, 0));
      assertTrue(e.getMessage().contains("another schema"), e.getMessage());
    }
    try (var listing = Files.list(tmp)) {
      assertEquals(List.of("d.parquet", "files.parquet"), listing.map(p -> p.getFileName().toString()).sorted()
          .toList(), "the unfinished file's temp is removed and nothing appears under its name");
    }
  }

  private static List<DiagnosticRow> rows(String prefix, int n) {
    List<DiagnosticRow> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(DiagnosticRow.newBuilder().setRepo("r").setPath(String.format("%s/%03d", prefix, i)).setSegmentUid("s")
          .setSeverity("warning").setCode("c").setMessage("m" + i).setStartByte(i).setEndByte(i + 1).setStartLine(1)
          .setStartColumn(1).setSnippet(null).build());
    }
    return rows;
  }
}
