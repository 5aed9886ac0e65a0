package dev.quarry.transforms.incremental;

import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.PlannedJob;
import dev.quarry.schemas.PreviousSegment;
import dev.quarry.schemas.Records;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.plan.Buckets;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.plan.TableVersions;
import dev.quarry.transforms.write.WriteSnapshotTables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The per-table worklists of a run: which jobs of the full plan this run executes, for which tables, and which rows
 * it carries from the previous snapshot. Decided in the driver, from the plan and the previous snapshot's
 * {@code files} rows, job segments and table versions (see {@code docs/incremental.md}).
 *
 * <p>A job is executed for every table when its file is new, its {@code file_sha256} changed, the previous run
 * failed the file, its segment is new (a new embedded block), or its grammar build ({@code wasm_key}) or segment
 * content changed; else it is executed only for the tables whose version changed (and for none, carrying every
 * row, when none did). A file is parsed at most once per run: one job, one parse, the needed consumers.
 *
 * <p>The cheap path: a bucket whose files are all carried whole, with the same bucket count, the same files, the
 * same rows and the same ledger as in the previous snapshot, gets the previous bucket's segments, chunks, symbols
 * and diagnostics files linked instead of read and rewritten; only its {@code files} file is written.
 */
public final class Worklists {
  private static final List<String> CARRIED_TABLES = List.of(
      Table.SEGMENTS.dirName(), Table.CHUNKS.dirName(), Table.SYMBOLS.dirName(), Table.DIAGNOSTICS.dirName());

  /** How files compare with the previous snapshot. */
  public record FileCounts(long added, long changed, long unchanged, long deleted, long reparsed, long carried) {}

