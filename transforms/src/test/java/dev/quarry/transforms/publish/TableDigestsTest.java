package dev.quarry.transforms.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.publish.TableDigests.FileDigest;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableDigestsTest {
  @TempDir Path snapshot;

  /** Chunks files of two repos, with 1 to 12 rows; more files than processors, so they are hashed in parallel. */
  static List<String> writeChunks(Path snapshot) throws Exception {
    List<String> files = new ArrayList<>();
    for (String repo : List.of("a", "b")) {
      for (int bucket = 0; bucket < 6; bucket++) {
        String f = "chunks/repo=" + repo + "/part-" + bucket + "-of-6.parquet";
        List<ChunkRow> rows = new ArrayList<>();
        for (int i = 0; i <= bucket + (repo.equals("b") ? 6 : 0); i++) {
          rows.add(ChunkRow.newBuilder().setRepo(repo).setPath("p" + i).setSegmentUid("s").setChunkUid("c" + i)
              .setStartByte(0).setEndByte(10).setLocalStartByte(0).setLocalEndByte(10).setStartLine(1).setEndLine(1)
              .setKind("code").setName(null).setLanguage("python").setTokenBuckets(List.of()).build());
        }
        ParquetFiles.write(snapshot.resolve(f), ChunkRow.getClassSchema(), rows,
            ParquetFiles.tableMetadata(Table.CHUNKS));
        files.add(f);
      }
    }
    return files;
  }

  private List<String> files;

  @BeforeEach
  void write() throws Exception {
    files = writeChunks(snapshot);
  }

  @Test
  void eachFileIsHashedAndCountedAndTheTableDigestIsOverPathAndShaInPathOrder() throws Exception {
    Map<String, TableDigest> tables = TableDigests.of(snapshot);
    assertEquals(List.of("files", "segments", "chunks", "symbols", "diagnostics"), List.copyOf(tables.keySet()));
    TableDigest chunks = tables.get("chunks");
    List<String> sorted = files.stream().sorted().toList();
    assertEquals(sorted, chunks.files());
    MessageDigest table = StableIds.sha256();
    long rows = 0;
    for (int i = 0; i < sorted.size(); i++) {
      String f = sorted.get(i);
      Path file = snapshot.resolve(f);
      String sha = HexFormat.of().formatHex(StableIds.sha256().digest(Files.readAllBytes(file)));
      long expectedRows = Long.parseLong(f.replaceAll(".*part-(\\d+)-.*", "$1")) + 1 + (f.contains("repo=b") ? 6 : 0);
      assertEquals(new FileDigest(sha, expectedRows, Files.size(file)), chunks.byFile().get(f), f);
      table.update((f + "\t" + sha + "\n").getBytes(StandardCharsets.UTF_8));
      rows += expectedRows;
    }
    assertEquals(rows, chunks.rows());
    assertEquals(HexFormat.of().formatHex(table.digest()), chunks.digest());
    TableDigest files = tables.get("files");
    assertEquals(List.of(), files.files(), "a table without files");
    assertEquals(0, files.rows());
    assertEquals(HexFormat.of().formatHex(StableIds.sha256().digest()), files.digest());
  }

  @Test
  void aKnownDigestIsTakenWithoutReadingTheFileWhenItsSizeIsTheFiles() throws Exception {
    Map<String, TableDigest> read = TableDigests.of(snapshot);
    String f = files.get(3);
    FileDigest actual = read.get("chunks").byFile().get(f);
    // Not the file's sha256: it is only in the result if the file was not read.
    FileDigest recorded = new FileDigest("0".repeat(64), actual.rows() + 100, actual.bytes());
    TableDigest chunks = TableDigests.of(snapshot, Map.of(f, recorded), Map.of()).get("chunks");
    assertEquals(recorded, chunks.byFile().get(f));
    assertEquals(read.get("chunks").rows() + 100, chunks.rows());
    assertNotEquals(read.get("chunks").digest(), chunks.digest());
  }

  @Test
  void aKnownDigestOfAnotherSizeIsNotTakenTheFileIsRead() throws Exception {
    Map<String, TableDigest> read = TableDigests.of(snapshot);
    String f = files.get(3);
    FileDigest actual = read.get("chunks").byFile().get(f);
    FileDigest stale = new FileDigest("0".repeat(64), actual.rows() + 100, actual.bytes() + 1);
    assertEquals(read, TableDigests.of(snapshot, Map.of(f, stale), Map.of()));
  }

  @Test
  void rowsTheCallerReadAreTakenInsteadOfTheFooters() throws Exception {
    Map<String, TableDigest> read = TableDigests.of(snapshot);
    String f = files.get(0);
    TableDigest chunks = TableDigests.of(snapshot, Map.of(), Map.of(f, 42L)).get("chunks");
    assertEquals(42, chunks.byFile().get(f).rows());
    assertEquals(read.get("chunks").byFile().get(f).sha256(), chunks.byFile().get(f).sha256(), "still hashed");
    assertEquals(read.get("chunks").digest(), chunks.digest(), "rows are not part of the digest");
  }

  @Test
  void aTruncatedTableFileIsReportedWithItsName() throws Exception {
    Path file = snapshot.resolve(files.get(5));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    IOException e = assertThrows(IOException.class, () -> TableDigests.of(snapshot));
    assertTrue(e.getMessage().contains(file + " is not a complete Parquet file"), e.getMessage());
  }
}
