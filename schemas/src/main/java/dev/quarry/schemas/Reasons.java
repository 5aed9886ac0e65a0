package dev.quarry.schemas;

/**
 * Reason codes of {@code files.reason}, {@code segments.reason} and file-level {@code diagnostics.code}. They are part of the output
 * contract: SQL filters on them, so codes are never renamed, only added.
 */
public final class Reasons {
  /** No locked grammar claims the file's extension, name or shebang. */
  public static final String NO_GRAMMAR = "no_grammar";
  /** A symbolic link; never followed (its target is listed on its own when it lies inside the root). */
  public static final String SYMLINK = "symlink";
  /** A symbolic link whose target resolves outside the source root; nothing outside a root is read. */
  public static final String SYMLINK_OUTSIDE_ROOT = "symlink_outside_root";
  /** A symbolic link that does not resolve (dangling or a loop). */
  public static final String SYMLINK_BROKEN = "symlink_broken";
  /** Not a regular file (device, socket, fifo, git submodule directory). */
  public static final String NOT_REGULAR = "not_regular_file";
  /** The file could not be opened or read. */
  public static final String UNREADABLE = "unreadable";
  /** The file contains NUL bytes. */
  public static final String BINARY = "binary";
  /** The file is not valid UTF-8 (UTF-16 and other encodings included). */
  public static final String NOT_UTF8 = "not_utf8";
  /** Larger than the per-file cap ({@code --max-file-bytes}). */
  public static final String OVER_FILE_CAP = "over_file_cap";
  /** Planned after the total parse budget ({@code --max-total-bytes}) was spent, in plan order. */
  public static final String OVER_TOTAL_CAP = "over_total_cap";
  /** The parse exceeded its time budget ({@code --parse-timeout-ms}). */
  public static final String PARSE_TIMEOUT = "parse_timeout";
  /** The file's bytes changed between scan and parse (hash mismatch); no partial results are kept. */
  public static final String CHANGED_DURING_RUN = "changed_during_run";
  /** The file disappeared between scan and parse. */
  public static final String DELETED_DURING_RUN = "deleted_during_run";
  /** The grammar could not parse the file at all. */
  public static final String PARSE_FAILED = "parse_failed";
  /** The path leaves the declared source root (e.g. a manifest row with '..'). */
  public static final String OUTSIDE_ROOT = "outside_root";

  // Reasons of embedded segments without a job (segments.reason); the container file itself is still parsed.
  // An embedded block whose declared language has no locked grammar (mermaid, scss, pug, ...) gets NO_GRAMMAR.

  /** An embedded block that declares no language (a fence without an info string, a custom block without lang). */
  public static final String NO_LANGUAGE = "no_language";
  /** A {@code <script>} or {@code <style>} whose {@code type} is not code Quarry parses (text/x-template, ...). */
  public static final String UNSUPPORTED_TYPE = "unsupported_type";

  private Reasons() {}
}
