package dev.quarry.transforms.io;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads a file whose rows are sorted by a string column ({@code path}, in {@link String#compareTo} order) forward, one
 * path at a time, and copies the rows of a path into a {@link RowGroupEncoder} column by column: the values are not
 * decoded into records. The caller says in which row group a path's rows start (it knows the groups the file was cut
 * into); row groups between are skipped unread. Footer statistics are not used to find rows: Parquet orders strings
 * by their UTF-8 bytes, which differs from the rows' order for some characters.
 */
public final class RowGroupCursor implements Closeable {
  private final RowGroupSource source;
  private final MessageType schema;
  private final List<ColumnDescriptor> descriptors;
  private final int pathColumn;
  private final int[] groupOfBlock;

  /** The row group open, or -1. */
  private int block = -1;
  /** A reader of that row group alone (its pages are decompressed as they are read). */
  private ParquetFileReader reader;
  private ColumnReader[] readers;
  private long[] left;
  private long rowsLeft;
  private String currentPath;

  /**
   * @param schema the schema of the rows to copy into, which the file has too (its writer checked)
   * @param groupOfBlock per row group of the file, the group it belongs to: a path's rows may continue into the next
   *     row group only when it is of the same group
   */
  RowGroupCursor(RowGroupSource source, MessageType schema, String column, int[] groupOfBlock) {
    this.source = source;
    this.schema = schema;
    this.descriptors = schema.getColumns();
    if (groupOfBlock.length != source.rowGroupCount()) {
      throw new IllegalArgumentException(groupOfBlock.length + " groups given for " + source.rowGroupCount()
          + " row groups");
    }
    this.pathColumn = descriptors.indexOf(schema.getColumnDescription(new String[] {column}));
    this.groupOfBlock = groupOfBlock;
  }

  /**
   * Copies every row of {@code path}, whose rows start in row group {@code firstBlock} or later in its group, into
   * {@code to}; returns how many there were. Paths are asked for in the file's order.
   */
  long copy(String path, int firstBlock, RowGroupEncoder to) throws IOException {
    if (firstBlock < block && groupOfBlock[firstBlock] != groupOfBlock[block]) {
      throw new IllegalStateException("rows of " + path + " asked for in row group " + firstBlock + " after row group "
          + block + ": paths must be copied in the order of the file");
    }
    if (firstBlock > block) {
      open(firstBlock);
    }
    long copied = 0;
    while (true) {
      if (rowsLeft == 0) {
        if (block + 1 >= groupOfBlock.length || groupOfBlock[block + 1] != groupOfBlock[block]) {
          return copied;
        }
        open(block + 1);
      }
      int c = currentPath.compareTo(path);
      if (c > 0) {
        return copied;
      }
      if (c == 0) {
        to.copy(readers, left);
        copied++;
      } else {
        move(readers, left, null);
      }
      rowDone();
    }
  }

  private void open(int index) throws IOException {
    close();
    reader = source.reader(index);
    PageReadStore pages = reader.readRowGroup(0);
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, noConverter(schema), schema,
        reader.getFileMetaData().getCreatedBy());
    readers = new ColumnReader[descriptors.size()];
    left = new long[readers.length];
    for (int i = 0; i < readers.length; i++) {
      readers[i] = store.getColumnReader(descriptors.get(i));
      left[i] = readers[i].getTotalValueCount();
    }
    block = index;
    rowsLeft = pages.getRowCount();
    currentPath = rowsLeft > 0 ? readers[pathColumn].getBinary().toStringUsingUTF8() : null;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
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
