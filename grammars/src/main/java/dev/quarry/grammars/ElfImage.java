package dev.quarry.grammars;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A structural check of an ELF shared library before the dynamic loader maps it. The loader maps segments by the
 * sizes the headers claim; a library cut short (a torn write at build time, a truncated copy whose hash was recorded
 * as it was) makes the process die with SIGBUS inside {@code dlopen}, with no message Quarry could print. Checking
 * that every header and loadable segment lies inside the file turns that into a {@link GrammarLoadException}.
 * Files that are not ELF (other platforms) are left to the loader.
 */
final class ElfImage {
  private static final int PT_LOAD = 1;

  private ElfImage() {}

  /** Null when the file is a complete ELF image (or not ELF at all), else what is wrong with it. */
  static String problem(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer magic = read(ch, 0, 4);
      if (magic == null || magic.getInt(0) != 0x464C457F) { // "\x7FELF" read little-endian
        return null;
      }
      ByteBuffer header = read(ch, 0, 64);
      if (header == null) {
        return "shorter than an ELF header (" + size + " bytes)";
      }
      if (header.get(4) != 2) {
        return null; // 32-bit: not a platform Quarry builds for; the loader decides
      }
      ByteOrder order = header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      header.order(order);
      long phoff = header.getLong(32);
      long shoff = header.getLong(40);
      int phentsize = Short.toUnsignedInt(header.getShort(54));
      int phnum = Short.toUnsignedInt(header.getShort(56));
      int shentsize = Short.toUnsignedInt(header.getShort(58));
      int shnum = Short.toUnsignedInt(header.getShort(60));
      if (outside(phoff, (long) phentsize * phnum, size)) {
        return "program headers at " + phoff + " (" + phnum + " x " + phentsize + " bytes) lie beyond its "
            + size + " bytes";
      }
      if (shnum > 0 && outside(shoff, (long) shentsize * shnum, size)) {
        return "section headers at " + shoff + " (" + shnum + " x " + shentsize + " bytes) lie beyond its "
            + size + " bytes";
      }
      for (int i = 0; i < phnum; i++) {
        ByteBuffer ph = read(ch, phoff + (long) i * phentsize, 56);
        if (ph == null) {
          return "program header " + i + " is cut off";
        }
        ph.order(order);
        if (ph.getInt(0) == PT_LOAD) {
          long offset = ph.getLong(8);
          long filesz = ph.getLong(32);
          if (outside(offset, filesz, size)) {
            return "loadable segment " + i + " [" + offset + ", " + (offset + filesz) + ") lies beyond its " + size
                + " bytes";
          }
        }
      }
      return null;
    }
  }

  private static boolean outside(long offset, long length, long size) {
    return offset < 0 || length < 0 || offset > size || length > size - offset;
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        return null;
      }
    }
    return b.flip();
  }
}
