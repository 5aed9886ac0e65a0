package dev.quarry.transforms.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a Parquet file one row group at a time: each row group is either encoded from rows ({@link #write}, {@link
 * #copy}, then {@link #endGroup}) or copied byte for byte from another file ({@link #append}). An encoded row group is
 * first written as a small file in memory ({@link RowGroupEncoder}) and then appended like a copied one, so a row
 * group's bytes depend only on its rows: a file assembled from copies equals one encoded afresh. The file appears
 * under its name only when {@link #commit} succeeds (a temp file renamed into place).
 *
 * <p>The files have no page indexes (column and offset indexes). A row group here holds the rows of a few files, far
 * below a page's size in most columns, so a page index would say little more than the row group's statistics in the
 * footer; reading and writing them again for every copied column chunk was about a tenth of an incremental run's
 * writing.
 */
public final class RowGroupFileWriter implements Closeable {
  /** Names how row groups are encoded; see {@link RowGroupEncoder#ENCODING}. */
  public static final String ENCODING = RowGroupEncoder.ENCODING;

  private final Path file;
  private final Path tmp;
  private final MessageType parquetSchema;
  private final Map<String, String> metadata;
  private final ParquetFileWriter writer;
  private final RowGroupEncoder encoder;
  private boolean ended;

  public RowGroupFileWriter(Path file, Schema schema, Map<String, String> metadata) throws IOException {
    this.file = file;
    this.tmp = ParquetFiles.tempSibling(file);
    this.encoder = new RowGroupEncoder(schema);
    this.parquetSchema = encoder.schema();
    // The footer an Avro writer leaves plus the table's own, in key order: the writer keeps the map's order, and a
    // caller's Map.of iterates in an order salted per JVM.
    Map<String, String> footer = new TreeMap<>(encoder.avroFooter());
    footer.putAll(metadata);
    this.metadata = footer;
    this.writer = new ParquetFileWriter(new LocalOutputFile(tmp), parquetSchema, ParquetFileWriter.Mode.OVERWRITE,
        Long.MAX_VALUE, 0);
    writer.start();
  }

  /** Encodes {@code rows} (in their final order) as the next row group; nothing when there are none. */
  public <T extends SpecificRecord> void encode(List<T> rows) throws IOException {
    for (T row : rows) {
      write(row);
    }
    endGroup();
  }

  /** Adds a row to the row group being encoded. */
  public void write(SpecificRecord row) {
    encoder.write(row);
  }

  /**
   * Adds the rows of {@code path} in {@code from} (a file of this schema), found from its row group {@code
   * firstBlock} on, to the row group being encoded, copied value by value; returns how many there were.
   */
  public long copy(RowGroupCursor from, String path, int firstBlock) throws IOException {
    return from.copy(path, firstBlock, encoder);
  }

  /**
   * A cursor over {@code source}'s rows, sorted by the string column {@code column}, whose row groups belong to the
   * groups {@code groupOfBlock} says (the rows of a path are in the row groups of one group), to {@link #copy} rows
   * from.
   */
  public RowGroupCursor cursor(RowGroupSource source, String column, int[] groupOfBlock) throws IOException {
    return new RowGroupCursor(source, parquetSchema, column, groupOfBlock);
  }

  /** Appends the row group being encoded; nothing when it has no rows. */
  public void endGroup() throws IOException {
    byte[] encoded = encoder.finish();
    if (encoded == null) {
      return;
    }
    try (RowGroupSource group = RowGroupSource.of(encoded)) {
      for (BlockMetaData rowGroup : group.rowGroups()) {
        append(group, rowGroup);
      }
    }
  }

  /** Appends a row group of {@code source}, which must have this file's schema, unchanged. */
  public void append(RowGroupSource source, BlockMetaData rowGroup) throws IOException {
    writer.startBlock(rowGroup.getRowCount());
    List<ColumnChunkMetaData> chunks = rowGroup.getColumns();
    List<ColumnDescriptor> columns = parquetSchema.getColumns();
    for (int i = 0; i < Math.max(chunks.size(), columns.size()); i++) {
      if (i >= chunks.size() || i >= columns.size()
          || !Arrays.equals(chunks.get(i).getPath().toArray(), columns.get(i).getPath())) {
        throw new IOException("cannot copy a row group with columns " + chunks.stream().map(c -> c.getPath()
            .toDotString()).toList() + " into " + file + ", whose schema has other columns: the source file was"
            + " written with another schema");
      }
      ColumnChunkMetaData chunk = chunks.get(i);
      writer.appendColumnChunk(columns.get(i), source.stream(), chunk, null, null, null);
    }
    writer.endBlock();
  }

  /** Writes the footer and moves the file into place. */
  public void commit() throws IOException {
    writer.end(metadata);
    ended = true;
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws IOException {
    encoder.close();
    if (!ended) {
      writer.close();
      Files.deleteIfExists(tmp);
    }
  }
}
