package dev.quarry.transforms.plan;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a manifest into jobs. Caps are applied in plan order ({@code repo, path}), so the same manifest and
 * config always skip the same files. Every manifest row yields exactly one planned file: with jobs, or with the
 * reason it has none.
 */
public final class Planner {
  /** Execution order inside one wasmKey batch (seed 000): containerRel, start, end, segmentUid. */
  public static final Comparator<Job> EXECUTION_ORDER =
      Comparator.comparing(Job::getPath)
          .thenComparingLong(Job::getStartByte)
          .thenComparingLong(Job::getEndByte)
          .thenComparing(Job::getSegmentUid);

  private final PlanConfig config;
  private final GrammarRegistry grammars;

  public Planner(PlanConfig config, GrammarRegistry grammars) {
    this.config = config;
    this.grammars = grammars;
  }

  public Plan plan(List<ManifestRow> manifest) {
    List<ManifestRow> rows = new ArrayList<>(manifest);
    rows.sort(Comparator.comparing(ManifestRow::getRepo).thenComparing(ManifestRow::getPath));
    Map<String, Integer> bucketCounts = bucketCounts(rows);

    List<Job> jobs = new ArrayList<>();
    List<PlannedFile> files = new ArrayList<>(rows.size());
    Map<String, Long> skipped = new TreeMap<>();
    long plannedBytes = 0;
    for (ManifestRow m : rows) {
      int bucketCount = bucketCounts.get(m.getRepo());
      int bucket = Buckets.bucketOf(m.getPath(), bucketCount);
      String reason = null;
      Optional<GrammarSpec> grammar = Optional.ofNullable(m.getLanguage()).flatMap(grammars::byName);
      if (m.getScanReason() != null) {
        reason = m.getScanReason();
      } else if (grammar.isEmpty()) {
        reason = Reasons.NO_GRAMMAR;
      } else if (m.getSizeBytes() > config.maxFileBytes()) {
        reason = Reasons.OVER_FILE_CAP;
      } else if (m.getSizeBytes() > config.maxTotalBytes() - plannedBytes) {
        reason = Reasons.OVER_TOTAL_CAP;
      }
      FileRow.Builder file = fileRow(m);
      if (reason != null) {
        skipped.merge(reason, 1L, Long::sum);
        file.setStatus(FileStatuses.forReason(reason)).setReason(reason).setDetail(detail(reason, m));
        files.add(new PlannedFile(file.build(), 0, bucket, bucketCount));
        continue;
      }
      GrammarSpec g = grammar.get();
      plannedBytes += m.getSizeBytes();
      Job job = wholeFileJob(m, g, bucket, bucketCount);
      VirtualRanges.validate(job, m.getSizeBytes());
      jobs.add(job);
      // Completed by the writer once the job's result is in; "extracted" is what it becomes when nothing fails.
      file.setStatus(FileStatus.EXTRACTED).setWasmKey(g.wasmKey()).setSegmentCount(1);
      files.add(new PlannedFile(file.build(), 1, bucket, bucketCount));
    }
    List<Job> ordered = executionOrder(jobs);
    return new Plan(ordered, files, summarize(ordered, rows.size(), plannedBytes, skipped));
  }

  private static FileRow.Builder fileRow(ManifestRow m) {
    return FileRow.newBuilder()
        .setRepo(m.getRepo())
        .setPath(m.getPath())
        .setSizeBytes(m.getSizeBytes())
        .setMtimeNs(m.getMtimeNs())
        .setFileSha256(m.getFileSha256())
        .setLanguage(m.getLanguage())
        .setSegmentCount(0);
  }

  private String detail(String reason, ManifestRow m) {
    return switch (reason) {
      case Reasons.NO_GRAMMAR ->
          m.getLanguage() == null
              ? "no locked grammar claims this file's name, extension or shebang"
              : "language '" + m.getLanguage() + "' has no grammar in this build";
      case Reasons.OVER_FILE_CAP ->
          m.getSizeBytes() + " bytes is over --max-file-bytes=" + config.maxFileBytes();
      case Reasons.OVER_TOTAL_CAP ->
          "the total parse budget --max-total-bytes=" + config.maxTotalBytes() + " was spent by earlier files";
      case Reasons.SYMLINK -> "symbolic links are not followed; the target is listed on its own";
      case Reasons.SYMLINK_OUTSIDE_ROOT -> "the link points outside the source root; nothing outside a root is read";
      case Reasons.SYMLINK_BROKEN -> "the link does not resolve (dangling or a loop)";
      case Reasons.UNREADABLE -> "the file could not be read at scan time (permissions or I/O error)";
      case Reasons.NOT_REGULAR -> "not a regular file";
      default -> null;
    };
  }

