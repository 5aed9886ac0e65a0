package dev.quarry.transforms.write;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.PlannedJob;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.plan.FileStatuses;
import dev.quarry.transforms.plan.Planner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of all five tables for one output bucket: planned files joined with their job results and with the rows
 * carried from the previous snapshot. This is where the accounting invariant is enforced: every planned file gets
 * exactly one {@code files} row, every job planned to run must have exactly one result, and every job planned to be
 * carried must have its previous {@code segments} row. Embedded segments without a job come with their planned file
 * and are written to {@code segments} as planned.
 */
final class BucketTables {
  /** Reasons that are routine enough not to repeat as a diagnostic; the files row already says it. */
  private static final Set<String> QUIET_REASONS = Set.of(Reasons.NO_GRAMMAR, Reasons.SYMLINK);
  /** Problems of the container file rather than of one segment's text: they fail the file and void its rows. */
  private static final Set<String> CONTAINER_PROBLEMS =
      Set.of(Reasons.CHANGED_DURING_RUN, Reasons.DELETED_DURING_RUN, Reasons.UNREADABLE, Reasons.OUTSIDE_ROOT);

  private static final String CHUNKS = Table.CHUNKS.dirName();
  private static final String SYMBOLS = Table.SYMBOLS.dirName();
  private static final String DIAGNOSTICS = Table.DIAGNOSTICS.dirName();

  final List<FileRow> files = new ArrayList<>();
  final List<SegmentRow> segments = new ArrayList<>();
  final List<ChunkRow> chunks = new ArrayList<>();
  final List<SymbolRow> symbols = new ArrayList<>();
  final List<DiagnosticRow> diagnostics = new ArrayList<>();

  static BucketTables join(String bucket, Iterable<PlannedFile> planned, Iterable<JobResult> results) {
    return join(bucket, planned, results, new Carried());
  }

  /**
   * Joins one bucket's planned files with the results of the jobs this run executed and the rows carried from the
   * previous snapshot. Per planned job: an executed job's segments row and the tables it was run for come from its
   * result (every table when it did not parse: a timeout or file problem), the rest from the carried rows of its
   * segment; a carried job's rows all come from the previous snapshot, its ledger from the plan. Carried rows of
   * files that are gone (deleted, renamed) or of segments that are not planned any more are dropped.
   */
  static BucketTables join(
      String bucket, Iterable<PlannedFile> planned, Iterable<JobResult> results, Carried carried) {
    Map<String, List<JobResult>> byPath = new HashMap<>();
    for (JobResult r : results) {
      byPath.computeIfAbsent(r.getPath(), p -> new ArrayList<>()).add(r);
    }
    BucketTables t = new BucketTables();
    for (PlannedFile p : planned) {
      FileRow file = p.getFile();
      List<JobResult> fileResults = byPath.remove(file.getPath());
      int got = fileResults == null ? 0 : fileResults.size();
      if (got != p.getExpectedJobs()) {
        throw new MissingResultsException(
            "file " + file.getRepo() + "/" + file.getPath() + " was planned with " + p.getExpectedJobs()
                + " job(s) but " + got + " result(s) arrived (bucket " + bucket + "). A planned job without a result"
                + " means the executor lost work; the run fails and the published snapshot is left as it was.");
      }
      FileRow row = fileRow(file, fileResults);
      t.files.add(row);
      t.segments.addAll(p.getUnparsedSegments());
      // A file that is not extracted keeps no chunks or symbols, whatever its other jobs produced: the files row
      // must tell the whole truth about the rows a reader finds for it.
      boolean containerFailed = row.getReason() != null;
      if (!p.getJobs().isEmpty()) {
        t.addJobs(bucket, p, fileResults == null ? List.of() : fileResults, carried.of(file.getPath()),
            containerFailed);
      } else if (fileResults != null) {
        // A planned file without its job list (built by hand, as in tests): every job executed for every table.
        fileResults.sort(Comparator.comparing(JobResult::getVirtualPath));
        for (JobResult r : fileResults) {
          t.segments.add(r.getSegment());
          if (containerFailed) {
            // Keep only the rows that explain the problem (other jobs may have read bytes that changed since).
            if (r.getFileProblem() != null) {
              t.diagnostics.addAll(r.getDiagnostics());
            }
            continue;
          }
          t.chunks.addAll(r.getChunks());
          t.symbols.addAll(r.getSymbols());
          t.diagnostics.addAll(r.getDiagnostics());
        }
      } else if (file.getReason() != null && !QUIET_REASONS.contains(file.getReason())) {
        t.diagnostics.add(planDiagnostic(file));
      }
    }
    if (!byPath.isEmpty()) {
      throw new MissingResultsException(
          "results arrived for files that were not planned in bucket " + bucket + ": " + byPath.keySet()
              + ". The plan and the results disagree; the run fails and nothing is published.");
    }
    t.files.sort(RowOrder.FILES);
    t.segments.sort(RowOrder.SEGMENTS);
    t.chunks.sort(RowOrder.CHUNKS);
    t.symbols.sort(RowOrder.SYMBOLS);
    t.diagnostics.sort(RowOrder.DIAGNOSTICS);
    return t;
  }

