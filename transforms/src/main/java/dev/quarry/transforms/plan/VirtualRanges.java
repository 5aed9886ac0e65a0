package dev.quarry.transforms.plan;

import dev.quarry.schemas.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Strict checks of {@code virtualRange}s against their container: {@code 0 <= start <= end <= size}, both ends
 * on UTF-8 character boundaries, and embedded segments of one container pairwise disjoint. A failure is a
 * segmenter bug or a corrupt plan, so it throws {@link InvalidVirtualRangeException} naming the file, segment,
 * range and file size; nothing is ever skipped.
 */
public final class VirtualRanges {
  private VirtualRanges() {}

  /** What a message needs to name a segment. */
  public record Range(
      String repo, String path, String segmentUid, String containerKind, String language, long start, long end) {
    public static Range of(Job job) {
      return new Range(job.getRepo(), job.getPath(), job.getSegmentUid(), job.getContainerKind(), job.getLanguage(),
          job.getStartByte(), job.getEndByte());
    }
  }

  /** Checks the range against the container size known at plan time. */
  public static void validate(Job job, long containerSize) {
    validate(Range.of(job), containerSize);
  }

  /** Checks that both ends fall on UTF-8 character boundaries of the container bytes. */
  public static void validateBoundaries(Job job, byte[] container) {
    validateBoundaries(Range.of(job), container);
  }

  public static void validate(Range r, long containerSize) {
    if (r.start() < 0 || r.start() > r.end() || r.end() > containerSize) {
      throw invalid(r, containerSize, r.start() > r.end() ? "start is after end" : r.start() < 0 ? "start is negative"
          : "end is beyond the end of the file");
    }
  }

  public static void validateBoundaries(Range r, byte[] container) {
    validate(r, container.length);
    if (!isBoundary(container, (int) r.start()) || !isBoundary(container, (int) r.end())) {
      throw invalid(r, container.length, "an end falls inside a UTF-8 character");
    }
  }

  /**
   * The embedded segments of one container: each valid against its bytes, and no two overlapping (two empty
   * ranges at the same offset count as overlapping: they would be the same segment twice).
   */
  public static void validateEmbedded(List<Range> ranges, byte[] container) {
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::start).thenComparingLong(Range::end));
    Range previous = null;
    for (Range r : sorted) {
      validateBoundaries(r, container);
      if (previous != null && (r.start() < previous.end() || r.start() == previous.start())) {
        throw invalid(r, container.length, "it overlaps segment " + previous.segmentUid() + " ("
            + previous.containerKind() + ", " + previous.language() + ", range [" + previous.start() + ", "
            + previous.end() + ")) of the same container");
      }
      previous = r;
    }
  }

  private static boolean isBoundary(byte[] bytes, int offset) {
    return offset == 0 || offset == bytes.length || (bytes[offset] & 0xC0) != 0x80;
  }

  private static InvalidVirtualRangeException invalid(Range r, long size, String why) {
    return new InvalidVirtualRangeException(
        "invalid virtual range in plan: " + why + ": file " + r.repo() + "/" + r.path()
            + ", segment " + r.segmentUid() + " (" + r.containerKind() + ", " + r.language() + ")"
            + ", range [" + r.start() + ", " + r.end() + "), file size " + size + " bytes."
            + " The run was stopped and nothing was published. This is a segmenter bug or a corrupt plan:"
            + " report it with this message; re-running from a fresh scan rebuilds the plan.");
  }
}
