package dev.quarry.transforms.publish;

import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.Table;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Row counts and content digests of a snapshot's tables, read back from the written files: what {@code run.json}
 * reports and what two runs can be compared by.
 */
public final class TableDigests {
  /** One table: its files (relative to the snapshot), rows, and a digest over (path, file sha256) pairs. */
  public record TableDigest(List<String> files, long rows, String digest) {}

  private TableDigests() {}

  public static Map<String, TableDigest> of(Path snapshot) throws IOException {
    Map<String, TableDigest> out = new LinkedHashMap<>();
    for (Table table : Table.values()) {
      Path dir = snapshot.resolve(table.dirName());
      List<String> files = new ArrayList<>();
      if (Files.isDirectory(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          walk.filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .map(p -> snapshot.relativize(p).toString())
              .sorted()
              .forEach(files::add);
        }
      }
      MessageDigest digest = StableIds.sha256();
      long rows = 0;
      for (String f : files) {
        Path file = snapshot.resolve(f);
        rows += rowCount(file);
        digest.update((f + "\t" + sha256(file) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.put(table.dirName(), new TableDigest(files, rows, HexFormat.of().formatHex(digest.digest())));
    }
    return out;
  }

  public static long rowCount(Path parquetFile) throws IOException {
    // Plain options: ParquetFileReader.open(InputFile) alone makes a Hadoop Configuration for every file, which parses
    // Hadoop's default XML resources (about 5 ms a file, 20 times the footer itself).
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parquetFile), options)) {
      return reader.getRecordCount();
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = StableIds.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
