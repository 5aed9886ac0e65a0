package dev.quarry.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.EncryptionAlgorithm;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Util;

/**
 * A Parquet footer as its Thrift structures ({@code parquet-format}), for files assembled from row groups: a copied
 * row group keeps its footer entry as it was, its byte offsets moved to where its bytes now lie. Going through
 * parquet-mr's own metadata model instead meant converting every column chunk's metadata on every footer read and
 * written, a tenth of a nightly run's writing (each bucket's chunks and symbols files hold thousands of column
 * chunks). The snapshot's verification reads row counts through it too ({@link #numRows}).
 */
public final class ParquetFooter {
  /** Starts and ends every Parquet file. */
  static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  /** The footer's length (4 bytes, little-endian) and the magic end a file. */
  public static final int TAIL = 8;

  private ParquetFooter() {}

  /** The footer of a whole Parquet file held in memory; {@code name} says which file in errors. */
  static FileMetaData read(byte[] file, Object name) throws IOException {
    int size = file.length;
    ByteBuffer tail = ByteBuffer.wrap(file, Math.max(0, size - TAIL), Math.min(size, TAIL)).slice();
    int length = footerLength(tail, size, name);
    if (!hasMagic(file, 0)) {
      throw incomplete(name, size, length);
    }
    return Util.readFileMetaData(new ByteArrayInputStream(file, size - TAIL - length, length));
  }

  /**
   * The length of the footer that ends before a file's last {@link #TAIL} bytes, {@code tail}, checked against the
   * file's {@code size}: a file cut short or overwritten fails here, naming {@code name}.
   */
  public static int footerLength(ByteBuffer tail, long size, Object name) throws IOException {
    if (size < MAGIC.length + TAIL || tail.remaining() < TAIL) {
      throw incomplete(name, size, -1);
    }
    ByteBuffer le = tail.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int length = le.getInt(le.position());
    for (int i = 0; i < MAGIC.length; i++) {
      if (le.get(le.position() + 4 + i) != MAGIC[i]) {
        throw incomplete(name, size, length);
      }
    }
    if (length <= 0 || length > size - MAGIC.length - TAIL) {
      throw incomplete(name, size, length);
    }
    return length;
  }

  /**
   * The {@code num_rows} of a footer, decoded only up to that field: decoding every row group's metadata (or even
   * skipping over it field by field) cost a tenth of a nightly run's verification, whose files have thousands of row
   * groups. Writers put {@code num_rows} (field 3) before the row groups (field 4); a footer that does not is read
   * to its end.
   */
  public static long numRows(byte[] footer, Object name) throws IOException {
    NumRows numRows = new NumRows();
    try {
      Util.readFileMetaData(new ByteArrayInputStream(footer), numRows, true);
    } catch (NumRows.Found found) {
      // stopped at num_rows
    }
    if (numRows.rows < 0) {
      throw new IOException(name + " has a Parquet footer without num_rows: it was not written by a Parquet writer");
    }
    return numRows.rows;
  }

  private static IOException incomplete(Object name, long size, int footerLength) {
    return new IOException(name + " is not a complete Parquet file (" + size + " bytes, footer length "
        + footerLength + "): it was truncated or overwritten after it was written");
  }

