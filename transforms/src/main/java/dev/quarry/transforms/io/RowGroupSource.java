package dev.quarry.transforms.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;

/**
 * A Parquet file whose row groups can be appended, byte for byte, to a file being written
 * ({@link RowGroupFileWriter#append}). Only the footer is read when it is opened.
 */
public final class RowGroupSource implements Closeable {
  /** The smallest and largest value of a string column in one row group. */
  public record Range(String min, String max) {}

  private final ParquetFileReader reader;
  private final SeekableInputStream in;

  private RowGroupSource(InputFile file) throws IOException {
    // Plain options (the default ones load a Hadoop Configuration, its XML resources, for every file opened), made
    // for each file: they hold the decompressors, which are not thread-safe, and writers read files concurrently.
    this.reader = ParquetFileReader.open(file, ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    SeekableInputStream stream = null;
    try {
      stream = file.newStream();
    } finally {
      if (stream == null) {
        reader.close();
      }
    }
    this.in = stream;
  }

  /**
   * Opens {@code file}, read into memory whole: a table file is a few MB, and copying reads its page headers and
   * indexes through Thrift, byte by byte, which an unbuffered file stream would turn into a system call per byte.
   */
  public static RowGroupSource open(Path file) throws IOException {
    return of(Files.readAllBytes(file));
  }

  static RowGroupSource of(byte[] parquet) throws IOException {
    return new RowGroupSource(new InMemoryParquet.In(parquet));
  }

  public List<BlockMetaData> rowGroups() {
    return reader.getRowGroups();
  }

  /** The file's footer key-value metadata. */
  public Map<String, String> metadata() {
    return reader.getFileMetaData().getKeyValueMetaData();
  }

  /**
   * The range of a string column in a row group, from the footer's statistics; empty when the writer recorded none
   * (Parquet leaves out statistics of very long values).
   */
  public Optional<Range> range(BlockMetaData rowGroup, String column) {
    for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
      if (chunk.getPath().toDotString().equals(column)) {
        Statistics<?> stats = chunk.getStatistics();
        if (stats == null || !stats.hasNonNullValue() || !(stats.genericGetMin() instanceof Binary min)
            || !(stats.genericGetMax() instanceof Binary max)) {
          return Optional.empty();
        }
        return Optional.of(new Range(min.toStringUsingUTF8(), max.toStringUsingUTF8()));
      }
    }
    return Optional.empty();
  }

  ParquetFileReader reader() {
    return reader;
  }

  SeekableInputStream stream() {
    return in;
  }

  @Override
  public void close() throws IOException {
    try (reader) {
      in.close();
    }
  }
}
