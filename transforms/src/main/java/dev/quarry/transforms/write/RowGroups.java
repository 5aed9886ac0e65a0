package dev.quarry.transforms.write;

import dev.quarry.transforms.io.RowGroupCursor;
import dev.quarry.transforms.io.RowGroupFileWriter;
import dev.quarry.transforms.io.RowGroupSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.Version;

/**
 * The row groups of a bucket's chunks and symbols files, the two tables with most rows. Rows are sorted by path and cut
 * into groups of files: a group ends before a file whose path hashes to 0 modulo {@value #RESYNC_FILES}, or before a
 * file that would take the group's source bytes (the files' {@code size_bytes}) past {@value #GROUP_BYTES}. A boundary
 * depends on its own path and on the sizes of the files since the last hash boundary, not on the rest of the bucket, so
 * editing, adding or deleting a file changes only its group and the ones after it up to the next hash boundary (an edit
 * most often its own group alone: it seldom moves a size across the limit). An incremental run copies every other group
 * byte for byte from the previous snapshot's file (a group of the same files, all of whose rows are as before:
 * {@code PlannedFile.same_rows}) and encodes the rest, copying the rows of their unchanged files value by value
 * ({@code RowGroupCursor}) and writing the changed files' records. A full run encodes every group the same way, so
 * both write the same bytes, and a 1 % change re-encodes a few percent of the rows instead of whole tables.
 *
 * <p>Why both limits: a changed file costs re-encoding its group, and copying the rows of the group's other files value
 * by value was most of the writing in a nightly run (12 times the rows of the changed files themselves, with groups of
 * 8 files cut by path hash alone: a big file's group is as likely to hold a changed file as a small one's, and many
 * times as costly). Capping a group by source bytes, a proxy for its rows known before any file is parsed, keeps groups
 * even: on the benchmark corpus it halves the rows copied value by value (6 % of all rows for 1 % of the files changed,
 * against 12 %) for a sixth more row groups (about one per 7 files). Smaller groups would copy fewer rows still but
 * compress worse and give query engines more, smaller row groups to plan. The hash boundaries bound how far an
 * addition, a deletion or a size change moves the boundaries after it: about as many files as a group of 8 cut by hash
 * alone held.
 */
final class RowGroups {
  static final int RESYNC_FILES = 16;
  static final long GROUP_BYTES = 128 << 10;
  /**
   * Footer key recording the layout; row groups are copied only from a file with the same one. It names the Parquet
   * library's version too: another version may encode the same rows into other bytes, and a file mixing both would
   * differ from a full run's.
   */
  static final String METADATA_KEY = "quarry.row_groups";
  static final String LAYOUT = "path-hash-mod-" + RESYNC_FILES + "-or-" + GROUP_BYTES + "-source-bytes/"
      + RowGroupFileWriter.ENCODING + "/parquet-mr-" + Version.VERSION_NUMBER;
  /** The column row groups are cut by. */
  private static final String PATH = "path";

  private final List<List<String>> groups;
  private final Map<String, Integer> groupOf = new HashMap<>();
  /** Per group copied from the previous file: its row groups there (none when it had no rows in the table). */
  private final Map<Integer, List<Integer>> copies;
  /**
   * Files of the groups encoded whose rows are copied value by value from the previous file, each with the first row
   * group of its group there (-1 when that group had no rows).
   */
  private final Map<String, Integer> copiedRows;
  /** Per row group of the previous file, the index of its group there. */
  private final int[] groupOfBlock;

  private RowGroups(List<List<String>> groups, Map<Integer, List<Integer>> copies,
      Map<String, Integer> copiedRows, int[] groupOfBlock) {
    this.groups = groups;
    this.copies = copies;
    this.copiedRows = copiedRows;
    this.groupOfBlock = groupOfBlock;
    for (int g = 0; g < groups.size(); g++) {
      for (String path : groups.get(g)) {
        groupOf.put(path, g);
      }
    }
  }

  /** Every group of these files (path to {@code size_bytes}) encoded from rows. */
  static RowGroups encodeAll(Map<String, Long> files) {
    return new RowGroups(split(files), Map.of(), Map.of(), new int[0]);
  }

