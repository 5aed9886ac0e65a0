package dev.quarry.transforms.write;

import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.PreviousFileSize;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.io.RowGroupSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The previous snapshot's chunks and symbols files of the bucket being written, opened to copy row groups from
 * ({@link RowGroups}). Only a file of the same bucket (same name, so the same bucket count) that holds rows this
 * bucket carries is used; otherwise every row group is encoded.
 */
final class PreviousBucket {
  static final List<Table> GROUPED = List.of(Table.CHUNKS, Table.SYMBOLS);

  private final Map<Table, RowGroupSource> sources;
  /** The previous bucket's files: path to {@code size_bytes}. */
  private final Map<String, Long> files;

  private PreviousBucket(Map<Table, RowGroupSource> sources, Map<String, Long> files) {
    this.sources = sources;
    this.files = files;
  }

  /**
   * @param previousDir the previous snapshot, or null in a full run
   * @param carried the previous table files (relative to it) holding rows this bucket carries
   */
  static PreviousBucket read(String previousDir, BucketKey key, List<String> carried) throws IOException {
    Map<Table, RowGroupSource> sources = new EnumMap<>(Table.class);
    if (previousDir == null) {
      return new PreviousBucket(sources, Map.of());
    }
    Path dir = Path.of(previousDir);
    for (Table table : GROUPED) {
      if (carried.contains(key.relativeFile(table))) {
        sources.put(table, RowGroupSource.open(dir.resolve(key.relativeFile(table))));
      }
    }
    Map<String, Long> files = new HashMap<>();
    if (!sources.isEmpty()) {
      ParquetFiles.read(dir.resolve(key.relativeFile(Table.FILES)), PreviousFileSize.class,
          r -> files.put(r.getPath(), r.getSizeBytes()));
    }
    return new PreviousBucket(sources, files);
  }

  /** The row groups of {@code table} for the bucket's planned files. */
  RowGroups rowGroups(Table table, List<PlannedFile> planned) {
    Map<String, Long> now = new HashMap<>();
    Set<String> sameRows = new HashSet<>();
    for (PlannedFile p : planned) {
      now.put(p.getFile().getPath(), p.getFile().getSizeBytes());
      if (p.getSameRows()) {
        sameRows.add(p.getFile().getPath());
      }
    }
    RowGroupSource source = sources.get(table);
    return source == null ? RowGroups.encodeAll(now) : RowGroups.against(now, sameRows, files, source);
  }

  /** The file row groups of {@code table} are copied from, or null. */
  RowGroupSource source(Table table) {
    return sources.get(table);
  }
}
