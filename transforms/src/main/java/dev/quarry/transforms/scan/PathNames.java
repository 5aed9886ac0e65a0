package dev.quarry.transforms.scan;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as bytes. Paths in the tables are UTF-8 strings; a name that is not UTF-8 (Latin-1 from an old
 * archive, say) has no exact string form, and decoding it with replacement characters would make two names one
 * ({@code caf\xE9.py} and {@code caf\xE8.py} would both read {@code caf\uFFFD.py}) and name a file that does not
 * exist. Such a name is written with each byte that is not part of valid UTF-8 as {@code \xHH}: distinct names stay
 * distinct, and the row says the file cannot be read by path.
 */
final class PathNames {
  private PathNames() {}

  /** The name as a string when its bytes are valid UTF-8, else null. */
  static String display(byte[] raw) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Valid UTF-8 runs as they are, every other byte as {@code \xHH} (upper-case hex). */
  static String escaped(byte[] raw) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < raw.length) {
      int n = sequenceLength(raw, i);
      if (n > 0) {
        sb.append(new String(raw, i, n, StandardCharsets.UTF_8));
        i += n;
      } else {
        sb.append(String.format("\\x%02X", raw[i] & 0xFF));
        i++;
      }
    }
    return sb.toString();
  }

  /**
   * The bytes of {@code file}'s path below {@code root}, exactly as the file system holds them. {@link Path#toString}
   * would decode them (lossily for names that are not UTF-8); the URI form percent-encodes the raw bytes instead.
   */
  static byte[] rawBytes(Path root, Path file) {
    String rootUri = trimSlash(root.toUri().getRawPath());
    String fileUri = trimSlash(file.toUri().getRawPath());
    if (!fileUri.startsWith(rootUri + "/")) {
      throw new IllegalArgumentException(file + " is not below " + root);
    }
    String rel = fileUri.substring(rootUri.length() + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(rel.length());
    for (int i = 0; i < rel.length(); i++) {
      char c = rel.charAt(i);
      if (c == '%' && i + 2 < rel.length()) {
        out.write(Integer.parseInt(rel.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }

  /** Length of the well-formed UTF-8 sequence at {@code i}, or 0 when the byte there starts none. */
  private static int sequenceLength(byte[] b, int i) {
    int c = b[i] & 0xFF;
    if (c < 0x80) {
      return 1;
    }
    int n;
    int lo = 0x80;
    int hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c == 0xE0) {
      n = 2;
      lo = 0xA0;
    } else if (c == 0xED) {
      n = 2;
      hi = 0x9F;
    } else if (c >= 0xE1 && c <= 0xEF) {
      n = 2;
    } else if (c == 0xF0) {
      n = 3;
      lo = 0x90;
    } else if (c == 0xF4) {
      n = 3;
      hi = 0x8F;
    } else if (c >= 0xF1 && c <= 0xF3) {
      n = 3;
    } else {
      return 0;
    }
    for (int k = 1; k <= n; k++) {
      if (i + k >= b.length) {
        return 0;
      }
      int d = b[i + k] & 0xFF;
      if (k == 1 ? d < lo || d > hi : d < 0x80 || d > 0xBF) {
        return 0;
      }
    }
    return n + 1;
  }
}
