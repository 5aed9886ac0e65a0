package dev.quarry.transforms.plan;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.schemas.ContainerSegments;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.PlannedJob;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.segment.ContainerBytes;
import dev.quarry.transforms.segment.Segmenter;
import dev.quarry.transforms.segment.Segmenters;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a manifest into jobs: one whole-file job per file with a grammar, plus one job per embedded segment of a
 * container whose language has a grammar (segments without one are carried as {@code segments} rows with a
 * reason). Caps are applied in plan order ({@code repo, path}), so the same manifest and config always skip the
 * same files. Every manifest row yields exactly one planned file: with jobs, or with the reason it has none.
 */
public final class Planner {
  /** Execution order inside one wasmKey batch (seed 000): containerRel, start, end, segmentUid. */
  public static final Comparator<Job> EXECUTION_ORDER =
      Comparator.comparing(Job::getPath)
          .thenComparingLong(Job::getStartByte)
          .thenComparingLong(Job::getEndByte)
          .thenComparing(Job::getSegmentUid);

  /** {@code container_kind} of whole-file jobs. */
  public static final String FILE = "file";

  private final PlanConfig config;
  private final GrammarRegistry grammars;
  private final Segmenters segmenters;

  public Planner(PlanConfig config, GrammarRegistry grammars) {
    this(config, grammars, Segmenters.standard());
  }

  /** @param segmenters which containers are segmented, and how (tests swap in faulty ones) */
  public Planner(PlanConfig config, GrammarRegistry grammars, Segmenters segmenters) {
    this.config = config;
    this.grammars = grammars;
    this.segmenters = segmenters;
  }

  /**
   * Plans every manifest row. Containers (Markdown, HTML, Vue, Svelte) are read here, in the driver, one at a time:
   * their bytes must still hash to the manifest's {@code file_sha256}, and their segments are found by
   * {@link Segmenter}s (hand-written lexers; no tree-sitter runs outside the executor).
   *
   * <p>Caps apply in plan order: a file whose size is over {@code maxFileBytes} is skipped; a file is planned only
   * when all its jobs fit in what is left of {@code maxTotalBytes}, its own size plus the bytes of its embedded
   * jobs (those bytes are parsed a second time, by their own grammar). A file is planned whole or not at all.
   *
   * @throws InvalidVirtualRangeException when a segmenter produced a range that cannot be a segment
   */
  public Plan plan(List<ManifestRow> manifest) {
    return plan(manifest, Map.of());
  }

