package dev.quarry.schemas;

/** Values of {@code files.status}. */
public final class FileStatus {
  /** Parsed in this run. */
  public static final String EXTRACTED = "extracted";
  /** Carried over from the previous snapshot without parsing. */
  public static final String UNCHANGED = "unchanged";
  /** Deliberately not parsed; {@code reason} says why. */
  public static final String SKIPPED = "skipped";
  /** Parsing was attempted and did not produce a usable tree; {@code reason} says why. */
  public static final String FAILED = "failed";

  private FileStatus() {}
}
