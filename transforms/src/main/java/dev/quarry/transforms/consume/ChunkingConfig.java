package dev.quarry.transforms.consume;

import java.io.Serializable;

/**
 * Chunk size limits, in bytes. See {@code docs/consumers.md} for the algorithm.
 *
 * @param maxChunkBytes a chunk is at most this long, unless it is a single token (plus the whitespace around it)
 *     that is longer; tokens are never split
 * @param minChunkBytes a chunk that has reached this size no longer absorbs a following definition (so sizable
 *     definitions get chunks of their own while small neighbours are merged)
 */
public record ChunkingConfig(int maxChunkBytes, int minChunkBytes) implements Serializable {
  public static final int DEFAULT_MAX_CHUNK_BYTES = 2048;
  public static final int DEFAULT_MIN_CHUNK_BYTES = 256;

  public ChunkingConfig {
    if (maxChunkBytes < 1) {
      throw new IllegalArgumentException("maxChunkBytes=" + maxChunkBytes + " is out of range: it must be >= 1");
    }
    if (minChunkBytes < 0 || minChunkBytes > maxChunkBytes) {
      throw new IllegalArgumentException(
          "minChunkBytes=" + minChunkBytes + " is out of range: it must be between 0 and maxChunkBytes ("
              + maxChunkBytes + ")");
    }
  }

  public static ChunkingConfig defaults() {
    return new ChunkingConfig(DEFAULT_MAX_CHUNK_BYTES, DEFAULT_MIN_CHUNK_BYTES);
  }

  /** A stable rendering for run metadata and re-run decisions, e.g. {@code max=2048,min=256}. */
  public String fingerprint() {
    return "max=" + maxChunkBytes + ",min=" + minChunkBytes;
  }
}