  /**
   * @param known containers as an earlier run segmented them, by {@link #fileKey}: one with the same
   *     {@code file_sha256} and segmenters version is planned from them, without reading the file
   */
  public Plan plan(List<ManifestRow> manifest, Map<String, ContainerSegments> known) {
    List<ManifestRow> rows = new ArrayList<>(manifest);
    rows.sort(Comparator.comparing(ManifestRow::getRepo).thenComparing(ManifestRow::getPath));
    Map<String, Integer> bucketCounts = bucketCounts(rows);

    List<Job> jobs = new ArrayList<>();
    List<PlannedFile> files = new ArrayList<>(rows.size());
    List<ContainerSegments> segmented = new ArrayList<>();
    Map<String, Long> skipped = new TreeMap<>();
    Map<String, ContainerStats> containers = new TreeMap<>();
    long plannedBytes = 0;
    for (ManifestRow m : rows) {
      int bucketCount = bucketCounts.get(m.getRepo());
      int bucket = Buckets.bucketOf(m.getPath(), bucketCount);
      String reason = null;
      String detail = null;
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
      EmbeddedSegments.Planned embedded = EmbeddedSegments.Planned.NONE;
      Optional<Segmenter> segmenter = segmenters.forLanguage(m.getLanguage());
      if (reason == null && segmenter.isPresent()) {
        ContainerSegments container = known.get(fileKey(m.getRepo(), m.getPath()));
        if (container == null || !container.getFileSha256().equals(m.getFileSha256())
            || !container.getSegmenters().equals(TableVersions.SEGMENTERS)) {
          container = null;
          switch (ContainerBytes.read(m.getSourceRoot(), m.getPath(), m.getSizeBytes(), m.getFileSha256())) {
            case ContainerBytes.Problem p -> {
              reason = p.reason();
              detail = p.detail();
            }
            case ContainerBytes.Read r -> {
              // Binary or non-UTF-8 containers are not segmented: their whole-file job reports what is wrong.
              if (r.isText()) {
                container = new ContainerSegments(m.getRepo(), m.getPath(), m.getFileSha256(),
                    TableVersions.SEGMENTERS, EmbeddedSegments.segment(m, r.bytes(), segmenter.get()));
              }
            }
          }
        }
        if (container != null) {
          segmented.add(container);
          embedded = EmbeddedSegments.plan(m, container.getSegments(), segmenter.get().containerKind(), grammars,
              bucket, bucketCount);
        }
        if (reason == null && m.getSizeBytes() + embedded.jobBytes() > config.maxTotalBytes() - plannedBytes) {
          reason = Reasons.OVER_TOTAL_CAP;
          detail = "the file needs " + (m.getSizeBytes() + embedded.jobBytes()) + " bytes of the total parse budget ("
              + m.getSizeBytes() + " of its own and " + embedded.jobBytes() + " in " + embedded.jobs().size()
              + " embedded segments), more than what --max-total-bytes=" + config.maxTotalBytes()
              + " has left after earlier files";
        }
      }
      FileRow.Builder file = fileRow(m);
      if (reason != null) {
        skipped.merge(reason, 1L, Long::sum);
        file.setStatus(FileStatuses.forReason(reason)).setReason(reason)
            .setDetail(detail != null ? detail : detail(reason, m));
        files.add(new PlannedFile(file.build(), 0, bucket, bucketCount, List.of(), List.of(), false));
        continue;
      }
      GrammarSpec g = grammar.get();
      Job job = wholeFileJob(m, g, bucket, bucketCount);
      VirtualRanges.validate(job, m.getSizeBytes());
      jobs.add(job);
      jobs.addAll(embedded.jobs());
      plannedBytes += m.getSizeBytes() + embedded.jobBytes();
      containers.computeIfAbsent(job.getContainerKind(), k -> new ContainerStats()).add(List.of(job), List.of());
      if (segmenter.isPresent()) {
        containers.computeIfAbsent(segmenter.get().containerKind(), k -> new ContainerStats())
            .add(embedded.jobs(), embedded.unparsed());
      }
      int expectedJobs = 1 + embedded.jobs().size();
      // Completed by the writer once the job's result is in; "extracted" is what it becomes when nothing fails.
      file.setStatus(FileStatus.EXTRACTED).setWasmKey(g.wasmKey())
          .setSegmentCount(expectedJobs + embedded.unparsed().size());
      files.add(new PlannedFile(file.build(), expectedJobs, bucket, bucketCount, embedded.unparsed(), List.of(), false));
    }
    List<Job> ordered = executionOrder(jobs);
    attachJobs(files, ordered);
    return new Plan(ordered, files, summarize(ordered, rows.size(), plannedBytes, skipped, containers), segmented);
  }

  /** Lists every file's jobs on its planned file (with their ledger), all to be executed for every table. */
  private static void attachJobs(List<PlannedFile> files, List<Job> ordered) {
    Map<String, List<PlannedJob>> byFile = new HashMap<>();
    for (Job j : ordered) {
      byFile.computeIfAbsent(fileKey(j.getRepo(), j.getPath()), k -> new ArrayList<>()).add(PlannedJob.newBuilder()
          .setSegmentUid(j.getSegmentUid())
          .setWasmKey(j.getWasmKey())
          .setContentHash(j.getContentHash())
          .setBatch(j.getBatch())
          .setBatchPosition(j.getBatchPosition())
          .setRun(true)
          .setTables(TableVersions.CONSUMER_TABLES)
          .build());
    }
    for (PlannedFile p : files) {
      List<PlannedJob> jobs = byFile.remove(fileKey(p.getFile().getRepo(), p.getFile().getPath()));
      if (jobs != null) {
        jobs.sort(Comparator.comparing((PlannedJob j) -> j.getSegmentUid()));
        p.setJobs(jobs);
      }
    }
  }

