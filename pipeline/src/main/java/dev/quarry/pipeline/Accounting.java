package dev.quarry.pipeline;

import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParallelReads;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.publish.TableDigests;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The check, on the written snapshot, that every manifest file appears exactly once in the {@code files} table;
 * otherwise nothing is published.
 */
final class Accounting {
  /**
   * @param byStatus {@code files} rows per status
   * @param rowsByFile rows of each {@code files} table file (relative to the snapshot): read here, so the table
   *     digests need not open them again
   */
  record Result(Map<String, Long> byStatus, Map<String, Long> rowsByFile) {}

  /** What one {@code files} table file holds that the check needs: its rows per status, and each row's file. */
  private record Part(Map<String, Long> byStatus, List<String> keys) {}

  private Accounting() {}

  static Result check(Path snapshot, long manifestRows) throws IOException {
    List<String> files = TableDigests.files(snapshot, Table.FILES);
    List<Part> parts = ParallelReads.map(files, f -> read(snapshot.resolve(f)));
    Map<String, Long> byStatus = new TreeMap<>();
    Map<String, Long> rowsByFile = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    long rows = 0;
    long duplicates = 0;
    for (int i = 0; i < files.size(); i++) {
      Part part = parts.get(i);
      rowsByFile.put(files.get(i), (long) part.keys().size());
      rows += part.keys().size();
      part.byStatus().forEach((status, n) -> byStatus.merge(status, n, Long::sum));
      for (String key : part.keys()) {
        if (!seen.add(key)) {
          duplicates++;
        }
      }
    }
    if (rows != manifestRows || duplicates > 0) {
      throw new IllegalStateException(
          "accounting check failed: the manifest lists " + manifestRows + " files but the files table has " + rows
              + " rows (" + duplicates + " duplicates). Nothing was published; this is a Quarry bug, please report it.");
    }
    return new Result(byStatus, rowsByFile);
  }

  private static Part read(Path file) throws IOException {
    Map<String, Long> byStatus = new HashMap<>();
    List<String> keys = new ArrayList<>();
    ParquetFiles.read(file, FileRow.class, row -> {
      byStatus.merge(row.getStatus(), 1L, Long::sum);
      keys.add(row.getRepo() + '\0' + row.getPath());
    });
    return new Part(byStatus, keys);
  }
}
