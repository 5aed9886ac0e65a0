package dev.quarry.transforms.write;

import dev.quarry.schemas.Table;
import java.util.Locale;

/** The writer's GroupByKey key: one repo's bucket, and where its table files go. */
record BucketKey(String repo, int bucket, int count) {
  static String of(String repo, int bucket, int count) {
    return repo + "\u0000" + bucket + "\u0000" + count;
  }

  static BucketKey parse(String key) {
    String[] parts = key.split("\u0000");
    return new BucketKey(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  /** {@code <table>/repo=<repo>/part-00003-of-00008.parquet}, relative to the snapshot directory. */
  String relativeFile(Table table) {
    return table.dirName() + "/repo=" + repo + "/"
        + String.format(Locale.ROOT, "part-%05d-of-%05d.parquet", bucket, count);
  }
}
