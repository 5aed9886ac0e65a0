package dev.quarry.transforms.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * A Parquet file held in memory whose row groups can be appended, byte for byte, to a file being written
 * ({@link RowGroupFileWriter#append}), or read one at a time ({@link #reader}). Its footer is read as Thrift
 * structures ({@link ParquetFooter}) when it is opened.
 */
public final class RowGroupSource {
  /** The smallest and largest value of a string column in one row group. */
  public record Range(String min, String max) {}

  private final byte[] bytes;
  private final Object name;
  private final FileMetaData footer;

  private RowGroupSource(byte[] bytes, Object name) throws IOException {
    this.bytes = bytes;
    this.name = name;
    this.footer = ParquetFooter.read(bytes, name);
  }

  /**
   * Opens {@code file}, read into memory whole: a table file is a few MB, its row groups are copied out of it, and
   * reading one parses its page headers through Thrift, byte by byte.
   */
  public static RowGroupSource open(Path file) throws IOException {
    return new RowGroupSource(Files.readAllBytes(file), file);
  }

  static RowGroupSource of(byte[] parquet) throws IOException {
    return new RowGroupSource(parquet, "a row group encoded in memory");
  }

  public int rowGroupCount() {
    return footer.getRow_groupsSize();
  }

  /** The file's footer key-value metadata. */
  public Map<String, String> metadata() {
    Map<String, String> metadata = new HashMap<>();
    if (footer.isSetKey_value_metadata()) {
      for (KeyValue kv : footer.getKey_value_metadata()) {
        metadata.put(kv.getKey(), kv.getValue());
      }
    }
    return metadata;
  }

  /**
   * The range of a top-level string column in a row group, from the footer's statistics; empty when the writer
   * recorded none (Parquet leaves out statistics of very long values).
   */
  public Optional<Range> range(int rowGroup, String column) {
    for (ColumnChunk chunk : footer.getRow_groups().get(rowGroup).getColumns()) {
      if (chunk.getMeta_data().getPath_in_schema().equals(List.of(column))) {
        Statistics stats = chunk.getMeta_data().getStatistics();
        if (stats == null || !stats.isSetMin_value() || !stats.isSetMax_value()) {
          return Optional.empty();
        }
        return Optional.of(new Range(new String(stats.getMin_value(), StandardCharsets.UTF_8),
            new String(stats.getMax_value(), StandardCharsets.UTF_8)));
      }
    }
    return Optional.empty();
  }

  List<SchemaElement> schema() {
    return footer.getSchema();
  }

  RowGroup rowGroup(int index) {
    return footer.getRow_groups().get(index);
  }

  /** Writes the bytes of a row group (its column chunks) to {@code out}; returns how many. */
  long copyBytes(int index, OutputStream out) throws IOException {
    RowGroup rowGroup = rowGroup(index);
    long start = ParquetFooter.start(rowGroup);
    long length = ParquetFooter.length(rowGroup);
    if (start < ParquetFooter.MAGIC.length || start + length > bytes.length) {
      throw new IOException("row group " + index + " of " + name + " lies outside the file's " + bytes.length
          + " bytes (" + start + " + " + length + "): the file is corrupt");
    }
    out.write(bytes, (int) start, (int) length);
    return length;
  }

  /**
   * A reader of one row group: a Parquet file in memory of that row group alone, so that parquet-mr converts its
   * footer entry only. The caller closes it.
   */
  ParquetFileReader reader(int index) throws IOException {
    RowGroup rowGroup = rowGroup(index);
    ByteArrayOutputStream single = new ByteArrayOutputStream((int) ParquetFooter.length(rowGroup) + 4096);
    single.write(ParquetFooter.MAGIC);
    copyBytes(index, single);
    ParquetFooter.write(ParquetFooter.of(footer,
        List.of(ParquetFooter.moved(rowGroup, ParquetFooter.MAGIC.length, 0, name)), Map.of()), single);
    // Plain options (the default ones load a Hadoop Configuration, its XML resources, for every file opened), made
    // for each reader: they hold the decompressors, which are not thread-safe, and writers read files concurrently.
    return ParquetFileReader.open(new InMemoryParquet.In(single.toByteArray()),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
  }

  @Override
  public String toString() {
    return String.valueOf(name);
  }
}
