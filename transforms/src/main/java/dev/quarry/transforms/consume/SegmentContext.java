package dev.quarry.transforms.consume;

import java.util.Objects;

/**
 * One segment handed to the consumers: where it lives and its bytes.
 *
 * <p>The consumers see only the segment; every offset and line they output is container-absolute, translated
 * with the segment's position in its container: {@code byte = baseByte + local},
 * {@code line (1-based) = baseRow + row + 1}, {@code column (1-based bytes) = (row == 0 ? baseColumn : 0) +
 * column + 1}.
 *
 * @param repo repository of the container file
 * @param path repo-relative path of the container file
 * @param segmentUid the segment's stable id
 * @param language effective language id, copied into every row
 * @param content the segment's bytes, valid UTF-8 (the tree passed with it must have been parsed from them)
 * @param baseByte container offset of {@code content[0]}
 * @param baseRow 0-based container row of {@code content[0]}
 * @param baseColumn 0-based container byte column of {@code content[0]}
 */
public record SegmentContext(
    String repo,
    String path,
    String segmentUid,
    String language,
    byte[] content,
    long baseByte,
    int baseRow,
    int baseColumn) {

  public SegmentContext {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(segmentUid, "segmentUid");
    Objects.requireNonNull(language, "language");
    Objects.requireNonNull(content, "content");
    if (baseByte < 0 || baseRow < 0 || baseColumn < 0) {
      throw new IllegalArgumentException(
          "segment " + segmentUid + " of " + path + ": base position (byte " + baseByte + ", row " + baseRow
              + ", column " + baseColumn + ") must be >= 0");
    }
  }

  /** A whole-file segment: it starts at the container's first byte. */
  public static SegmentContext wholeFile(String repo, String path, String segmentUid, String language, byte[] content) {
    return new SegmentContext(repo, path, segmentUid, language, content, 0, 0, 0);
  }

  /** 1-based container line of a 0-based segment row. */
  int line(int row) {
    return baseRow + row + 1;
  }

  /** 1-based container byte column of a 0-based segment (row, byte column). */
  int column(int row, int column) {
    return (row == 0 ? baseColumn : 0) + column + 1;
  }
}
