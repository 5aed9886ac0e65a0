package dev.quarry.transforms.segment;

/** Byte-level helpers for the lexers: containers are scanned as bytes so every offset is a container offset. */
final class Bytes {
  private Bytes() {}

  static int bomLength(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
  }

  static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  static boolean startsWith(byte[] b, int at, int to, String ascii) {
    if (at < 0 || at + ascii.length() > to) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** ASCII case-insensitive match of {@code ascii} (which must be lower case) at {@code at}. */
  static boolean startsWithIgnoreCase(byte[] b, int at, int to, String ascii) {
    if (at < 0 || at + ascii.length() > to) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (lower(b[at + i]) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static int indexOfIgnoreCase(byte[] b, String ascii, int from, int to) {
    for (int i = from; i + ascii.length() <= to; i++) {
      if (startsWithIgnoreCase(b, i, to, ascii)) {
        return i;
      }
    }
    return -1;
  }

  static int lower(byte c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c & 0xFF;
  }

  static boolean isAsciiLetter(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** HTML's ASCII whitespace: tab, LF, FF, CR, space. */
  static boolean isHtmlSpace(byte c) {
    return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
  }
}
