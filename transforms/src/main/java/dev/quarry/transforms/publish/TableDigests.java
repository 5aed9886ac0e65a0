package dev.quarry.transforms.publish;

import dev.quarry.grammars.FileSha256;
import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParallelReads;
import dev.quarry.transforms.io.ParquetFooter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Row counts and content digests of a snapshot's tables, read back from the written files: what {@code run.json}
 * reports and what two runs can be compared by.
 */
public final class TableDigests {
  /**
   * One table file: the sha256 of its bytes, its rows, and its size (what tells whether a digest recorded for a file
   * of that name still describes it).
   */
  public record FileDigest(String sha256, long rows, long bytes) {}

  /**
   * One table: the digest of each of its files (relative to the snapshot) in path order, its rows, and a digest over
   * (path, file sha256) pairs.
   */
  public record TableDigest(Map<String, FileDigest> byFile, long rows, String digest) {
    /** Its files, relative to the snapshot, in path order. */
    public List<String> files() {
      return List.copyOf(byFile.keySet());
    }
  }

  private TableDigests() {}

  /** Every file of the snapshot read and hashed. */
  public static Map<String, TableDigest> of(Path snapshot) throws IOException {
    return of(snapshot, Map.of(), Map.of());
  }

  /**
   * The digests of the snapshot's tables, reading only what is not known already. Files are hashed in parallel; the
   * result does not depend on the order in which they finish.
   *
   * @param known digests of files (relative to the snapshot) that are byte-identical to a file digested by an earlier
   *     run: the files an incremental run linked from the previous snapshot, with the digests its {@code run.json}
   *     recorded. A known digest whose size is not the file's is not used; the file is read.
   * @param rowsRead row counts of files the caller has read whole (the {@code files} table, read by the accounting
   *     check), so that their footers are not read a second time
   */
  public static Map<String, TableDigest> of(Path snapshot, Map<String, FileDigest> known, Map<String, Long> rowsRead)
      throws IOException {
    Map<Table, List<String>> files = new LinkedHashMap<>();
    List<String> all = new ArrayList<>();
    for (Table table : Table.values()) {
      List<String> list = files(snapshot, table);
      files.put(table, list);
      all.addAll(list);
    }
    List<FileDigest> digests = ParallelReads.map(all, f -> digest(snapshot, f, known.get(f), rowsRead.get(f)));
    Map<String, TableDigest> out = new LinkedHashMap<>();
    int next = 0;
    for (Map.Entry<Table, List<String>> table : files.entrySet()) {
      Map<String, FileDigest> byFile = new LinkedHashMap<>();
      MessageDigest digest = StableIds.sha256();
      long rows = 0;
      for (String f : table.getValue()) {
        FileDigest d = digests.get(next++);
        byFile.put(f, d);
        rows += d.rows();
        digest.update((f + "\t" + d.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.put(table.getKey().dirName(),
          new TableDigest(Collections.unmodifiableMap(byFile), rows, HexFormat.of().formatHex(digest.digest())));
    }
    return out;
  }

  /** The Parquet files of {@code table} in the snapshot, relative to it, in path order. */
  public static List<String> files(Path snapshot, Table table) throws IOException {
    Path dir = snapshot.resolve(table.dirName());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .map(p -> snapshot.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  /** One file's digest, its bytes read once: hashed front to back, then the footer's row count from the end. */
  private static FileDigest digest(Path snapshot, String relative, FileDigest known, Long rowsRead)
      throws IOException {
    Path file = snapshot.resolve(relative);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long bytes = in.size();
      if (known != null && known.bytes() == bytes) {
        return known;
      }
      return new FileDigest(FileSha256.of(in, file), rowsRead != null ? rowsRead : rowCount(in, file), bytes);
    }
  }

  /** The rows of a Parquet file, from the {@code num_rows} of its footer ({@link ParquetFooter#numRows}). */
  private static long rowCount(FileChannel in, Path file) throws IOException {
    long size = in.size();
    int tailBytes = (int) Math.min(size, ParquetFooter.TAIL);
    ByteBuffer tail = readFully(in, size - tailBytes, tailBytes, file);
    int footerLength = ParquetFooter.footerLength(tail, size, file);
    ByteBuffer footer = readFully(in, size - ParquetFooter.TAIL - footerLength, footerLength, file);
    return ParquetFooter.numRows(footer.array(), file);
  }

  private static ByteBuffer readFully(FileChannel in, long at, int length, Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, at + buffer.position()) < 0) {
        throw new IOException(file + " ended while its footer was read");
      }
    }
    return buffer.flip();
  }
}
