package dev.quarry.transforms.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet file held in memory: a row group is encoded here before it is appended to a table file
 * ({@link RowGroupFileWriter}), so that every row group of a file is made the same way whether it is encoded now or
 * copied from a file written earlier. Parquet ships file and Hadoop implementations of its I/O interfaces only.
 */
final class InMemoryParquet {
  private InMemoryParquet() {}

  /** Collects what a writer writes; {@link #bytes()} once the writer is closed. */
  static final class Out implements OutputFile {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);

    byte[] bytes() {
      return buffer.toByteArray();
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new DelegatingPositionOutputStream(buffer) {
        @Override
        public long getPos() {
          return buffer.size();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      buffer.reset();
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }

  /** Reads a Parquet file from a byte array. */
  static final class In implements InputFile {
    private final byte[] bytes;

    In(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public long getLength() {
      return bytes.length;
    }

    @Override
    public SeekableInputStream newStream() {
      Seekable in = new Seekable(bytes);
      return new DelegatingSeekableInputStream(in) {
        @Override
        public long getPos() {
          return in.position();
        }

        @Override
        public void seek(long newPos) {
          in.seek(newPos);
        }
      };
    }
  }

  /** A byte array stream whose position can be read and set. */
  private static final class Seekable extends ByteArrayInputStream {
    Seekable(byte[] bytes) {
      super(bytes);
    }

    long position() {
      return pos;
    }

    void seek(long position) {
      if (position < 0 || position > count) {
        throw new IllegalArgumentException("seek to " + position + " in a " + count + "-byte Parquet buffer");
      }
      pos = (int) position;
    }
  }
}
