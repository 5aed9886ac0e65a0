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
import java.util.HashMap;
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
    Map<String, Long> paths = sized(paths(200));
    Path before = write(tmp.resolve("before.parquet"), RowGroups.encodeAll(paths), rows(paths, Set.of()), null);

    // One file edited (its rows change, it grows by a line), one deleted, one added.
    String edited = sorted(paths).get(57);
    Map<String, Long> now = new HashMap<>(paths);
    now.remove(sorted(paths).get(120));
    now.put("src/added/File.java", 5_000L);
    now.merge(edited, 30L, Long::sum);
    List<SymbolRow> rows = rows(now, Set.of(edited));
    Path fresh = write(tmp.resolve("fresh.parquet"), RowGroups.encodeAll(now), rows, null);

    Set<String> sameRows = new HashSet<>(now.keySet());
    sameRows.remove(edited);
    sameRows.remove("src/added/File.java");
    RowGroupSource previous = RowGroupSource.open(before);
    RowGroups groups = RowGroups.against(now, sameRows, paths, previous);
    List<SymbolRow> made = rows.stream().filter(r -> !groups.copied(r.getPath())).toList();
    Path incremental = write(tmp.resolve("incremental.parquet"), groups, made, previous);
    assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(incremental));
    assertEquals(rows, ParquetFiles.readAll(incremental, SymbolRow.class));
    assertFalse(groups.copied(edited));
    assertFalse(groups.copied("src/added/File.java"));
    // The unchanged files of the touched groups are copied too, value by value into their new row group.
    assertTrue(sameRows.stream().allMatch(groups::copied));
    // Only groups from a change up to the next hash boundary were touched; every other one was copied.
    List<String> all = sorted(now);
    Set<String> mayChange = new HashSet<>();
    for (String changed : List.of(edited, "src/added/File.java", sorted(paths).get(121))) {
      mayChange.addAll(span(all, all.indexOf(changed)));
    }
    long touchable = groups.files().stream().filter(g -> g.stream().anyMatch(mayChange::contains)).count();
    assertTrue(groups.groups() - groups.copiedGroups() <= touchable, groups.copiedGroups() + " of " + groups.groups()
        + " copied, " + touchable + " near a change");
    assertTrue(groups.copiedGroups() > groups.groups() / 2, groups.copiedGroups() + " of " + groups.groups());
  }

  @Test
  void groupsAreCutByPathHashAndSourceBytes() {
    Map<String, Long> files = sized(paths(300));
    List<List<String>> groups = RowGroups.encodeAll(files).files();
    assertEquals(sorted(files), groups.stream().flatMap(List::stream).toList(), "every file once, in path order");
    for (List<String> group : groups) {
      long bytes = group.stream().mapToLong(files::get).sum();
      assertTrue(group.size() == 1 || bytes <= RowGroups.GROUP_BYTES, group + ": " + bytes + " bytes");
      assertTrue(group.stream().skip(1).noneMatch(RowGroups::startsGroup), group + " holds a hash boundary");
    }
    long starts = files.keySet().stream().filter(RowGroups::startsGroup).count();
    assertTrue(starts > 300 / RowGroups.RESYNC_FILES / 2 && starts < 300 / RowGroups.RESYNC_FILES * 2,
        starts + " hash boundaries in 300 paths");
    assertTrue(groups.size() > 2 * starts, groups.size() + " groups: most are cut by size");
  }

  @Test
  void aChangeMovesBoundariesOnlyUpToTheNextHashBoundary() {
    Map<String, Long> files = sized(paths(300));
    List<String> sorted = sorted(files);
    for (int changed : new int[] {40, 150, 299}) {
      // The file grows past the limit, or is deleted: the groups from it to the next hash boundary may change.
      Map<String, Long> grown = new HashMap<>(files);
      grown.put(sorted.get(changed), RowGroups.GROUP_BYTES);
      Map<String, Long> deleted = new HashMap<>(files);
      deleted.remove(sorted.get(changed));
      Set<String> mayChange = Set.copyOf(span(sorted, changed));
      for (Map<String, Long> now : List.of(grown, deleted)) {
        Set<List<String>> before = Set.copyOf(RowGroups.encodeAll(files).files());
        for (List<String> group : RowGroups.encodeAll(now).files()) {
          assertTrue(before.contains(group) || mayChange.containsAll(group), group + " changed");
        }
      }
    }
  }

  @Test
  void nothingIsCopiedFromAFileOfAnotherLayout() throws Exception {
    Map<String, Long> paths = sized(paths(100));
    Path plain = tmp.resolve("plain.parquet");
    ParquetFiles.write(plain, Table.SYMBOLS.schema(), rows(paths, Set.of()), ParquetFiles.tableMetadata(Table.SYMBOLS));
    RowGroups groups = RowGroups.against(paths, paths.keySet(), paths, RowGroupSource.open(plain));
    assertEquals(0, groups.copiedGroups());
  }

  @Test
  void rowsOfACopiedGroupAreAnError() throws Exception {
    Map<String, Long> paths = sized(paths(60));
    List<SymbolRow> rows = rows(paths, Set.of());
    Path before = write(tmp.resolve("before.parquet"), RowGroups.encodeAll(paths), rows, null);
    RowGroupSource previous = RowGroupSource.open(before);
    try (RowGroupFileWriter out = new RowGroupFileWriter(tmp.resolve("x.parquet"), Table.SYMBOLS.schema(), METADATA)) {
      RowGroups groups = RowGroups.against(paths, paths.keySet(), paths, previous);
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

  /** Sizes from 1 to 61 KB, so that groups are cut by size as well as by hash. */
  private static Map<String, Long> sized(List<String> paths) {
    Map<String, Long> files = new HashMap<>();
    for (int i = 0; i < paths.size(); i++) {
      files.put(paths.get(i), 1_000L + (i * 7_919L) % 60_000);
    }
    return files;
  }

  /**
   * The files whose groups a change at {@code index} may move: from the hash boundary at or before the file before it
   * (a file added there may start a group, cutting its predecessor's short) up to the next one.
   */
  private static List<String> span(List<String> sorted, int index) {
    int from = Math.max(0, index - 1);
    while (from > 0 && !RowGroups.startsGroup(sorted.get(from))) {
      from--;
    }
    int to = index + 1;
    while (to < sorted.size() && !RowGroups.startsGroup(sorted.get(to))) {
      to++;
    }
    return sorted.subList(from, to);
  }

  private static List<String> sorted(Map<String, Long> files) {
    return files.keySet().stream().sorted().toList();
  }

  /** Three symbols per file, sorted as the writer sorts them; those of {@code edited} files differ. */
  private static List<SymbolRow> rows(Map<String, Long> files, Set<String> edited) {
    List<SymbolRow> rows = new ArrayList<>();
    for (String p : sorted(files)) {
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
