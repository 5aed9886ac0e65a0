package dev.quarry.transforms.io;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Encodes one row group at a time into a small Parquet file in memory, which {@link RowGroupFileWriter} then appends.
 * A row comes either from a record, written through {@link AvroWriteSupport} as a {@code ParquetWriter} writes it, or
 * from a row group of an earlier file of the same schema, copied value by value from its column readers into the
 * column writers ({@link RowGroupCursor}), without decoding it into a record and encoding it again. Both feed the same
 * column writers, value by value in row order, so a row group's bytes do not depend on where its rows came from.
 *
 * <p>The stack is {@code ParquetWriter}'s (page store, column store, record consumer), assembled here because the
 * column writers are not reachable through it. Unlike a {@code ParquetWriter} it never splits a row group by size: a
 * group holds the rows of a few files, each under the plan's file size cap.
 */
final class RowGroupEncoder implements AutoCloseable {
  /**
   * Names the settings below: a row group is copied from an earlier file only when it was written with the same
   * ones ({@code RowGroups}), so change this whenever they change.
   */
  static final String ENCODING = "columns-v2-snappy-delta-token-offsets-plain-uids-stats-repo-path-language-kind";

  private final MessageType schema;
  private final List<ColumnDescriptor> descriptors;
  private final ParquetProperties properties;
  private final CodecFactory codecs;
  private final CompressionCodecFactory.BytesInputCompressor compressor;
  private final AvroWriteSupport<SpecificRecord> avro;
  private final Map<String, String> avroFooter;

  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore columns;
  private ColumnWriter[] writers;
  private RecordConsumer consumer;
  private long rows;

  RowGroupEncoder(Schema schema) {
    PlainParquetConfiguration conf = ParquetFiles.writeConf();
    this.schema = new AvroSchemaConverter(conf).convert(schema);
    this.descriptors = this.schema.getColumns();
    // Version 2 pages, as ParquetFiles.write; token bucket offsets rise within a chunk, so they are delta-packed, not
    // dictionary-encoded (a dictionary of them per small row group cost a quarter of the chunks file), and each
    // chunk_uid is unique, so a dictionary of them is only work.
    // Min/max statistics only where they can rule a row group out: repo and path (a group holds a few files, and
    // readers find a file's rows by them), language and kind (few values, often one language per group). Over a few
    // files' rows the others span nearly their whole range (lines, offsets, names) or prune nothing at all (content
    // hashes, values inside the token bucket lists), and they were costly: every value of a re-encoded group updated
    // them, and every footer written or read converted them, column chunk by column chunk. Without them a nightly
    // rerun with 1 % of the files changed took 8.0 s instead of 9.1 s (5 alternating runs each). Size statistics
    // (level histograms, unencoded sizes) are left out for the same reasons.
    this.properties = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
        .withDictionaryEncoding("token_buckets.list.element.start", false)
        .withDictionaryEncoding("token_buckets.list.element.end", false)
        .withDictionaryEncoding("chunk_uid", false)
        .withStatisticsEnabled(false)
        .withStatisticsEnabled("repo", true)
        .withStatisticsEnabled("path", true)
        .withStatisticsEnabled("language", true)
        .withStatisticsEnabled("kind", true)
        .withSizeStatisticsEnabled(false)
        .build();
    this.codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    this.compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
    this.avro = new AvroWriteSupport<>(this.schema, schema, SpecificData.get());
    this.avroFooter = avro.init(conf).getExtraMetaData();
  }

  MessageType schema() {
    return schema;
  }

  /** The footer metadata an Avro writer leaves: the Avro schema, so readers get the same records back. */
  Map<String, String> avroFooter() {
    return avroFooter;
  }

  /** Appends a record as the next row of the current row group. */
  void write(SpecificRecord row) {
    start();
    avro.write(row);
    rows++;
  }

  /**
   * Appends the current row of {@code readers} (one per column of this schema, in its order) as the next row, and
   * moves the readers past it.
   */
  void copy(ColumnReader[] readers, long[] left) {
    start();
    // A record written before may have left nulls of its missing groups cached in the record consumer; they precede
    // this row in their columns, as they would precede the next record's values.
    consumer.flush();
    RowGroupCursor.move(readers, left, writers);
    columns.endRecord();
    rows++;
  }

  /** The current row group as a Parquet file, or null when it has no rows; the next row starts a new one. */
  byte[] finish() throws IOException {
    if (rows == 0) {
      return null;
    }
    consumer.flush();
    InMemoryParquet.Out out = new InMemoryParquet.Out();
    ParquetFileWriter file = fileWriter(out);
    file.startBlock(rows);
    columns.flush();
    pages.flushToFileWriter(file);
    file.endBlock();
    file.end(Map.of());
    release();
    return out.bytes();
  }

  /** A Parquet file of this schema without rows, as these settings write it. */
  byte[] emptyFile() throws IOException {
    InMemoryParquet.Out out = new InMemoryParquet.Out();
    fileWriter(out).end(Map.of());
    return out.bytes();
  }

  private ParquetFileWriter fileWriter(InMemoryParquet.Out out) throws IOException {
    ParquetFileWriter file = new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.OVERWRITE, Long.MAX_VALUE, 0,
        properties.getColumnIndexTruncateLength(), properties.getStatisticsTruncateLength(),
        properties.getPageWriteChecksumEnabled());
    file.start();
    return file;
  }

  private void start() {
    if (columns != null) {
      return;
    }
    pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(),
        properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled(), null, 0);
    columns = properties.newColumnWriteStore(schema, pages, pages);
    writers = new ColumnWriter[descriptors.size()];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = columns.getColumnWriter(descriptors.get(i));
    }
    consumer = new ColumnIOFactory(false).getColumnIO(schema).getRecordWriter(columns);
    avro.prepareForWrite(consumer);
    rows = 0;
  }

  private void release() {
    if (columns != null) {
      columns.close();
      pages.close();
    }
    columns = null;
    pages = null;
    writers = null;
    consumer = null;
    rows = 0;
  }

  @Override
  public void close() {
    release();
    codecs.release();
  }
}
