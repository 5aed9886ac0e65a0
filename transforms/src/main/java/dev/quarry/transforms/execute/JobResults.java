package dev.quarry.transforms.execute;

import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.transforms.consume.ConsumerOutput;
import dev.quarry.transforms.plan.FileStatuses;
import java.util.List;

/** Builds the one result every job must produce, whatever happened to it. */
final class JobResults {
  static final String PARSED = "parsed";
  static final String TIMEOUT = "timeout";

  private JobResults() {}

  static JobResult parsed(Job job, byte[] bytes, ConsumerOutput output, Long parseMs) {
    int newlines = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        newlines++;
      }
    }
    SegmentRow segment =
        segment(job, PARSED)
            .setEndLine(job.getBaseRow() + 1 + newlines)
            .setNodeCount(output.nodeCount())
            .setErrorCount(output.errorCount())
            .setParseMs(parseMs)
            .build();
    return result(job, segment, null, null)
        .setChunks(output.chunks())
        .setSymbols(output.symbols())
        .setDiagnostics(output.diagnostics())
        .build();
  }

  static JobResult timeout(Job job, long budgetMs, Long parseMs) {
    String detail = "parsing took longer than --parse-timeout-ms=" + budgetMs + " and was halted; no rows were kept";
    SegmentRow segment = segment(job, TIMEOUT).setParseMs(parseMs).build();
    DiagnosticRow diagnostic =
        diagnostic(job, Reasons.PARSE_TIMEOUT, detail, job.getStartByte(), job.getBaseRow() + 1, job.getBaseColumn() + 1);
    return result(job, segment, Reasons.PARSE_TIMEOUT, detail)
        .setChunks(List.of())
        .setSymbols(List.of())
        .setDiagnostics(List.of(diagnostic))
        .build();
  }

  static JobResult fileProblem(Job job, SegmentBytes.Problem problem) {
    SegmentRow segment = segment(job, FileStatuses.forReason(problem.reason())).build();
    DiagnosticRow diagnostic =
        diagnostic(job, problem.reason(), problem.detail(), problem.offset(), problem.line(), problem.column());
    return result(job, segment, problem.reason(), problem.detail())
        .setChunks(List.of())
        .setSymbols(List.of())
        .setDiagnostics(List.of(diagnostic))
        .build();
  }

  /**
   * Records the execution ledger on a result before it is output: the (wasmKey#shard) group that ran the job and
   * the job's 0-based position in that group's execution order. Both derive from the plan, so they are the same on
   * every run and runner.
   */
  static JobResult inBatch(JobResult result, String batch, int position) {
    result.getSegment().setBatch(batch);
    result.getSegment().setBatchPosition(position);
    return result;
  }

  private static JobResult.Builder result(Job job, SegmentRow segment, String problem, String detail) {
    return JobResult.newBuilder()
        .setVirtualPath(job.getVirtualPath())
        .setRepo(job.getRepo())
        .setPath(job.getPath())
        .setBucket(job.getBucket())
        .setBucketCount(job.getBucketCount())
        .setSegment(segment)
        .setFileProblem(problem)
        .setFileProblemDetail(detail);
  }

  private static SegmentRow.Builder segment(Job job, String status) {
    return SegmentRow.newBuilder()
        .setRepo(job.getRepo())
        .setPath(job.getPath())
        .setSegmentUid(job.getSegmentUid())
        .setVirtualPath(job.getVirtualPath())
        .setStartByte(job.getStartByte())
        .setEndByte(job.getEndByte())
        .setStartLine(job.getBaseRow() + 1)
        .setEndLine(job.getBaseRow() + 1)
        .setContainerKind(job.getContainerKind())
        .setLanguage(job.getLanguage())
        .setWasmKey(job.getWasmKey())
        .setContentHash(job.getContentHash())
        .setDeclaredLanguage(job.getDeclaredLanguage())
        .setStatus(status)
        .setNodeCount(0)
        .setErrorCount(0)
        .setParseMs(null);
  }

  /** A file-level diagnostic: the problem's reason code is its code. */
  static DiagnosticRow diagnostic(Job job, String code, String message, long offset, int line, int column) {
    return DiagnosticRow.newBuilder()
        .setRepo(job.getRepo())
        .setPath(job.getPath())
        .setSegmentUid(job.getSegmentUid())
        .setSeverity(FileStatus.FAILED.equals(FileStatuses.forReason(code)) ? "error" : "warning")
        .setCode(code)
        .setMessage(message)
        .setStartByte(offset)
        .setEndByte(offset)
        .setStartLine(line)
        .setStartColumn(column)
        .setSnippet(null)
        .build();
  }
}
