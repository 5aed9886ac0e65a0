package dev.quarry.transforms.io;

import dev.quarry.schemas.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;

/**
 * Parquet reading and writing with fixed settings, so identical rows give byte-identical files: one codec, one
 * page and row-group size, and footer metadata that holds no time or run id.
 */
public final class ParquetFiles {
  private static final int ROW_GROUP_BYTES = 64 << 20;
  /** {@code AvroReadSupport}'s read-schema key (its constant is private; its setter takes a Hadoop Configuration). */
  private static final String AVRO_READ_SCHEMA = "parquet.avro.read.schema";

  private ParquetFiles() {}

  /**
   * Writes {@code rows} (already in their final order) to {@code file}, atomically: a temp file in the same
   * directory renamed into place, so a retried or killed writer never leaves a torn file under the final name.
   */
  public static <T extends SpecificRecord> void write(
      Path file, Schema schema, List<T> rows, Map<String, String> metadata) throws IOException {
    Path tmp = tempSibling(file);
    write(new LocalOutputFile(tmp), schema, rows, metadata);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static <T extends SpecificRecord> void write(
      OutputFile out, Schema schema, List<T> rows, Map<String, String> metadata) throws IOException {
    try (ParquetWriter<T> writer =
        AvroParquetWriter.<T>builder(out)
            .withConf(writeConf())
            .withSchema(schema)
            .withDataModel(SpecificData.get())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize((long) ROW_GROUP_BYTES)
            // Version 2 pages, whose integer encoding is delta-binary-packed where a dictionary does not pay (chunks
            // and symbols, the tables written by RowGroupEncoder, use the same).
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withExtraMetaData(metadata)
            .build()) {
      for (T row : rows) {
        writer.write(row);
      }
    }
  }

  /**
   * A fresh temp file beside {@code file} (its directory created), named for this process and thread, to write and
   * then rename into place.
   */
  static Path tempSibling(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid()
        + "-" + Thread.currentThread().threadId());
    Files.deleteIfExists(tmp);
    return tmp;
  }

  static PlainParquetConfiguration writeConf() {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    // Three-level lists are what Spark, Trino and DuckDB expect of list columns.
    conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    return conf;
  }

  /** Footer metadata of a table file. */
  public static Map<String, String> tableMetadata(Table table) {
    return Map.of(
        "quarry.table", table.dirName(),
        "quarry.schema_version", Integer.toString(Table.SCHEMA_VERSION),
        "quarry.sort_order", Table.SORT_ORDER);
  }

  /**
   * Streams the rows of {@code file} as {@code type} into {@code sink}, reading only the columns {@code type} has
   * (matched by name).
   */
  public static <T extends SpecificRecord> void read(Path file, Class<T> type, Consumer<T> sink) throws IOException {
    read(file, type, FilterCompat.NOOP, sink);
  }

  /**
   * As {@link #read(Path, Class, Consumer)}, only the rows whose string {@code column} is one of {@code values}: row
   * groups whose statistics rule them all out are skipped unread, and the rows of the others are kept by a set lookup
   * here. (Parquet's own record-level {@code in} filter compares each value with every value of the set in turn: for
   * the hundreds of paths of a bucket, that was most of the cost of reading its carried rows.)
   */
  public static <T extends SpecificRecord> void read(Path file, Class<T> type, String column, Set<String> values,
      Consumer<T> sink) throws IOException {
    Set<Binary> in = new HashSet<>();
    values.forEach(v -> in.add(Binary.fromString(v)));
    int field = SpecificData.get().getSchema(type).getField(column).pos();
    read(file, type, FilterCompat.get(FilterApi.in(FilterApi.binaryColumn(column), in)), r -> {
      Object value = r.get(field);
      if (value != null && values.contains(value.toString())) {
        sink.accept(r);
      }
    });
  }

  private static <T extends SpecificRecord> void read(Path file, Class<T> type, FilterCompat.Filter filter,
      Consumer<T> sink) throws IOException {
    PlainParquetConfiguration conf = new PlainParquetConfiguration();
    conf.set(AvroReadSupport.AVRO_DATA_SUPPLIER, "org.apache.parquet.avro.SpecificDataSupplier");
    // The projection below is converted to a Parquet schema with the same list layout the writer used (three-level);
    // with the two-level default, a list of records (chunks.token_buckets) cannot be read back.
    conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
    // Projection onto the record class: extra columns in the file are ignored (never read), missing ones take
    // defaults. The class's schema is also the read schema, so a projection record with its own name (such as
    // PreviousSegment over a segments file) materializes as that class.
    String schema = SpecificData.get().getSchema(type).toString();
    conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, schema);
    conf.set(AVRO_READ_SCHEMA, schema);
    // Read into memory whole (a table file is a few MB): with a filter the reader parses page indexes through Thrift
    // straight off the stream, a byte at a time, which on a file stream is a system call per byte.
    try (ParquetReader<T> reader =
        AvroParquetReader.<T>builder(new InMemoryParquet.In(Files.readAllBytes(file)), conf).withDataModel(SpecificData.get())
            .withFilter(filter).useRecordFilter(false).build()) {
      for (T row = reader.read(); row != null; row = reader.read()) {
        sink.accept(row);
      }
    }
  }

  public static <T extends SpecificRecord> List<T> readAll(Path file, Class<T> type) throws IOException {
    List<T> rows = new ArrayList<>();
    read(file, type, rows::add);
    return rows;
  }
}
