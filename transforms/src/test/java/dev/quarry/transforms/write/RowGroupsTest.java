package dev.quarry.transforms.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.io.RowGroupFileWriter;
import dev.quarry.transforms.io.RowGroupSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content-defined row groups: a change touches only its own group, untouched groups are copied byte for byte, and the
 * file equals one written afresh from the same rows.
 */
class RowGroupsTest {
  @TempDir Path tmp;

  private static final Map<String, String> METADATA = Map.of(RowGroups.METADATA_KEY, RowGroups.LAYOUT);

  @Test
  void copyingUntouchedGroupsWritesTheBytesOfAFreshWrite() throws Exception {
    List<String> paths = paths(200);
    Path before = write(tmp.resolve("before.parquet"), RowGroups.encodeAll(paths), rows(paths, Set.of()), null);

    // One file edited (its rows change), one deleted, one added.
    String edited = paths.get(57);
    List<String> now = new ArrayList<>(paths);
    now.remove(120);
    now.add("src/added/File.java");
    List<SymbolRow> all = rows(now, Set.of(edited));
    Path fresh = write(tmp.resolve("fresh.parquet"), RowGroups.encodeAll(now), all, null);

    Set<String> sameRows = new HashSet<>(now);
    sameRows.remove(edited);
    sameRows.remove("src/added/File.java");
    Path incremental;
    RowGroups groups;
    RowGroupSource previous = RowGroupSource.open(before);
    groups = RowGroups.against(now, sameRows, paths, previous);
    List<SymbolRow> made = all.stream().filter(r -> !groups.copied(r.getPath())).toList();
    incremental = write(tmp.resolve("incremental.parquet"), groups, made, previous);
    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(incremental));
    assertEquals(all, ParquetFiles.readAll(incremental, SymbolRow.class));
    assertFalse(groups.copied(edited));
    assertFalse(groups.copied("src/added/File.java"));
    // The unchanged files of the touched groups are copied too, value by value into their new row group.
    assertTrue(now.stream().filter(p -> !p.equals(edited) && !p.equals("src/added/File.java")).allMatch(groups::copied));
    // At most three groups were touched (edit, deletion, addition); every other one was copied.
    assertTrue(groups.copiedGroups() >= groups.groups() - 3, groups.copiedGroups() + " of " + groups.groups());
    assertTrue(groups.groups() > 10, "200 files make about 25 groups: " + groups.groups());
  }

  @Test
  void aBoundaryDependsOnItsPathAlone() {
    List<String> paths = paths(300);
    List<String> fewer = new ArrayList<>(paths);
    fewer.remove(150);
    RowGroups all = RowGroups.encodeAll(paths);
    RowGroups without = RowGroups.encodeAll(fewer);
    // Removing a file merges or shrinks only its own group.
    assertTrue(Math.abs(all.groups() - without.groups()) <= 1);
    long starts = paths.stream().filter(RowGroups::startsGroup).count();
    assertTrue(starts > 300 / RowGroups.FILES_PER_GROUP / 2 && starts < 300 / RowGroups.FILES_PER_GROUP * 2,
        starts + " group starts in 300 paths");
  }

  @Test
  void nothingIsCopiedFromAFileOfAnotherLayout() throws Exception {
    List<String> paths = paths(100);
    Path plain = tmp.resolve("plain.parquet");
    ParquetFiles.write(plain, Table.SYMBOLS.schema(), rows(paths, Set.of()), ParquetFiles.tableMetadata(Table.SYMBOLS));
    RowGroups groups = RowGroups.against(paths, new HashSet<>(paths), paths, RowGroupSource.open(plain));
    assertEquals(0, groups.copiedGroups());
  }

  @Test
  void rowsOfACopiedGroupAreAnError() throws Exception {
    List<String> paths = paths(60);
    List<SymbolRow> rows = rows(paths, Set.of());
    Path before = write(tmp.resolve("before.parquet"), RowGroups.encodeAll(paths), rows, null);
    RowGroupSource previous = RowGroupSource.open(before);
    try (RowGroupFileWriter out = new RowGroupFileWriter(tmp.resolve("x.parquet"), Table.SYMBOLS.schema(), METADATA)) {
      RowGroups groups = RowGroups.against(paths, new HashSet<>(paths), paths, previous);
      assertEquals(groups.groups(), groups.copiedGroups());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> groups.write(out, rows, SymbolRow::getPath, previous));
      assertTrue(e.getMessage().contains("copied from the previous snapshot"), e.getMessage());
    }
  }

  private static Path write(Path file, RowGroups groups, List<SymbolRow> rows, RowGroupSource previous)
      throws Exception {
    try (RowGroupFileWriter out = new RowGroupFileWriter(file, Table.SYMBOLS.schema(), METADATA)) {
      groups.write(out, rows, SymbolRow::getPath, previous);
      out.commit();
    }
    return file;
  }

  private static List<String> paths(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("src/pkg%d/File%03d.java", i % 7, i)).sorted().toList();
  }

  /** Three symbols per file, sorted as the writer sorts them; those of {@code edited} files differ. */
  private static List<SymbolRow> rows(List<String> paths, Set<String> edited) {
    List<SymbolRow> rows = new ArrayList<>();
    for (String p : paths.stream().sorted().toList()) {
      for (int i = 0; i < 3; i++) {
        rows.add(SymbolRow.newBuilder().setRepo("demo").setPath(p).setSegmentUid("seg-" + p).setChunkUid("chunk")
            .setName((edited.contains(p) ? "edited" : "name") + i).setKind("function").setRole("definition")
            .setStartByte(i * 10L).setEndByte(i * 10L + 5).setStartLine(i + 1).setStartColumn(1).setLanguage("java")
            .setSource("file").build());
      }
    }
    rows.sort(RowOrder.SYMBOLS);
    return rows;
  }
}