  /** The group a job runs in: {@code wasmKey#shard}, the executor's GroupByKey key. */
  public static String batchKey(Job job) {
    return job.getWasmKey() + "#" + job.getShard();
  }

  /** Key of a file across repos: {@code repo + '\0' + path}. */
  public static String fileKey(String repo, String path) {
    return repo + '\0' + path;
  }

  /** Per container kind counts for plan.json. */
  private static final class ContainerStats {
    long files;
    long jobs;
    long bytes;
    final Map<String, Long> byLanguage = new TreeMap<>();
    long unparsed;
    final Map<String, Long> byReason = new TreeMap<>();

    void add(List<Job> fileJobs, List<SegmentRow> fileUnparsed) {
      if (fileJobs.isEmpty() && fileUnparsed.isEmpty()) {
        return;
      }
      files++;
      for (Job j : fileJobs) {
        jobs++;
        bytes += Planner.bytes(j);
        byLanguage.merge(j.getLanguage(), 1L, Long::sum);
      }
      for (SegmentRow s : fileUnparsed) {
        unparsed++;
        byReason.merge(s.getReason(), 1L, Long::sum);
      }
    }

    PlanSummary.ContainerPlan toPlan() {
      return new PlanSummary.ContainerPlan(files, jobs, bytes, Collections.unmodifiableMap(new TreeMap<>(byLanguage)),
          unparsed, Collections.unmodifiableMap(new TreeMap<>(byReason)));
    }
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
      case Reasons.OUTSIDE_ROOT ->
          "the manifest path leaves its source root " + m.getSourceRoot() + "; nothing outside a root is read";
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
        .setVirtualPath(virtualPath(m.getPath(), segmentUid, extensionOf(g)))
        .setStartByte(0)
        .setEndByte(m.getSizeBytes())
        .setBaseRow(0)
        .setBaseColumn(0)
        .setContainerKind(FILE)
        .setLanguage(g.name())
        .setWasmKey(g.wasmKey())
        .setContentHash(m.getFileSha256())
        .setShard(0)
        .setBatch(null)
        .setBatchPosition(0)
        .setTables(TableVersions.CONSUMER_TABLES)
        .setBucket(bucket)
        .setBucketCount(bucketCount)
        .build();
  }

  /** {@code <path>#seg:<segment_uid>.<ext>}: results are keyed by it. */
  static String virtualPath(String path, String segmentUid, String extension) {
    return path + "#seg:" + segmentUid + "." + extension;
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
    List<Job> ordered = shard(jobs);
    int position = 0;
    String group = null;
    for (Job j : ordered) {
      // The execution ledger: the job's group and its place in it, fixed by the full plan. An incremental run
      // executes a subset of the plan's jobs (in groups of its own) and they keep the ledger a full run gives them.
      String batch = batchKey(j);
      position = batch.equals(group) ? position + 1 : 0;
      group = batch;
      j.setBatch(batch);
      j.setBatchPosition(position);
    }
    return ordered;
  }

  /**
   * Execution groups of {@code jobs}: keys by descending bytes (the longest batches start first), each key's jobs in
   * {@link #EXECUTION_ORDER}, split into byte-balanced shards ({@code ceil(bytes / shardTargetBytes)}, at most
   * {@code maxShardsPerKey}). Sets each job's {@code shard}; returns the jobs in execution order. The planner shards
   * the full plan; an incremental run shards the jobs it executes ({@link #shardWorklist}).
   */
  public List<Job> shard(List<Job> jobs) {
    return shard(jobs, config.shardTargetBytes());
  }

