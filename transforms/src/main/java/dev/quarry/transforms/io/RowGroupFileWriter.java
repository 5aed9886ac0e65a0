package dev.quarry.transforms.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;

/**
 * Writes a Parquet file one row group at a time: each row group is either encoded from rows ({@link #write}, {@link
 * #copy}, then {@link #endGroup}) or copied byte for byte from another file ({@link #append}). An encoded row group is
 * first written as a small file in memory ({@link RowGroupEncoder}) and then appended like a copied one, so a row
 * group's bytes and its footer entry depend only on its rows: a file assembled from copies equals one encoded afresh.
 * The footer is assembled from the row groups' own footer entries ({@link ParquetFooter}). The file appears under its
 * name only when {@link #commit} succeeds (a temp file renamed into place).
 *
 * <p>The files have no page indexes (column and offset indexes). A row group here holds the rows of a few files, far
 * below a page's size in most columns, so a page index would say little more than the row group's statistics in the
 * footer; reading and writing them again for every copied column chunk was about a tenth of an incremental run's
 * writing.
 */
public final class RowGroupFileWriter implements Closeable {
  /** Names how row groups are encoded and assembled; see {@link RowGroupEncoder#ENCODING}. */
  public static final String ENCODING = RowGroupEncoder.ENCODING + "-thrift-footer";

  private final Path file;
  private final Path tmp;
  private final Map<String, String> metadata;
  private final RowGroupEncoder encoder;
  /** The footer of an empty file of this schema: the schema, writer and column orders every footer repeats. */
  private final FileMetaData template;
  private final OutputStream out;
  private final List<RowGroup> rowGroups = new ArrayList<>();
  /** The last source whose schema was found to be this file's. */
  private RowGroupSource checked;
  private long position;
  private boolean ended;

  public RowGroupFileWriter(Path file, Schema schema, Map<String, String> metadata) throws IOException {
    this.file = file;
    this.tmp = ParquetFiles.tempSibling(file);
    this.encoder = new RowGroupEncoder(schema);
    this.template = ParquetFooter.read(encoder.emptyFile(), "an empty file of " + file.getFileName() + "'s schema");
    // The footer an Avro writer leaves plus the table's own, in key order: a caller's Map.of iterates in an order
    // salted per JVM.
    Map<String, String> footer = new TreeMap<>(encoder.avroFooter());
    footer.putAll(metadata);
    this.metadata = footer;
    this.out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
    out.write(ParquetFooter.MAGIC);
    position = ParquetFooter.MAGIC.length;
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
   * from. The caller closes it.
   */
  public RowGroupCursor cursor(RowGroupSource source, String column, int[] groupOfBlock) throws IOException {
    checkSchema(source);
    return new RowGroupCursor(source, encoder.schema(), column, groupOfBlock);
  }

  /** Appends the row group being encoded; nothing when it has no rows. */
  public void endGroup() throws IOException {
    byte[] encoded = encoder.finish();
    if (encoded == null) {
      return;
    }
    RowGroupSource single = RowGroupSource.of(encoded);
    for (int i = 0; i < single.rowGroupCount(); i++) {
      append(single, i);
    }
  }

  /** Appends row group {@code index} of {@code source}, which must have this file's schema, unchanged. */
  public void append(RowGroupSource source, int index) throws IOException {
    checkSchema(source);
    RowGroup moved = ParquetFooter.moved(source.rowGroup(index), position, rowGroups.size(), source);
    position += source.copyBytes(index, out);
    rowGroups.add(moved);
  }

  private void checkSchema(RowGroupSource source) throws IOException {
    if (source == checked) {
      return;
    }
    if (!source.schema().equals(template.getSchema())) {
      throw new IOException("cannot copy rows of " + source + " into " + file + ": it was written with another"
          + " schema (" + source.schema().stream().map(e -> e.getName()).toList() + ", not " + template.getSchema()
          .stream().map(e -> e.getName()).toList() + ")");
    }
    checked = source;
  }

  /** Writes the footer and moves the file into place. */
  public void commit() throws IOException {
    ParquetFooter.write(ParquetFooter.of(template, rowGroups, metadata), out);
    out.close();
    ended = true;
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws IOException {
    encoder.close();
    if (!ended) {
      out.close();
      Files.deleteIfExists(tmp);
    }
  }
}