  /**
   * The {@code files} rows of a bucket whose other tables were linked whole from the previous snapshot: no job of it
   * runs and nothing is carried through the pipeline, so every planned row is final.
   */
  static List<FileRow> linkedFiles(
      String bucket, List<PlannedFile> planned, List<JobResult> results, List<String> carried) {
    if (!results.isEmpty() || !carried.isEmpty() || planned.stream().anyMatch(p -> p.getExpectedJobs() != 0)) {
      throw new MissingResultsException("bucket " + bucket + " was linked from the previous snapshot, yet "
          + (results.isEmpty() && carried.isEmpty() ? "a job of it was planned to run" : "rows for it arrived")
          + ": the plan and the pipeline disagree. Nothing was published.");
    }
    List<FileRow> files = new ArrayList<>(planned.size());
    planned.forEach(p -> files.add(p.getFile()));
    files.sort(RowOrder.FILES);
    return files;
  }

  /** The rows of one planned file's jobs: fresh from this run's results or carried, per job and table. */
  private void addJobs(
      String bucket, PlannedFile p, List<JobResult> results, Carried.File carried, boolean containerFailed) {
    Map<String, JobResult> bySegment = new HashMap<>();
    for (JobResult r : results) {
      bySegment.put(r.getSegment().getSegmentUid(), r);
    }
    String where = p.getFile().getRepo() + "/" + p.getFile().getPath();
    for (PlannedJob job : p.getJobs()) {
      String uid = job.getSegmentUid();
      if (job.getRun()) {
        JobResult r = bySegment.remove(uid);
        if (r == null) {
          throw new MissingResultsException(
              "segment " + uid + " of " + where + " was planned to run but no result arrived for it (bucket " + bucket
                  + "); the run fails and the published snapshot is left as it was.");
        }
        segments.add(r.getSegment());
        if (containerFailed) {
          // Other jobs of the file may have read the bytes before they changed: keep only the problem rows.
          if (r.getFileProblem() != null) {
            diagnostics.addAll(r.getDiagnostics());
          }
          continue;
        }
        // A job that did not parse (timeout, binary, ...) has no rows but its problem: nothing is carried for it.
        boolean parsed = r.getFileProblem() == null;
        List<String> fresh = job.getTables();
        chunks.addAll(parsed && !fresh.contains(CHUNKS) ? carried.chunks(uid) : r.getChunks());
        symbols.addAll(parsed && !fresh.contains(SYMBOLS) ? carried.symbols(uid) : r.getSymbols());
        diagnostics.addAll(parsed && !fresh.contains(DIAGNOSTICS) ? carried.diagnostics(uid) : r.getDiagnostics());
      } else {
        SegmentRow previous = carried.segment(uid);
        if (previous == null
            || !job.getWasmKey().equals(previous.getWasmKey())
            || !job.getContentHash().equals(previous.getContentHash())) {
          throw new MissingResultsException(
              "segment " + uid + " of " + where + " was planned to be carried from the previous snapshot, but "
                  + (previous == null ? "the previous snapshot has no segments row for it"
                      : "its previous row is for grammar build " + previous.getWasmKey() + " and content "
                          + previous.getContentHash())
                  + " (bucket " + bucket + "). The previous snapshot does not match its own files table; run with"
                  + " --full to rebuild. Nothing was published.");
        }
        // The ledger is the full plan's, so carried rows equal what a full run writes.
        segments.add(SegmentRow.newBuilder(previous).setBatch(job.getBatch()).setBatchPosition(job.getBatchPosition())
            .build());
        if (containerFailed && !results.isEmpty()) {
          // A job of this run failed the file: as in a full run, the other jobs keep no rows. (A file carried
          // whole keeps the previous snapshot's rows, which already follow this rule.)
          continue;
        }
        chunks.addAll(carried.chunks(uid));
        symbols.addAll(carried.symbols(uid));
        diagnostics.addAll(carried.diagnostics(uid));
      }
    }
    if (!bySegment.isEmpty()) {
      throw new MissingResultsException(
          "results arrived for segments of " + where + " that were not planned to run: " + bySegment.keySet()
              + " (bucket " + bucket + "). The plan and the results disagree; the run fails and nothing is published.");
    }
  }