  private static Job wholeFileJob(ManifestRow m, GrammarSpec g, int bucket, int bucketCount) {
    String segmentUid = "seg-" + StableIds.hash("segment", m.getRepo(), m.getPath(), "file", 0, m.getSizeBytes(), g.name());
    return Job.newBuilder()
        .setRepo(m.getRepo())
        .setPath(m.getPath())
        .setSourceRoot(m.getSourceRoot())
        .setFileSha256(m.getFileSha256())
        .setFileSize(m.getSizeBytes())
        .setSegmentUid(segmentUid)
        .setVirtualPath(m.getPath() + "#seg:" + segmentUid + "." + extensionOf(g))
        .setStartByte(0)
        .setEndByte(m.getSizeBytes())
        .setBaseRow(0)
        .setBaseColumn(0)
        .setContainerKind("file")
        .setLanguage(g.name())
        .setWasmKey(g.wasmKey())
        .setContentHash(m.getFileSha256())
        .setShard(0)
        .setBucket(bucket)
        .setBucketCount(bucketCount)
        .build();
  }

  static String extensionOf(GrammarSpec g) {
    return g.extensions().isEmpty() ? g.name() : g.extensions().get(0).replaceFirst("^\\.", "");
  }

  private Map<String, Integer> bucketCounts(List<ManifestRow> rows) {
    Map<String, Long> bytes = new HashMap<>();
    for (ManifestRow m : rows) {
      bytes.merge(m.getRepo(), m.getSizeBytes(), Long::sum);
    }
    Map<String, Integer> counts = new HashMap<>();
    bytes.forEach((repo, b) -> counts.put(repo, Buckets.count(b, config.bucketTargetBytes())));
    return counts;
  }

  /** Orders keys by descending bytes (the longest batches start first), assigns byte-balanced shards. */
  private List<Job> executionOrder(List<Job> jobs) {
    Map<String, List<Job>> byKey = new HashMap<>();
    for (Job j : jobs) {
      byKey.computeIfAbsent(j.getWasmKey(), k -> new ArrayList<>()).add(j);
    }
    List<Job> ordered = new ArrayList<>(jobs.size());
    for (String key : keyOrder(byKey)) {
      List<Job> keyJobs = byKey.get(key);
      keyJobs.sort(EXECUTION_ORDER);
      long total = keyJobs.stream().mapToLong(Planner::bytes).sum();
      int shards = shardCount(total);
      long before = 0;
      for (Job j : keyJobs) {
        // A job belongs to the shard that holds its midpoint, so one big job does not drag its neighbours along.
        long midpoint = before + bytes(j) / 2;
        j.setShard(total == 0 ? 0 : (int) Math.min(shards - 1, (midpoint * shards) / total));
        before += bytes(j);
        ordered.add(j);
      }
    }
    return ordered;
  }

  private static List<String> keyOrder(Map<String, List<Job>> byKey) {
    Map<String, Long> bytes = new HashMap<>();
    byKey.forEach((k, js) -> bytes.put(k, js.stream().mapToLong(Planner::bytes).sum()));
    return byKey.keySet().stream()
        .sorted(Comparator.comparing((String k) -> -bytes.get(k)).thenComparing(k -> k))
        .toList();
  }

  int shardCount(long keyBytes) {
    long shards = (keyBytes + config.shardTargetBytes() - 1) / config.shardTargetBytes();
    return (int) Math.max(1, Math.min(config.maxShardsPerKey(), shards));
  }

  private static long bytes(Job j) {
    return j.getEndByte() - j.getStartByte();
  }

  private PlanSummary summarize(List<Job> jobs, long files, long plannedBytes, Map<String, Long> skipped) {
    Map<String, PlanSummary.KeyPlan> keys = new LinkedHashMap<>();
    for (Job j : jobs) {
      keys.merge(
          j.getWasmKey(),
          new PlanSummary.KeyPlan(j.getWasmKey(), j.getLanguage(), 1, bytes(j), j.getShard() + 1),
          (a, b) -> new PlanSummary.KeyPlan(a.wasmKey(), a.language(), a.jobs() + 1, a.bytes() + b.bytes(),
              Math.max(a.shards(), b.shards())));
    }
    return new PlanSummary(
        planHash(jobs), List.copyOf(keys.values()), files, jobs.size(), plannedBytes, skipped, config.snapshot());
  }

  /** SHA-256 over the jobs in (path, start, end, segmentUid) order, each as its identifying fields. */
  static String planHash(List<Job> jobs) {
    List<Job> sorted = new ArrayList<>(jobs);
    sorted.sort(Comparator.comparing(Job::getRepo).thenComparing(EXECUTION_ORDER));
    MessageDigest digest = StableIds.sha256();
    for (Job j : sorted) {
      String line = String.join("\t", j.getRepo(), j.getPath(), j.getSegmentUid(), j.getVirtualPath(),
          Long.toString(j.getStartByte()), Long.toString(j.getEndByte()), j.getLanguage(), j.getWasmKey(),
          j.getContentHash(), Integer.toString(j.getShard())) + "\n";
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