  /** Writes the footer, its length and the closing magic. */
  static void write(FileMetaData footer, OutputStream out) throws IOException {
    CountingOut counted = new CountingOut(out);
    Util.writeFileMetaData(footer, counted);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(counted.count).array());
    out.write(MAGIC);
  }

  /** A footer with {@code template}'s schema, version, writer and column orders, and these row groups. */
  static FileMetaData of(FileMetaData template, List<RowGroup> rowGroups, Map<String, String> metadata) {
    long rows = rowGroups.stream().mapToLong(RowGroup::getNum_rows).sum();
    FileMetaData footer = new FileMetaData(template.getVersion(), template.getSchema(), rows, rowGroups);
    footer.setKey_value_metadata(metadata.entrySet().stream()
        .map(e -> new KeyValue(e.getKey()).setValue(e.getValue())).toList());
    footer.setCreated_by(template.getCreated_by());
    if (template.isSetColumn_orders()) {
      footer.setColumn_orders(template.getColumn_orders());
    }
    return footer;
  }

  /** Where the bytes of a row group start: its first column chunk's first page. */
  static long start(RowGroup rowGroup) {
    return start(rowGroup.getColumns().get(0).getMeta_data());
  }

  /** The length of a row group's bytes, its column chunks one after the other (checked by {@link #moved}). */
  static long length(RowGroup rowGroup) {
    return rowGroup.getColumns().stream().mapToLong(c -> c.getMeta_data().getTotal_compressed_size()).sum();
  }

  /**
   * A copy of a row group's footer entry for its bytes moved from {@code start(rowGroup)} to {@code to}, as the
   * {@code ordinal}-th row group of its new file, without page indexes (they lie elsewhere in the file, and the
   * files this makes have none: see {@link RowGroupFileWriter}). Refuses what cannot be moved with the row group's
   * bytes alone: column chunks not one after the other, or with bloom filters or in another file.
   */
  static RowGroup moved(RowGroup rowGroup, long to, int ordinal, Object source) throws IOException {
    if (rowGroup.getColumns().isEmpty()) {
      throw new IOException("a row group of " + source + " has no columns");
    }
    long shift = to - start(rowGroup);
    RowGroup copy = rowGroup.deepCopy();
    long next = start(rowGroup);
    for (ColumnChunk chunk : copy.getColumns()) {
      ColumnMetaData m = chunk.getMeta_data();
      if (m == null || start(m) != next || m.isSetBloom_filter_offset() || chunk.isSetFile_path()) {
        throw new IOException("row group " + rowGroup.getOrdinal() + " of " + source + " cannot be copied: column "
            + (m == null ? "?" : String.join(".", m.getPath_in_schema())) + " is not stored right after the one"
            + " before it, or it has a bloom filter or is in another file; only row groups this writer made can be"
            + " copied");
      }
      chunk.unsetColumn_index_offset();
      chunk.unsetColumn_index_length();
      chunk.unsetOffset_index_offset();
      chunk.unsetOffset_index_length();
      next = start(m) + m.getTotal_compressed_size();
      m.setData_page_offset(m.getData_page_offset() + shift);
      if (m.isSetDictionary_page_offset()) {
        m.setDictionary_page_offset(m.getDictionary_page_offset() + shift);
      }
      if (m.isSetIndex_page_offset()) {
        m.setIndex_page_offset(m.getIndex_page_offset() + shift);
      }
      // Deprecated and written as 0 by parquet-mr; an offset where a writer set one.
      if (chunk.getFile_offset() != 0) {
        chunk.setFile_offset(chunk.getFile_offset() + shift);
      }
    }
    copy.setFile_offset(to);
    copy.setTotal_compressed_size(next - start(rowGroup));
    copy.setOrdinal((short) ordinal);
    return copy;
  }

  private static long start(ColumnMetaData m) {
    return m.isSetDictionary_page_offset() && m.getDictionary_page_offset() > 0
        ? Math.min(m.getDictionary_page_offset(), m.getData_page_offset())
        : m.getData_page_offset();
  }

  private static boolean hasMagic(byte[] file, int at) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (file[at + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Takes {@code num_rows} from a footer as it is decoded, and stops the decoding there. */
  private static final class NumRows extends Util.FileMetaDataConsumer {
    private long rows = -1;

    /** Thrown to stop decoding; without a stack trace, as it is no error. */
    private static final class Found extends RuntimeException {
      Found() {
        super(null, null, false, false);
      }
    }

    @Override
    public void setNumRows(long numRows) {
      rows = numRows;
      throw new Found();
    }

    @Override
    public void setVersion(int version) {}

    @Override
    public void setSchema(List<SchemaElement> schema) {}

    @Override
    public void addRowGroup(RowGroup rowGroup) {}

    @Override
    public void addKeyValueMetaData(KeyValue kv) {}

    @Override
    public void setCreatedBy(String createdBy) {}

    @Override
    public void setEncryptionAlgorithm(EncryptionAlgorithm algorithm) {}

    @Override
    public void setFooterSigningKeyMetadata(byte[] metadata) {}
  }

  private static final class CountingOut extends OutputStream {
    private final OutputStream out;
    private int count;

    CountingOut(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