  /**
   * Rows carried from the previous snapshot, of the files of one bucket, by file, table and segment. Filled by the
   * writer as it streams the previous table files; rows of files that are gone are never added.
   */
  static final class Carried {
    private final Map<String, File> files = new HashMap<>();

    File of(String path) {
      return files.getOrDefault(path, File.NONE);
    }

    private File file(String path) {
      return files.computeIfAbsent(path, p -> new File());
    }

    void add(SegmentRow r) {
      file(r.getPath()).segments.put(r.getSegmentUid(), r);
    }

    void add(ChunkRow r) {
      file(r.getPath()).chunks.computeIfAbsent(r.getSegmentUid(), k -> new ArrayList<>()).add(r);
    }

    void add(SymbolRow r) {
      file(r.getPath()).symbols.computeIfAbsent(r.getSegmentUid(), k -> new ArrayList<>()).add(r);
    }

    void add(DiagnosticRow r) {
      // Rows without a segment are the planner's (a file without jobs); a plan makes them afresh.
      if (r.getSegmentUid() != null) {
        file(r.getPath()).diagnostics.computeIfAbsent(r.getSegmentUid(), k -> new ArrayList<>()).add(r);
      }
    }

    /** One file's carried rows. */
    static final class File {
      static final File NONE = new File();

      private final Map<String, SegmentRow> segments = new HashMap<>();
      private final Map<String, List<ChunkRow>> chunks = new HashMap<>();
      private final Map<String, List<SymbolRow>> symbols = new HashMap<>();
      private final Map<String, List<DiagnosticRow>> diagnostics = new HashMap<>();

      SegmentRow segment(String uid) {
        return segments.get(uid);
      }

      List<ChunkRow> chunks(String uid) {
        return chunks.getOrDefault(uid, List.of());
      }

      List<SymbolRow> symbols(String uid) {
        return symbols.getOrDefault(uid, List.of());
      }

      List<DiagnosticRow> diagnostics(String uid) {
        return diagnostics.getOrDefault(uid, List.of());
      }
    }
  }

  /**
   * Whether any row of {@code table} of this planned file comes from the previous snapshot: a job that does not run
   * carries every table, a job run for some consumer tables carries the others (segments rows of a run job are
   * fresh).
   */
  static boolean carries(PlannedFile p, String table) {
    for (PlannedJob j : p.getJobs()) {
      if (!j.getRun() || (!table.equals(Table.SEGMENTS.dirName()) && !j.getTables().contains(table))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A file with jobs is extracted unless its whole-file job reported a problem, or any job found a problem with the
   * container itself (changed, deleted, unreadable); the first by segment wins. An embedded segment that timed out
   * or failed to parse does not fail its container: its {@code segments} row and diagnostic say so.
   */
  private static FileRow fileRow(FileRow planned, List<JobResult> results) {
    if (results == null || results.isEmpty()) {
      // Skipped before any job, or every job carried: the plan's row is final (status unchanged, or the previous
      // snapshot's skipped status).
      return planned;
    }
    FileRow.Builder row = FileRow.newBuilder(planned).setStatus(FileStatus.EXTRACTED).setReason(null).setDetail(null);
    results.stream()
        .filter(r -> r.getFileProblem() != null)
        .filter(r -> Planner.FILE.equals(r.getSegment().getContainerKind())
            || CONTAINER_PROBLEMS.contains(r.getFileProblem()))
        .min(Comparator.comparing((JobResult r) -> r.getSegment().getStartByte())
            .thenComparing(r -> r.getSegment().getSegmentUid()))
        .ifPresent(
            r -> row.setStatus(FileStatuses.forReason(r.getFileProblem()))
                .setReason(r.getFileProblem())
                .setDetail(r.getFileProblemDetail()));
    return row.build();
  }

  private static DiagnosticRow planDiagnostic(FileRow file) {
    return DiagnosticRow.newBuilder()
        .setRepo(file.getRepo())
        .setPath(file.getPath())
        .setSegmentUid(null)
        .setSeverity(FileStatus.FAILED.equals(file.getStatus()) ? "error" : "warning")
        .setCode(file.getReason())
        .setMessage(file.getDetail() == null ? file.getReason() : file.getDetail())
        .setStartByte(0)
        .setEndByte(0)
        .setStartLine(1)
        .setStartColumn(1)
        .setSnippet(null)
        .build();
  }
}
