package dev.quarry.transforms.segment;

import java.io.ByteArrayOutputStream;

/** The same input with other line endings or a byte-order mark: ranges must move with the bytes. */
final class Variants {
  private Variants() {}

  /** Every {@code \n} becomes {@code \r\n}. */
  static byte[] crlf(byte[] lf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(lf.length + lf.length / 16);
    for (byte b : lf) {
      if (b == '\n') {
        out.write('\r');
      }
      out.write(b);
    }
    return out.toByteArray();
  }

  /** A UTF-8 byte-order mark in front. */
  static byte[] bom(byte[] bytes) {
    byte[] out = new byte[bytes.length + 3];
    out[0] = (byte) 0xEF;
    out[1] = (byte) 0xBB;
    out[2] = (byte) 0xBF;
    System.arraycopy(bytes, 0, out, 3, bytes.length);
    return out;
  }
}
