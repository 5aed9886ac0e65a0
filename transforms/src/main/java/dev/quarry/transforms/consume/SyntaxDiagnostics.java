package dev.quarry.transforms.consume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Syntax problems of a parsed segment: one {@code syntax_error} per outermost ERROR node (ERROR nodes inside it
 * are counted in {@code error_count} but not reported again) and one {@code missing_node} per MISSING node outside
 * ERROR subtrees. All have severity {@code error}.
 *
 * <p>The snippet is the source line containing the problem's start, trimmed of surrounding whitespace, with
 * control characters shown as spaces; when longer than {@link #SNIPPET_CHARS} characters it is the window of
 * that many characters starting {@link #SNIPPET_LEAD} characters before the problem (shifted left at the line's
 * end). Characters are code points, so a snippet never cuts a UTF-8 sequence. Only the segment's own bytes are
 * shown (the first line of an embedded segment starts at the segment).
 */
public final class SyntaxDiagnostics {
  public static final String VERSION = "diagnostics-1";

  public static final String SYNTAX_ERROR = "syntax_error";
  public static final String MISSING_NODE = "missing_node";
  public static final String SEVERITY = "error";
  static final int SNIPPET_CHARS = 80;
  static final int SNIPPET_LEAD = 20;

  /** A problem in segment-local bytes. */
  record Problem(int start, int end, String code, String message, String snippet) {}

  private final GrammarProfile profile;

  SyntaxDiagnostics(GrammarProfile profile) {
    this.profile = profile;
  }

  List<Problem> find(FlatTree tree, LineIndex lines, byte[] content) {
    List<Problem> out = new ArrayList<>(tree.problemCount);
    for (int k = 0; k < tree.problemCount; k++) {
      int i = tree.problems[k];
      int p = tree.parent[i];
      String context = p >= 0 ? " in " + profile.type[tree.slot[p]] : "";
      String snippet = snippet(content, lines, tree.start[i]);
      if ((tree.flags[i] & FlatTree.ERROR) != 0) {
        out.add(new Problem(tree.start[i], tree.end[i], SYNTAX_ERROR, "syntax error" + context, snippet));
      } else {
        String type = profile.type[tree.slot[i]];
        String what = profile.named[tree.slot[i]] ? type : "\"" + type + "\"";
        out.add(new Problem(tree.start[i], tree.end[i], MISSING_NODE, "missing " + what + context, snippet));
      }
    }
    // Pre-order already sorts by start; a stable sort keeps parents before their zero-width children.
    out.sort((a, b) -> Integer.compare(a.start(), b.start()));
    return out;
  }

  static String snippet(byte[] content, LineIndex lines, int offset) {
    int row = lines.row(offset);
    int from = lines.rowStart(row);
    int to = row + 1 < lines.rowCount() ? lines.rowStart(row + 1) : content.length;
    while (from < to && isSpace(content[from])) {
      from++;
    }
    while (to > from && isSpace(content[to - 1])) {
      to--;
    }
    if (codePoints(content, from, to) > SNIPPET_CHARS) {
      int start = Math.max(from, Math.min(offset, to));
      start = back(content, start, from, SNIPPET_LEAD);
      int end = forward(content, start, to, SNIPPET_CHARS);
      if (codePoints(content, start, end) < SNIPPET_CHARS) {
        end = to;
        start = back(content, to, from, SNIPPET_CHARS);
      }
      from = start;
      to = end;
    }
    String text = new String(content, from, to - from, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B;
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int codePoints(byte[] content, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (!isContinuation(content[i])) {
        n++;
      }
    }
    return n;
  }

  /** Moves {@code at} back by up to {@code count} code points, not before {@code limit}. */
  private static int back(byte[] content, int at, int limit, int count) {
    while (at < content.length && at > limit && isContinuation(content[at])) {
      at--;
    }
    for (int n = 0; n < count && at > limit; n++) {
      at--;
      while (at > limit && isContinuation(content[at])) {
        at--;
      }
    }
    return at;
  }

  /** Moves {@code at} forward by up to {@code count} code points, not past {@code limit}. */
  private static int forward(byte[] content, int at, int limit, int count) {
    for (int n = 0; n < count && at < limit; n++) {
      at++;
      while (at < limit && isContinuation(content[at])) {
        at++;
      }
    }
    return at;
  }
}