  /**
   * Execution groups of an incremental run's jobs: as {@link #shard}, but a worklist smaller than {@code 2 * cores}
   * shards of the configured size is cut into about two groups per core (none under {@value #MIN_WORK_SHARD_BYTES}
   * bytes), so that a grammar holding most of a small worklist is parsed on every core rather than on one while the
   * others wait (a nightly run after a 1 % change: 2.1 of its 2.8 MB were Java, one group). Each group loads its
   * grammar once; the shards do not reach the output, whose jobs keep the full plan's ledger.
   */
  public List<Job> shardWorklist(List<Job> jobs, int cores) {
    long total = jobs.stream().mapToLong(Planner::bytes).sum();
    return shard(jobs, Math.min(config.shardTargetBytes(), Math.max(MIN_WORK_SHARD_BYTES, total / (2L * cores))));
  }

  /** The smallest group {@link #shardWorklist} cuts (a grammar's queries are compiled once per group). */
  static final long MIN_WORK_SHARD_BYTES = 256 << 10;

  private List<Job> shard(List<Job> jobs, long targetBytes) {
    Map<String, List<Job>> byKey = new HashMap<>();
    for (Job j : jobs) {
      byKey.computeIfAbsent(j.getWasmKey(), k -> new ArrayList<>()).add(j);
    }
    List<Job> ordered = new ArrayList<>(jobs.size());
    for (String key : keyOrder(byKey)) {
      List<Job> keyJobs = byKey.get(key);
      keyJobs.sort(EXECUTION_ORDER);
      long total = keyJobs.stream().mapToLong(Planner::bytes).sum();
      int shards = shardCount(total, targetBytes);
      long before = 0;
      int previous = 0;
      int dense = 0;
      for (Job j : keyJobs) {
        // A job belongs to the shard that holds its midpoint, so one big job does not drag its neighbours along.
        long midpoint = before + bytes(j) / 2;
        int shard = total == 0 ? 0 : (int) Math.min(shards - 1, (midpoint * shards) / total);
        // A big job can span several shard widths and leave the shards in between empty: number only the shards
        // that hold jobs, so every planned (wasmKey, shard) group exists and loads its grammar exactly once.
        if (shard != previous) {
          dense++;
          previous = shard;
        }
        j.setShard(dense);
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

  private int shardCount(long keyBytes, long targetBytes) {
    long shards = (keyBytes + targetBytes - 1) / targetBytes;
    return (int) Math.max(1, Math.min(config.maxShardsPerKey(), shards));
  }

  static long bytes(Job j) {
    return j.getEndByte() - j.getStartByte();
  }

  private PlanSummary summarize(List<Job> jobs, long files, long plannedBytes, Map<String, Long> skipped,
      Map<String, ContainerStats> containers) {
    Map<String, PlanSummary.KeyPlan> keys = new LinkedHashMap<>();
    for (Job j : jobs) {
      long embedded = j.getContainerKind().equals(FILE) ? 0 : 1;
      keys.merge(
          j.getWasmKey(),
          new PlanSummary.KeyPlan(j.getWasmKey(), j.getLanguage(), 1, embedded, bytes(j), j.getShard() + 1),
          (a, b) -> new PlanSummary.KeyPlan(a.wasmKey(), a.language(), a.jobs() + 1,
              a.embeddedJobs() + b.embeddedJobs(), a.bytes() + b.bytes(), Math.max(a.shards(), b.shards())));
    }
    Map<String, PlanSummary.ContainerPlan> byContainer = new TreeMap<>();
    containers.forEach((kind, stats) -> byContainer.put(kind, stats.toPlan()));
    return new PlanSummary(planHash(jobs), List.copyOf(keys.values()), files, jobs.size(), plannedBytes, skipped,
        byContainer, config.snapshot());
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
