package dev.quarry.transforms.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a fuzzer's raw bytes as a few header values followed by a body. Targets take {@code byte[]} rather than
 * Jazzer's {@code FuzzedDataProvider} so that seed files are easy to write by hand: a header of {@code n} bytes,
 * then the text. Reads past the end yield zeros, so every input (the empty one included) is valid.
 */
final class FuzzBytes {
  private final byte[] data;
  private int pos;

  FuzzBytes(byte[] data) {
    this.data = data;
  }

  /** The next header byte, 0..255. */
  int u8() {
    return pos < data.length ? data[pos++] & 0xFF : 0;
  }

  /** The next two header bytes, big-endian, 0..65535. */
  int u16() {
    return (u8() << 8) | u8();
  }

  /** The next four header bytes as a signed int, big-endian. */
  int i32() {
    return (u16() << 16) | u16();
  }

  /** Everything after the header, as is. */
  byte[] rest() {
    byte[] out = pos < data.length ? Arrays.copyOfRange(data, pos, data.length) : new byte[0];
    pos = data.length;
    return out;
  }

  /** Up to {@code n} bytes. */
  byte[] take(int n) {
    int end = Math.min(data.length, pos + Math.max(0, n));
    byte[] out = pos < end ? Arrays.copyOfRange(data, pos, end) : new byte[0];
    pos = Math.max(pos, end);
    return out;
  }

  boolean hasMore() {
    return pos < data.length;
  }

  /**
   * {@code bytes} made valid UTF-8 the way the executor would only ever pass it on: undecodable bytes become
   * U+FFFD, and NUL (classified {@code binary}, never parsed) becomes a space.
   */
  static byte[] validUtf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
  }
}