  /**
   * The groups of {@code files} (path to {@code size_bytes}), copying from {@code previous} (the previous snapshot's
   * file of this bucket and table, whose bucket held {@code previousFiles}) every group that held the same files
   * there and whose files all have {@code sameRows}.
   */
  static RowGroups against(
      Map<String, Long> files, Set<String> sameRows, Map<String, Long> previousFiles, RowGroupSource previous) {
    List<List<String>> groups = split(files);
    if (!LAYOUT.equals(previous.metadata().get(METADATA_KEY))) {
      return new RowGroups(groups, Map.of(), Map.of(), new int[0]);
    }
    RowGroups before = encodeAll(previousFiles);
    Map<List<String>, List<Integer>> blocks = new HashMap<>();
    int[] groupOfBlock = new int[previous.rowGroupCount()];
    Map<Integer, Integer> firstBlockOfGroup = new HashMap<>();
    for (int b = 0; b < groupOfBlock.length; b++) {
      // The smallest and largest path of a row group are paths of its files, whatever order the statistics use.
      Optional<RowGroupSource.Range> range = previous.range(b, PATH);
      Integer first = range.map(r -> before.groupOf.get(r.min())).orElse(null);
      if (first == null || !first.equals(before.groupOf.get(range.get().max()))) {
        // Not attributable to one group (no statistics for a very long path): nothing is copied from this file.
        return new RowGroups(groups, Map.of(), Map.of(), new int[0]);
      }
      blocks.computeIfAbsent(before.groups.get(first), g -> new ArrayList<>()).add(b);
      groupOfBlock[b] = first;
      firstBlockOfGroup.putIfAbsent(first, b);
    }
    Set<List<String>> previousGroups = Set.copyOf(before.groups);
    Map<Integer, List<Integer>> copies = new HashMap<>();
    Map<String, Integer> copiedRows = new HashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      List<String> group = groups.get(g);
      if (previousGroups.contains(group) && sameRows.containsAll(group)) {
        copies.put(g, blocks.getOrDefault(group, List.of()));
      } else {
        for (String path : group) {
          Integer was = before.groupOf.get(path);
          if (sameRows.contains(path) && was != null) {
            // -1: its group had no rows in this table, so neither has the file.
            copiedRows.put(path, firstBlockOfGroup.getOrDefault(was, -1));
          }
        }
      }
    }
    return new RowGroups(groups, copies, copiedRows, groupOfBlock);
  }

  /**
   * Whether the rows of this file come from the previous file, with its group or value by value into a group encoded
   * anew (and so need not be read or made).
   */
  boolean copied(String path) {
    Integer g = groupOf.get(path);
    return g != null && (copies.containsKey(g) || copiedRows.containsKey(path));
  }

  int groups() {
    return groups.size();
  }

  /** The files of each group, in order. */
  List<List<String>> files() {
    return groups;
  }

  int copiedGroups() {
    return copies.size();
  }

  /**
   * Writes the table file: per group in order, its row groups copied from {@code previous}, or a row group encoded
   * from its files' {@code rows} (sorted by path; none of a file whose rows are copied) and the rows copied value by
   * value from {@code previous}.
   */
  <T extends SpecificRecord> void write(RowGroupFileWriter out, List<T> rows, Function<T, String> path,
      RowGroupSource previous) throws IOException {
    try (RowGroupCursor cursor = copiedRows.isEmpty() ? null : out.cursor(previous, PATH, groupOfBlock)) {
      write(out, rows, path, previous, cursor);
    }
  }

  private <T extends SpecificRecord> void write(RowGroupFileWriter out, List<T> rows, Function<T, String> path,
      RowGroupSource previous, RowGroupCursor cursor) throws IOException {
    int from = 0;
    for (int g = 0; g < groups.size(); g++) {
      List<Integer> copy = copies.get(g);
      if (copy != null) {
        if (from < rows.size() && groupOf(path.apply(rows.get(from))) == g) {
          throw new IllegalStateException("rows of " + path.apply(rows.get(from)) + " were made although its row"
              + " group is copied from the previous snapshot");
        }
        for (int block : copy) {
          out.append(previous, block);
        }
        continue;
      }
      for (String file : groups.get(g)) {
        Integer firstBlock = copiedRows.get(file);
        boolean copied = firstBlock != null;
        if (copied && firstBlock >= 0) {
          out.copy(cursor, file, firstBlock);
        }
        for (; from < rows.size() && path.apply(rows.get(from)).equals(file); from++) {
          if (copied) {
            throw new IllegalStateException("rows of " + file + " were made although they are copied from the"
                + " previous snapshot");
          }
          out.write(rows.get(from));
        }
      }
      out.endGroup();
    }
    if (from < rows.size()) {
      String p = path.apply(rows.get(from));
      groupOf(p); // a row of a file not planned in this bucket fails there, saying so
      throw new IllegalStateException("row of " + p + " out of path order");
    }
  }

  private int groupOf(String path) {
    Integer g = groupOf.get(path);
    if (g == null) {
      throw new IllegalStateException("a row of " + path + ", a file not planned in this bucket");
    }
    return g;
  }

  /** The groups of the files, sorted by path. */
  private static List<List<String>> split(Map<String, Long> files) {
    List<String> sorted = new ArrayList<>(files.keySet());
    Collections.sort(sorted);
    List<List<String>> groups = new ArrayList<>();
    List<String> group = new ArrayList<>();
    long bytes = 0;
    for (String p : sorted) {
      long size = files.get(p);
      if (!group.isEmpty() && (startsGroup(p) || bytes + size > GROUP_BYTES)) {
        groups.add(List.copyOf(group));
        group.clear();
        bytes = 0;
      }
      group.add(p);
      bytes += size;
    }
    if (!group.isEmpty()) {
      groups.add(List.copyOf(group));
    }
    return groups;
  }

  /** Whether a group starts at this path whatever the sizes: a mix of its hash code (fixed by the Java spec). */
  static boolean startsGroup(String path) {
    int h = path.hashCode();
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Integer.remainderUnsigned(h, RESYNC_FILES) == 0;
  }
}
