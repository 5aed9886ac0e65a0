package dev.quarry.transforms.io;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads a file whose rows are sorted by a string column ({@code path}) forward, one path at a time, and copies the
 * rows of a path into a {@link RowGroupEncoder} column by column: the values are not decoded into records. Row groups
 * whose range (footer statistics) lies before the path asked for are skipped unread.
 */
public final class RowGroupCursor {
  private final RowGroupSource source;
  private final MessageType schema;
  private final List<ColumnDescriptor> descriptors;
  private final int pathColumn;
  private final List<BlockMetaData> blocks;
  private final RowGroupSource.Range[] ranges;

  /** The next row group to open. */
  private int next;
  private ColumnReader[] readers;
  private long[] left;
  private long rowsLeft;
  private String currentPath;

  /**
   * @param schema the schema of the rows to copy into; the file's columns must be the same
   * @throws IOException when the file has other columns or a row group without statistics of {@code column}
   */
  RowGroupCursor(RowGroupSource source, MessageType schema, String column) throws IOException {
    this.source = source;
    this.schema = schema;
    this.descriptors = schema.getColumns();
    if (!source.reader().getFileMetaData().getSchema().equals(schema)) {
      throw new IOException("cannot copy rows of a file with schema " + source.reader().getFileMetaData().getSchema()
          + " into one with schema " + schema + ": the file was written with another schema");
    }
    this.pathColumn = descriptors.indexOf(schema.getColumnDescription(new String[] {column}));
    this.blocks = source.rowGroups();
    this.ranges = new RowGroupSource.Range[blocks.size()];
    for (int b = 0; b < ranges.length; b++) {
      int index = b;
      ranges[b] = source.range(blocks.get(b), column).orElseThrow(() -> new IOException(
          "row group " + index + " has no statistics of column " + column + ": its rows cannot be found by " + column));
    }
  }

  /** Copies every row of {@code path} into {@code to}; returns how many there were. */
  public long copy(String path, RowGroupEncoder to) throws IOException {
    long copied = 0;
    while (at(path)) {
      to.copy(readers, left);
      rowDone();
      copied++;
    }
    return copied;
  }

  /** Whether the current row is of {@code path}, skipping the rows before it. */
  private boolean at(String path) throws IOException {
    while (true) {
      if (rowsLeft == 0 || ranges[next - 1].max().compareTo(path) < 0) {
        if (!open(path)) {
          return false;
        }
      }
      int c = currentPath.compareTo(path);
      if (c >= 0) {
        return c == 0;
      }
      move(readers, left, null);
      rowDone();
    }
  }

  /** Opens the next row group that may hold {@code path}; false when there is none (yet). */
  private boolean open(String path) throws IOException {
    while (next < blocks.size() && ranges[next].max().compareTo(path) < 0) {
      next++;
    }
    if (next == blocks.size() || ranges[next].min().compareTo(path) > 0) {
      rowsLeft = 0;
      return false;
    }
    PageReadStore pages = source.reader().readRowGroup(next);
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, noConverter(schema), schema,
        source.reader().getFileMetaData().getCreatedBy());
    readers = new ColumnReader[descriptors.size()];
    left = new long[readers.length];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = store.getColumnReader(descriptors.get(i));
      left[i] = readers[i].getTotalValueCount();
    }
    rowsLeft = pages.getRowCount();
    next++;
    currentPath = readers[pathColumn].getBinary().toStringUsingUTF8();
    return true;
  }

  private void rowDone() {
    rowsLeft--;
    currentPath = rowsLeft > 0 ? readers[pathColumn].getBinary().toStringUsingUTF8() : null;
  }

  /**
   * Moves every reader past its current row (its values up to the next one with repetition level 0), writing each
   * value with its levels to the column's writer when {@code writers} is not null.
   */
  static void move(ColumnReader[] readers, long[] left, ColumnWriter[] writers) {
    for (int i = 0; i < readers.length; i++) {
      ColumnReader r = readers[i];
      ColumnWriter w = writers == null ? null : writers[i];
      ColumnDescriptor column = r.getDescriptor();
      int maxDefinition = column.getMaxDefinitionLevel();
      do {
        if (w == null) {
          if (r.getCurrentDefinitionLevel() == maxDefinition) {
            r.skip(); // a value not read must be skipped, or the reader's values fall behind its levels
          }
        } else {
          int rl = r.getCurrentRepetitionLevel();
          int dl = r.getCurrentDefinitionLevel();
          if (dl < maxDefinition) {
            w.writeNull(rl, dl);
          } else {
            switch (column.getPrimitiveType().getPrimitiveTypeName()) {
              case INT32 -> w.write(r.getInteger(), rl, dl);
              case INT64 -> w.write(r.getLong(), rl, dl);
              case BOOLEAN -> w.write(r.getBoolean(), rl, dl);
              case FLOAT -> w.write(r.getFloat(), rl, dl);
              case DOUBLE -> w.write(r.getDouble(), rl, dl);
              case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> w.write(r.getBinary(), rl, dl);
            }
          }
        }
        r.consume();
        left[i]--;
      } while (left[i] > 0 && r.getCurrentRepetitionLevel() != 0);
    }
  }

  /** Converters that take nothing: the readers' values are read from the readers, not pushed to converters. */
  private static GroupConverter noConverter(GroupType type) {
    Converter[] children = new Converter[type.getFieldCount()];
    for (int i = 0; i < children.length; i++) {
      Type field = type.getType(i);
      children[i] = field.isPrimitive() ? new PrimitiveConverter() {} : noConverter(field.asGroupType());
    }
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }
}
