package dev.quarry.pipeline;

import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.scan.SourceRoot;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by {@code extract} and {@code plan}: what to read and the caps the plan applies. */
final class PlanOptions {
  private static final PlanConfig DEFAULTS = PlanConfig.defaults();

  @Option(names = "--source", paramLabel = "[NAME=]DIR",
      description = "Directory to scan (repeatable). The repo name defaults to the directory name.")
  List<String> sources = new ArrayList<>();

  @Option(names = "--manifest", paramLabel = "FILE.parquet", description = "Start from a manifest written by 'quarry scan'.")
  String manifest;

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Repo-relative glob to leave out (repeatable), e.g. 'vendor/**'.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--verify-hashes", description = "Re-hash every file even when size and mtime are unchanged.")
  boolean verifyHashes;

  @Option(names = "--max-file-bytes", paramLabel = "N", description = "Skip files larger than this (default: ${DEFAULT-VALUE}).")
  long maxFileBytes = DEFAULTS.maxFileBytes();

  @Option(names = "--max-total-bytes", paramLabel = "N", description = "Parse at most this many bytes in all, in plan order (default: unlimited).")
  long maxTotalBytes = DEFAULTS.maxTotalBytes();

  @Option(names = "--parse-timeout-ms", paramLabel = "MS", description = "Per-job parse time budget (default: ${DEFAULT-VALUE}).")
  long parseTimeoutMs = DEFAULTS.parseTimeoutMs();

  @Option(names = "--max-chunk-bytes", paramLabel = "N", description = "Largest chunk, unless one token is larger (default: ${DEFAULT-VALUE}).")
  int maxChunkBytes = DEFAULTS.maxChunkBytes();

  @Option(names = "--min-chunk-bytes", paramLabel = "N", description = "Neighbours smaller than this are merged (default: ${DEFAULT-VALUE}).")
  int minChunkBytes = DEFAULTS.minChunkBytes();

  @Option(names = "--shard-target-bytes", paramLabel = "N",
      description = "A grammar gets one parallel shard per this many planned bytes (default: ${DEFAULT-VALUE}).")
  long shardTargetBytes = DEFAULTS.shardTargetBytes();

  @Option(names = "--bucket-target-bytes", paramLabel = "N",
      description = "A repo's tables get one output file per this many source bytes (default: ${DEFAULT-VALUE}).")
  long bucketTargetBytes = DEFAULTS.bucketTargetBytes();

  @Option(names = "--record-timings", description = "Fill segments.parse_ms (wall times make snapshots differ between runs).")
  boolean recordTimings;

  PlanConfig config() {
    return new PlanConfig(maxFileBytes, maxTotalBytes, parseTimeoutMs, maxChunkBytes, minChunkBytes,
        shardTargetBytes, DEFAULTS.maxShardsPerKey(), bucketTargetBytes, recordTimings);
  }

  Manifests.Source source() {
    if (manifest != null && !sources.isEmpty()) {
      throw new IllegalArgumentException("give either --source DIR (one or more) or --manifest FILE.parquet, not both");
    }
    if (manifest != null) {
      return new Manifests.File(java.nio.file.Path.of(manifest));
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("nothing to read: give --source DIR (repeatable) or --manifest FILE.parquet");
    }
    return new Manifests.Scan(sources.stream().map(SourceRoot::parse).toList(), excludes, verifyHashes);
  }
}