  /**
   * What the run does.
   *
   * @param mode {@code full} (every job runs) or {@code incremental}
   * @param fullReason why a run with a previous snapshot is full ({@code --full}, incompatible snapshot); else null
   * @param work the jobs to execute, in plan order, each with the tables it must produce
   * @param files every planned file with its jobs' decisions
   * @param carried per bucket key (of the new plan), the files of the previous snapshot (relative to it) whose
   *     rows of that bucket's files the writer must read and carry
   * @param linkedFiles files of the previous snapshot (relative to it, and the same path in the new one) to link
   * @param linkedBuckets writer keys of the linked buckets
   * @param bucketCounts the plan's bucket count per repo
   * @param jobsByTable jobs executed per consumer table
   */
  public record Result(
      String mode,
      String fullReason,
      String previousId,
      List<Job> work,
      List<PlannedFile> files,
      FileCounts counts,
      long plannedJobs,
      long plannedBytes,
      long executedBytes,
      Map<String, Long> jobsByTable,
      Map<String, Boolean> versionChanged,
      Map<String, List<String>> carried,
      List<String> linkedFiles,
      Set<String> linkedBuckets,
      Map<String, Integer> bucketCounts) {

    public long executedJobs() {
      return work.size();
    }

    /** The distinct previous table files the writers read carried rows from. */
    public Set<String> carriedFiles() {
      Set<String> files = new TreeSet<>();
      carried.values().forEach(files::addAll);
      return files;
    }

    /** For run.json. */
    public Map<String, Object> report() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", mode);
      m.put("previousSnapshot", previousId);
      m.put("fullReason", fullReason);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("new", counts.added());
      f.put("changed", counts.changed());
      f.put("unchanged", counts.unchanged());
      f.put("deleted", counts.deleted());
      f.put("reparsedUnchanged", counts.reparsed());
      f.put("carriedWhole", counts.carried());
      m.put("files", f);
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("planned", plannedJobs);
      j.put("executed", executedJobs());
      j.put("carried", plannedJobs - executedJobs());
      j.put("executedByTable", jobsByTable);
      m.put("jobs", j);
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("planned", plannedBytes);
      b.put("parsed", executedBytes);
      b.put("saved", plannedBytes - executedBytes);
      m.put("bytes", b);
      m.put("versionChanged", versionChanged);
      m.put("carriedTableFiles", carriedFiles().size());
      m.put("carriedReads", carried.values().stream().mapToLong(List::size).sum());
      m.put("linkedBuckets", linkedBuckets.size());
      m.put("linkedTableFiles", linkedFiles.size());
      return m;
    }
  }

  private Worklists() {}

  /**
   * Every job runs for every table (first run, {@code --full}, or a previous snapshot that cannot be built on).
   * Files are still compared with {@code previous} when there is one, for the report.
   */
  public static Result full(Plan plan, Optional<PreviousSnapshot> previous, String fullReason) {
    FileCounter counter = new FileCounter();
    for (PlannedFile p : plan.files()) {
      FileRow before = previous.map(s -> s.files().get(key(p))).orElse(null);
      counter.count(p, before, !p.getJobs().isEmpty() && before != null
          && Objects.equals(before.getFileSha256(), p.getFile().getFileSha256()));
    }
    long bytes = plan.jobs().stream().mapToLong(Worklists::bytes).sum();
    Map<String, Long> byTable = new LinkedHashMap<>();
    TableVersions.CONSUMER_TABLES.forEach(t -> byTable.put(t, (long) plan.jobs().size()));
    return new Result("full", fullReason, previous.map(PreviousSnapshot::id).orElse(null), plan.jobs(), plan.files(),
        counter.counts(plan, previous), plan.jobs().size(), bytes, bytes, byTable, Map.of(), Map.of(), List.of(),
        Set.of(), bucketCounts(plan));
  }

  /**
   * The worklists against {@code previous}, whose table versions are compared with {@code versions} (this run's,
   * from {@link TableVersions#of}).
   */
  public static Result incremental(
      Plan plan, PreviousSnapshot previous, Map<String, String> versions, Planner planner) {
    Map<String, Boolean> changed = new LinkedHashMap<>();
    for (String table : List.of(Table.SEGMENTS.dirName(), Table.CHUNKS.dirName(), Table.SYMBOLS.dirName(),
        Table.DIAGNOSTICS.dirName(), TableVersions.SEGMENTERS_KEY)) {
      changed.put(table, !Objects.equals(versions.get(table), previous.versions().get(table)));
    }
    List<String> redoTables = TableVersions.CONSUMER_TABLES.stream().filter(changed::get).toList();
    boolean statsChanged = changed.get(Table.SEGMENTS.dirName());

    Map<String, Job> jobsByUid = new HashMap<>(plan.jobs().size() * 2);
    for (Job j : plan.jobs()) {
      jobsByUid.put(jobKey(j.getRepo(), j.getPath(), j.getSegmentUid()), j);
    }
    FileCounter counter = new FileCounter();
    Map<String, List<String>> runTables = new HashMap<>();
    Map<String, Set<String>> carriedPaths = new HashMap<>();
    CARRIED_TABLES.forEach(t -> carriedPaths.put(t, new HashSet<>()));
    List<PlannedFile> files = new ArrayList<>(plan.files().size());
    for (PlannedFile planned : plan.files()) {
      String key = key(planned);
      FileRow before = previous.files().get(key);
      boolean sameContent = before != null && Objects.equals(before.getFileSha256(), planned.getFile().getFileSha256());
      if (planned.getJobs().isEmpty()) {
        counter.count(planned, before, false);
        files.add(planned);
        continue;
      }
      boolean redoAll = !sameContent || !carryableStatus(before.getStatus());
      // A file the previous run skipped after reading it (binary, not UTF-8) has no consumer rows: only the
      // executor's problem rows (versioned with segments) can be out of date.
      boolean skippedBefore = !redoAll && FileStatus.SKIPPED.equals(before.getStatus());
      Map<String, PreviousSegment> segments = previous.segments(key);
      List<PlannedJob> jobs = new ArrayList<>(planned.getJobs().size());
      for (PlannedJob j : planned.getJobs()) {
        PreviousSegment seg = redoAll ? null : segments.get(j.getSegmentUid());
        boolean carryable = seg != null
            && j.getWasmKey().equals(seg.getWasmKey())
            && j.getContentHash().equals(seg.getContentHash())
            && (JOB_PARSED.equals(seg.getStatus()) || FileStatus.SKIPPED.equals(seg.getStatus()));
        List<String> tables = !carryable ? TableVersions.CONSUMER_TABLES : skippedBefore ? List.of() : redoTables;
        boolean run = !carryable || !tables.isEmpty() || statsChanged;
        jobs.add(job(j, run, run ? tables : List.of()));
      }
      if (skippedBefore && jobs.stream().anyMatch(PlannedJob::getRun)) {
        // Such a file is redone whole or carried whole.
        jobs.replaceAll(j -> job(j, true, TableVersions.CONSUMER_TABLES));
      }
      int run = 0;
      for (PlannedJob j : jobs) {
        if (j.getRun()) {
          run++;
          runTables.put(jobKey(planned.getFile().getRepo(), planned.getFile().getPath(), j.getSegmentUid()),
              j.getTables());
        }
        for (String table : CARRIED_TABLES) {
          boolean fresh = j.getRun() && (table.equals(Table.SEGMENTS.dirName()) || j.getTables().contains(table));
          if (!fresh) {
            carriedPaths.get(table).add(key);
          }
        }
      }
      FileRow row = planned.getFile();
      if (run == 0) {
        // Carried whole: the previous outcome stands (unchanged, or the previous skip and its reason).
        boolean skipped = FileStatus.SKIPPED.equals(before.getStatus());
        row = Records.shallowCopy(row);
        row.setStatus(skipped ? before.getStatus() : FileStatus.UNCHANGED);
        row.setReason(skipped ? before.getReason() : null);
        row.setDetail(skipped ? before.getDetail() : null);
      }
      counter.count(planned, before, sameContent && run > 0);
      PlannedFile file = Records.shallowCopy(planned);
      file.setFile(row);
      file.setExpectedJobs(run);
      file.setJobs(jobs);
      files.add(file);
    }

    List<Job> selected = new ArrayList<>();
    long executedBytes = 0;
    Map<String, Long> byTable = new LinkedHashMap<>();
    TableVersions.CONSUMER_TABLES.forEach(t -> byTable.put(t, 0L));
    for (Job j : plan.jobs()) {
      List<String> tables = runTables.get(jobKey(j.getRepo(), j.getPath(), j.getSegmentUid()));
      if (tables != null) {
        selected.add(Job.newBuilder(j).setTables(tables).build());
        executedBytes += bytes(j);
        tables.forEach(t -> byTable.merge(t, 1L, Long::sum));
      }
    }
    // The worklist runs in groups of its own size (a few jobs of a grammar make one group, not one per shard of the
    // full plan; a small worklist is spread over the cores); each job keeps the full plan's ledger (batch,
    // batch_position).
    List<Job> work = planner.shardWorklist(selected, Runtime.getRuntime().availableProcessors());
    long plannedBytes = plan.jobs().stream().mapToLong(Worklists::bytes).sum();

    files.replaceAll(p -> {
      if (!sameRows(p, previous)) {
        return p;
      }
      PlannedFile same = Records.shallowCopy(p);
      same.setSameRows(true);
      return same;
    });
    Map<String, Integer> counts = bucketCounts(plan);
    Set<String> linked = linkedBuckets(files, previous, changed.containsValue(true));
    List<String> linkedFiles = new ArrayList<>();
    for (PreviousSnapshot.TableFile f : previousFiles(previous)) {
      if (linked.contains(WriteSnapshotTables.bucketKey(f.repo(), f.bucket(), f.count()))) {
        linkedFiles.add(f.relativePath());
      }
    }
    Map<String, List<String>> carried = carried(previous, carriedPaths, counts, linked);
    return new Result("incremental", null, previous.id(), work, files, counter.counts(plan, Optional.of(previous)),
        plan.jobs().size(), plannedBytes, executedBytes, byTable, changed, carried, linkedFiles, linked, counts);
  }

  /** A planned job with its worklist decision (a shallow copy: the plan's records are not changed). */
  private static PlannedJob job(PlannedJob planned, boolean run, List<String> tables) {
    PlannedJob job = Records.shallowCopy(planned);
    job.setRun(run);
    job.setTables(tables);
    return job;
  }

  /** {@code segments.status} of a job that parsed. */
  private static final String JOB_PARSED = "parsed";

  /** Previous file statuses whose rows can be carried: anything but failed (a failure is retried). */
  private static boolean carryableStatus(String status) {
    return FileStatus.EXTRACTED.equals(status) || FileStatus.UNCHANGED.equals(status)
        || FileStatus.SKIPPED.equals(status);
  }

  /** The segments, chunks, symbols and diagnostics files of the previous snapshot, in its order. */
  private static List<PreviousSnapshot.TableFile> previousFiles(PreviousSnapshot previous) {
    List<PreviousSnapshot.TableFile> all = new ArrayList<>();
    CARRIED_TABLES.forEach(t -> all.addAll(previous.tableFiles(t)));
    return all;
  }

  /**
   * Per new bucket, the previous table files holding rows its files carry: for each table, the previous bucket of
   * every file whose rows of that table are carried, except buckets linked whole. With an unchanged bucket count a
   * new bucket reads just its own previous files; when the count changed, a previous file is read by every new
   * bucket its files moved to.
   */
  private static Map<String, List<String>> carried(PreviousSnapshot previous, Map<String, Set<String>> carriedPaths,
      Map<String, Integer> newCounts, Set<String> linked) {
    Map<String, String> fileOf = new HashMap<>();
    for (PreviousSnapshot.TableFile f : previousFiles(previous)) {
      fileOf.put(f.table() + '\0' + WriteSnapshotTables.bucketKey(f.repo(), f.bucket(), f.count()), f.relativePath());
    }
    Map<String, Set<String>> byBucket = new TreeMap<>();
    // Per file, its bucket now and before: a file carries rows of up to four tables, and a bucket is a hash.
    Map<String, String[]> bucketsOf = new HashMap<>();
    for (String table : CARRIED_TABLES) {
      for (String key : carriedPaths.get(table)) {
        String[] buckets = bucketsOf.computeIfAbsent(key, k -> {
          FileRow f = previous.files().get(k);
          Integer before = previous.bucketCounts().get(f.getRepo());
          Integer now = newCounts.get(f.getRepo());
          if (before == null || now == null) {
            return new String[0];
          }
          int bucketNow = Buckets.bucketOf(f.getPath(), now);
          int bucketBefore = before.equals(now) ? bucketNow : Buckets.bucketOf(f.getPath(), before);
          return new String[] {WriteSnapshotTables.bucketKey(f.getRepo(), bucketNow, now),
              WriteSnapshotTables.bucketKey(f.getRepo(), bucketBefore, before)};
        });
        if (buckets.length == 0) {
          continue;
        }
        String file = fileOf.get(table + '\0' + buckets[1]);
        if (file != null && !linked.contains(buckets[0])) {
          byBucket.computeIfAbsent(buckets[0], b -> new TreeSet<>()).add(file);
        }
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    byBucket.forEach((bucket, files) -> out.put(bucket, List.copyOf(files)));
    return out;
  }

  /**
   * New buckets that equal a previous bucket in everything but the files' status: same count, same files, every
   * file carried whole (or without jobs) with the same row, every job with the same ledger, no version changed.
   */
  private static Set<String> linkedBuckets(List<PlannedFile> files, PreviousSnapshot previous,
      boolean anyVersionChanged) {
    Set<String> linked = new TreeSet<>();
    if (anyVersionChanged) {
      return linked;
    }
    Map<String, Long> planned = new HashMap<>();
    Set<String> spoiled = new HashSet<>();
    for (PlannedFile p : files) {
      String bucket = WriteSnapshotTables.bucketKey(p.getFile().getRepo(), p.getBucket(), p.getBucketCount());
      planned.merge(bucket, 1L, Long::sum);
      if (!p.getSameRows() || !sameLedger(p, previous)) {
        spoiled.add(bucket);
      }
    }
    Map<String, Long> before = new HashMap<>();
    for (FileRow f : previous.files().values()) {
      Integer count = previous.bucketCounts().get(f.getRepo());
      if (count != null) {
        before.merge(WriteSnapshotTables.bucketKey(f.getRepo(), Buckets.bucketOf(f.getPath(), count), count), 1L,
            Long::sum);
      }
    }
    Map<String, Integer> tableFiles = new HashMap<>();
    for (PreviousSnapshot.TableFile f : previousFiles(previous)) {
      tableFiles.merge(WriteSnapshotTables.bucketKey(f.repo(), f.bucket(), f.count()), 1, Integer::sum);
    }
    planned.forEach((bucket, n) -> {
      if (!spoiled.contains(bucket) && n.equals(before.get(bucket))
          && tableFiles.getOrDefault(bucket, 0) == CARRIED_TABLES.size()) {
        linked.add(bucket);
      }
    });
    return linked;
  }

  /**
   * Whether a planned file's rows in segments (its jobs' ledger aside), chunks, symbols and diagnostics would be
   * exactly the previous snapshot's, in a bucket of the same count: nothing of it runs, its outcome (status, reason,
   * detail: a file without jobs gets a diagnostic from them) is the previous one, and its jobs are the previous
   * ones. Its files row may differ (an mtime), as that table is written anyway.
   */
  private static boolean sameRows(PlannedFile p, PreviousSnapshot previous) {
    FileRow before = previous.files().get(key(p));
    Integer count = previous.bucketCounts().get(p.getFile().getRepo());
    if (before == null || count == null || count != p.getBucketCount() || p.getExpectedJobs() != 0) {
      return false;
    }
    FileRow now = p.getFile();
    String status = FileStatus.EXTRACTED.equals(before.getStatus()) ? FileStatus.UNCHANGED : before.getStatus();
    if (!status.equals(now.getStatus()) || !Objects.equals(before.getReason(), now.getReason())
        || !Objects.equals(before.getDetail(), now.getDetail())) {
      return false;
    }
    Map<String, PreviousSegment> segments = previous.segments(key(p));
    return segments.size() == p.getJobs().size()
        && p.getJobs().stream().allMatch(j -> segments.containsKey(j.getSegmentUid()));
  }

  /** Whether a planned file's jobs have the ledger (batch, position) they had in the previous snapshot. */
  private static boolean sameLedger(PlannedFile p, PreviousSnapshot previous) {
    Map<String, PreviousSegment> segments = previous.segments(key(p));
    for (PlannedJob j : p.getJobs()) {
      PreviousSegment s = segments.get(j.getSegmentUid());
      if (!j.getBatch().equals(s.getBatch()) || !Integer.valueOf(j.getBatchPosition()).equals(s.getBatchPosition())) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Integer> bucketCounts(Plan plan) {
    Map<String, Integer> counts = new TreeMap<>();
    plan.files().forEach(p -> counts.put(p.getFile().getRepo(), p.getBucketCount()));
    return counts;
  }

  private static String key(PlannedFile p) {
    return Planner.fileKey(p.getFile().getRepo(), p.getFile().getPath());
  }

  private static String jobKey(String repo, String path, String segmentUid) {
    return Planner.fileKey(repo, path) + '\0' + segmentUid;
  }

  private static long bytes(Job j) {
    return j.getEndByte() - j.getStartByte();
  }

  /** Counts files as new, changed or unchanged (by content), and those of the previous snapshot that are gone. */
  private static final class FileCounter {
    long added;
    long changed;
    long unchanged;
    long reparsed;
    long carried;

    void count(PlannedFile p, FileRow before, boolean reparsedSameContent) {
      if (before == null) {
        added++;
      } else if (!Objects.equals(before.getFileSha256(), p.getFile().getFileSha256())) {
        changed++;
      } else {
        unchanged++;
      }
      if (reparsedSameContent) {
        reparsed++;
      }
      if (!p.getJobs().isEmpty() && p.getExpectedJobs() == 0) {
        carried++;
      }
    }

    FileCounts counts(Plan plan, Optional<PreviousSnapshot> previous) {
      long deleted = 0;
      if (previous.isPresent()) {
        Set<String> now = new HashSet<>(plan.files().size() * 2);
        plan.files().forEach(p -> now.add(key(p)));
        for (String k : previous.get().files().keySet()) {
          if (!now.contains(k)) {
            deleted++;
          }
        }
      }
      return new FileCounts(added, changed, unchanged, deleted, reparsed, carried);
    }
  }
}
