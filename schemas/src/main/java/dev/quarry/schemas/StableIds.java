package dev.quarry.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-hash identifiers. Ids must match across workers, runners and reruns, so they are derived only from
 * values (never identity hashes, clocks or random numbers). Parts are length-prefixed so that ("ab","c") and
 * ("a","bc") never collide.
 */
public final class StableIds {
  private static final HexFormat HEX = HexFormat.of();
  /** Never updated: {@link #sha256} hands out clones of it. */
  private static final MessageDigest SHA256 = newSha256();

  private StableIds() {}

  /** 128-bit (32 hex chars) SHA-256 prefix over the length-prefixed UTF-8 parts. */
  public static String hash(Object... parts) {
    MessageDigest digest = sha256();
    for (Object part : parts) {
      byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
      digest.update(intBytes(bytes.length));
      digest.update(bytes);
    }
    return HEX.formatHex(digest.digest(), 0, 16);
  }

  /** Full hex SHA-256 of a byte range, as used for {@code file_sha256} and {@code content_hash}. */
  public static String sha256Hex(byte[] bytes, int offset, int length) {
    MessageDigest digest = sha256();
    digest.update(bytes, offset, length);
    return HEX.formatHex(digest.digest());
  }

  public static String sha256Hex(byte[] bytes) {
    return sha256Hex(bytes, 0, bytes.length);
  }

  public static String chunkUid(String repo, String path, String segmentUid, long start, long end) {
    return "ch-" + hash("chunk", repo, path, segmentUid, start, end);
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      // A clone of an unused digest: looking the algorithm up among the security providers for each of the
      // hundreds of thousands of ids a run makes cost more than hashing them.
      return (MessageDigest) SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return newSha256();
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static byte[] intBytes(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
  }
}
