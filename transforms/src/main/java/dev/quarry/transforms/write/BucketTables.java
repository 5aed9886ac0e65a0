package dev.quarry.transforms.write;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.transforms.plan.FileStatuses;
import dev.quarry.transforms.plan.Planner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of all five tables for one output bucket: planned files joined with their job results. This is where
 * the accounting invariant is enforced: every planned file gets exactly one {@code files} row, and every planned
 * job must have exactly one result. Embedded segments without a job come with their planned file and are written
 * to {@code segments} as planned.
 */
final class BucketTables {
  /** Reasons that are routine enough not to repeat as a diagnostic; the files row already says it. */
  private static final Set<String> QUIET_REASONS = Set.of(Reasons.NO_GRAMMAR, Reasons.SYMLINK);
  /** Problems of the container file rather than of one segment's text: they fail the file and void its rows. */
  private static final Set<String> CONTAINER_PROBLEMS =
      Set.of(Reasons.CHANGED_DURING_RUN, Reasons.DELETED_DURING_RUN, Reasons.UNREADABLE, Reasons.OUTSIDE_ROOT);

  final List<FileRow> files = new ArrayList<>();
  final List<SegmentRow> segments = new ArrayList<>();
  final List<ChunkRow> chunks = new ArrayList<>();
  final List<SymbolRow> symbols = new ArrayList<>();
  final List<DiagnosticRow> diagnostics = new ArrayList<>();

  static BucketTables join(String bucket, Iterable<PlannedFile> planned, Iterable<JobResult> results) {
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
      if (fileResults != null) {
        fileResults.sort(Comparator.comparing(JobResult::getVirtualPath));
        // A file that is not extracted keeps no chunks or symbols, whatever its other jobs produced: the files row
        // must tell the whole truth about the rows a reader finds for it.
        boolean containerFailed = row.getReason() != null;
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
   * A file with jobs is extracted unless its whole-file job reported a problem, or any job found a problem with the
   * container itself (changed, deleted, unreadable); the first by segment wins. An embedded segment that timed out
   * or failed to parse does not fail its container: its {@code segments} row and diagnostic say so.
   */
  private static FileRow fileRow(FileRow planned, List<JobResult> results) {
    if (results == null) {
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
