package dev.quarry.transforms.plan;

import dev.quarry.schemas.Job;

/** Strict checks of a job's {@code virtualRange} against its container. */
public final class VirtualRanges {
  private VirtualRanges() {}

  /** Checks the range against the container size known at plan time. */
  public static void validate(Job job, long containerSize) {
    long start = job.getStartByte();
    long end = job.getEndByte();
    if (start < 0 || start > end || end > containerSize) {
      throw invalid(job, containerSize, start > end ? "start is after end" : start < 0 ? "start is negative"
          : "end is beyond the end of the file");
    }
  }

  /** Checks that both ends fall on UTF-8 character boundaries of the container bytes. */
  public static void validateBoundaries(Job job, byte[] container) {
    validate(job, container.length);
    if (!isBoundary(container, (int) job.getStartByte()) || !isBoundary(container, (int) job.getEndByte())) {
      throw invalid(job, container.length, "an end falls inside a UTF-8 character");
    }
  }

  private static boolean isBoundary(byte[] bytes, int offset) {
    return offset == 0 || offset == bytes.length || (bytes[offset] & 0xC0) != 0x80;
  }

  private static InvalidVirtualRangeException invalid(Job job, long size, String why) {
    return new InvalidVirtualRangeException(
        "invalid virtual range in plan: " + why + ": file " + job.getRepo() + "/" + job.getPath()
            + ", segment " + job.getSegmentUid() + " (" + job.getContainerKind() + ", " + job.getLanguage() + ")"
            + ", range [" + job.getStartByte() + ", " + job.getEndByte() + "), file size " + size + " bytes."
            + " The run was stopped and nothing was published. This is a segmenter bug or a corrupt plan:"
            + " report it with this message; re-running from a fresh scan rebuilds the plan.");
  }
}
