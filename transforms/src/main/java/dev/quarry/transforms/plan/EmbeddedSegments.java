package dev.quarry.transforms.plan;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.schemas.ContainerSegment;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.segment.Segment;
import dev.quarry.transforms.segment.Segmenter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Turns a container's segments into jobs (segments whose language has a locked grammar) and complete
 * {@code segments} rows for the rest. Every range is validated against the container bytes before anything is
 * computed from it.
 */
final class EmbeddedSegments {
  /** What one container adds to the plan besides its whole-file job. */
  record Planned(List<Job> jobs, List<SegmentRow> unparsed, long jobBytes) {
    static final Planned NONE = new Planned(List.of(), List.of(), 0);
  }

  private EmbeddedSegments() {}

  /**
   * The segments of a container's bytes, validated, with what planning needs of the bytes (rows, columns, content
   * hashes), so that a later run can plan the same container from them alone.
   */
  static List<ContainerSegment> segment(ManifestRow m, byte[] bytes, Segmenter segmenter) {
    String kind = segmenter.containerKind();
    List<Segment> segments = segmenter.segments(bytes);
    List<VirtualRanges.Range> ranges = new ArrayList<>(segments.size());
    for (Segment s : segments) {
      ranges.add(new VirtualRanges.Range(m.getRepo(), m.getPath(), segmentUid(m, kind, s.start(), s.end(),
          s.language()), kind, s.language(), s.start(), s.end()));
    }
    VirtualRanges.validateEmbedded(ranges, bytes);

    LineStarts lines = new LineStarts(bytes);
    List<ContainerSegment> out = new ArrayList<>(segments.size());
    for (Segment s : segments) {
      int row = lines.row(s.start());
      out.add(new ContainerSegment(s.start(), s.end(), row, s.start() - lines.start(row), lines.row(s.end()),
          s.declared(), s.language(), s.reason(), StableIds.sha256Hex(bytes, s.start(), s.end() - s.start())));
    }
    return out;
  }

  /** A container's jobs (segments whose language has a locked grammar) and the {@code segments} rows of the rest. */
  static Planned plan(ManifestRow m, List<ContainerSegment> segments, String kind, GrammarRegistry grammars,
      int bucket, int bucketCount) {
    List<Job> jobs = new ArrayList<>();
    List<SegmentRow> unparsed = new ArrayList<>();
    long jobBytes = 0;
    for (ContainerSegment s : segments) {
      String uid = segmentUid(m, kind, s.getStartByte(), s.getEndByte(), s.getLanguage());
      Optional<GrammarSpec> grammar =
          s.getReason() == null && s.getLanguage() != null ? grammars.byName(s.getLanguage()) : Optional.empty();
      if (grammar.isPresent()) {
        GrammarSpec g = grammar.get();
        jobs.add(Job.newBuilder()
            .setRepo(m.getRepo())
            .setPath(m.getPath())
            .setSourceRoot(m.getSourceRoot())
            .setFileSha256(m.getFileSha256())
            .setFileSize(m.getSizeBytes())
            .setSegmentUid(uid)
            .setVirtualPath(Planner.virtualPath(m.getPath(), uid, Planner.extensionOf(g)))
            .setStartByte(s.getStartByte())
            .setEndByte(s.getEndByte())
            .setBaseRow(s.getBaseRow())
            .setBaseColumn(s.getBaseColumn())
            .setContainerKind(kind)
            .setLanguage(g.name())
            .setDeclaredLanguage(s.getDeclaredLanguage())
            .setWasmKey(g.wasmKey())
            .setContentHash(s.getContentHash())
            .setShard(0)
            .setBatch(null)
            .setBatchPosition(0)
            .setTables(TableVersions.CONSUMER_TABLES)
            .setBucket(bucket)
            .setBucketCount(bucketCount)
            .build());
        jobBytes += s.getEndByte() - s.getStartByte();
      } else {
        String reason = s.getReason() != null ? s.getReason()
            : s.getLanguage() == null ? Reasons.NO_LANGUAGE : Reasons.NO_GRAMMAR;
        unparsed.add(SegmentRow.newBuilder()
            .setRepo(m.getRepo())
            .setPath(m.getPath())
            .setSegmentUid(uid)
            .setVirtualPath(Planner.virtualPath(m.getPath(), uid, extensionOf(s.getLanguage())))
            .setStartByte(s.getStartByte())
            .setEndByte(s.getEndByte())
            .setStartLine(s.getBaseRow() + 1)
            .setEndLine(s.getEndRow() + 1)
            .setContainerKind(kind)
            .setLanguage(s.getLanguage())
            .setWasmKey(null)
            .setContentHash(s.getContentHash())
            .setStatus(FileStatus.SKIPPED)
            .setNodeCount(0)
            .setErrorCount(0)
            .setParseMs(null)
            .setDeclaredLanguage(s.getDeclaredLanguage())
            .setReason(reason)
            .setBatch(null)
            .setBatchPosition(null)
            .build());
      }
    }
    return new Planned(jobs, unparsed, jobBytes);
  }

  /** Content hash of (repo, path, container kind, range, language): stable across runs, workers and runners. */
  static String segmentUid(ManifestRow m, String kind, long start, long end, String language) {
    return "seg-" + StableIds.hash("segment", m.getRepo(), m.getPath(), kind, start, end,
        language == null ? "" : language);
  }

  /** A language without a grammar still names the virtual file when it is a plain word ({@code x.scss}). */
  private static String extensionOf(String language) {
    return language != null && language.matches("[a-z0-9_]{1,24}") ? language : "txt";
  }

  /** Rows counted the way tree-sitter counts them: a row ends at {@code \n}. */
  private static final class LineStarts {
    private final int[] starts;
    private final int count;

    LineStarts(byte[] bytes) {
      int[] s = new int[64];
      int n = 0;
      s[n++] = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          if (n == s.length) {
            s = Arrays.copyOf(s, n * 2);
          }
          s[n++] = i + 1;
        }
      }
      this.starts = s;
      this.count = n;
    }

    int row(int offset) {
      int i = Arrays.binarySearch(starts, 0, count, offset);
      return i >= 0 ? i : -i - 2;
    }

    int start(int row) {
      return starts[row];
    }
  }
}
