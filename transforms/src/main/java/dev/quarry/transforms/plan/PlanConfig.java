package dev.quarry.transforms.plan;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that decides what the plan contains and how jobs run. It is recorded in {@code plan.json} as the
 * config snapshot; identical config and inputs give an identical plan.
 *
 * @param maxFileBytes files larger than this are skipped ({@code over_file_cap})
 * @param maxTotalBytes once this many bytes are planned, later files in plan order are skipped
 *     ({@code over_total_cap})
 * @param parseTimeoutMs per-job parse time budget; a halted parse becomes a {@code parse_timeout} diagnostic
 * @param shardTargetBytes a wasmKey gets one shard per this many planned bytes, so a hot grammar spreads over
 *     every worker
 * @param maxShardsPerKey upper bound of shards per wasmKey
 * @param bucketTargetBytes a repo's output tables get one file per this many source bytes
 * @param recordTimings fill {@code segments.parse_ms}; off by default because wall times make snapshots
 *     differ between runs
 */
public record PlanConfig(
    long maxFileBytes,
    long maxTotalBytes,
    long parseTimeoutMs,
    int maxChunkBytes,
    int minChunkBytes,
    long shardTargetBytes,
    int maxShardsPerKey,
    long bucketTargetBytes,
    boolean recordTimings)
    implements Serializable {

  public static PlanConfig defaults() {
    return new PlanConfig(
        4L << 20, Long.MAX_VALUE, 10_000, 2048, 256, 8L << 20, 64, 8L << 20, false);
  }

  public PlanConfig {
    require(maxFileBytes > 0, "max-file-bytes", maxFileBytes, "> 0");
    require(maxTotalBytes > 0, "max-total-bytes", maxTotalBytes, "> 0");
    require(parseTimeoutMs > 0, "parse-timeout-ms", parseTimeoutMs, "> 0");
    require(maxChunkBytes >= 64, "max-chunk-bytes", maxChunkBytes, ">= 64");
    require(minChunkBytes >= 0 && minChunkBytes <= maxChunkBytes, "min-chunk-bytes", minChunkBytes,
        "between 0 and max-chunk-bytes (" + maxChunkBytes + ")");
    require(shardTargetBytes > 0, "shard-target-bytes", shardTargetBytes, "> 0");
    require(maxShardsPerKey >= 1, "max-shards-per-key", maxShardsPerKey, ">= 1");
    require(bucketTargetBytes > 0, "bucket-target-bytes", bucketTargetBytes, "> 0");
  }

  private static void require(boolean ok, String option, long value, String allowed) {
    if (!ok) {
      throw new IllegalArgumentException("--" + option + "=" + value + " is out of range: it must be " + allowed + ".");
    }
  }

  public Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("maxFileBytes", maxFileBytes);
    m.put("maxTotalBytes", maxTotalBytes);
    m.put("parseTimeoutMs", parseTimeoutMs);
    m.put("maxChunkBytes", maxChunkBytes);
    m.put("minChunkBytes", minChunkBytes);
    m.put("shardTargetBytes", shardTargetBytes);
    m.put("maxShardsPerKey", maxShardsPerKey);
    m.put("bucketTargetBytes", bucketTargetBytes);
    m.put("recordTimings", recordTimings);
    m.put("tableVersions", TableVersions.of(this));
    return m;
  }
}
