package dev.quarry.transforms.plan;

import dev.quarry.schemas.StableIds;

/**
 * Deterministic assignment of files to output files. A repo's tables are split into {@code count} buckets by a
 * content hash of the path, so the file a row lands in depends only on the inputs, never on the runner or its
 * parallelism.
 */
public final class Buckets {
  static final int MAX_BUCKETS = 1024;

  private Buckets() {}

  public static int count(long repoBytes, long targetBytes) {
    long n = (repoBytes + targetBytes - 1) / targetBytes;
    return (int) Math.max(1, Math.min(MAX_BUCKETS, n));
  }

  public static int bucketOf(String path, int count) {
    if (count == 1) {
      return 0;
    }
    long h = Long.parseUnsignedLong(StableIds.hash("bucket", path).substring(0, 15), 16);
    return (int) (h % count);
  }
}
