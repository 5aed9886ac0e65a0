package dev.quarry.transforms.segment;

import dev.quarry.schemas.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Fenced code blocks of Markdown, following CommonMark's rules for fences:
 *
 * <ul>
 *   <li>an opening fence is a line of at least three backticks or tildes, indented 0-3 columns (tabs stop every 4
 *       columns) relative to its container; a backtick fence's info string cannot contain a backtick;
 *   <li>the closing fence uses the same character, is at least as long as the opening one, is indented 0-3
 *       columns and has nothing but spaces or tabs after it;
 *   <li>a fence that is never closed runs to the end of the document, or to the end of the list item that holds
 *       it (the first non-blank line indented less than the item's content);
 *   <li>list items are tracked by indentation only, so a fence indented inside a list item is found, and its
 *       content keeps that indentation (the range is contiguous container bytes); lazy continuation lines end the
 *       item early, which can only make a deeper fence be missed, never produce a bad range;
 *   <li>fences inside block quotes ({@code >}) are not segmented (their lines carry the quote markers); HTML
 *       blocks of CommonMark kinds 1-6 ({@code <pre>}, {@code <script>}, comments, {@code <details>}, ...) are
 *       skipped to their end, so a fence-like line inside them is not a fence; indented code blocks have no
 *       language and are not segmented.
 * </ul>
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it belongs to the line ending (CRLF), a lone {@code \r} does not
 * end a line (as in tree-sitter's row counting). A leading UTF-8 byte-order mark is skipped.
 */
public final class MarkdownSegmenter implements Segmenter {
  static final int MAX_DECLARED_CHARS = 200;

  @Override
  public String containerKind() {
    return "markdown";
  }

  @Override
  public List<Segment> segments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    Deque<Integer> listColumns = new ArrayDeque<>();
    Fence open = null;
    String htmlBlockEnd = null;
    int pos = Bytes.bomLength(b);
    while (pos < b.length) {
      int start = pos;
      int newline = Bytes.indexOf(b, (byte) '\n', pos, b.length);
      int next = newline < 0 ? b.length : newline + 1;
      int end = newline < 0 ? b.length : newline;
      if (end > start && b[end - 1] == '\r') {
        end--;
      }
      pos = next;
      Line line = new Line(b, start, end);
      if (open != null) {
        if (line.isBlank()) {
          continue;
        }
        if (line.indent() >= open.containerColumn) {
          if (isClosingFence(line, open)) {
            out.add(open.segment(start));
            open = null;
          }
          continue;
        }
        // The list item holding the fence ended, and the fence with it; the line is read as a new one below.
        out.add(open.segment(start));
        open = null;
      }
      if (htmlBlockEnd != null) {
        if (htmlBlockEnd.isEmpty() ? line.isBlank() : Bytes.indexOfIgnoreCase(b, htmlBlockEnd, start, end) >= 0) {
          htmlBlockEnd = null;
        }
        continue;
      }
      if (line.isBlank()) {
        continue;
      }
      int col = line.indent();
      while (!listColumns.isEmpty() && col < listColumns.peek()) {
        listColumns.pop();
      }
      int container = listColumns.isEmpty() ? 0 : listColumns.peek();
      int p = line.firstNonBlank();
      while (col - container <= 3 && p < end && !isThematicBreak(b, p, end)) {
        int marker = listMarkerEnd(b, p, end);
        if (marker < 0) {
          break;
        }
        int markerCol = line.columnOf(marker);
        int q = marker;
        while (q < end && (b[q] == ' ' || b[q] == '\t')) {
          q++;
        }
        int contentCol;
        if (q == end) {
          contentCol = markerCol + 1;
        } else if (line.columnOf(q) - markerCol >= 5) {
          contentCol = markerCol + 1; // the item starts with indented code
          q = marker + 1;
        } else {
          contentCol = line.columnOf(q);
        }
        listColumns.push(contentCol);
        container = contentCol;
        p = q;
        col = line.columnOf(p);
      }
      if (p >= end || col - container > 3 || b[p] == '>') {
        continue;
      }
      Fence fence = opener(b, p, end, container, next);
      if (fence != null) {
        open = fence;
        continue;
      }
      String blockEnd = htmlBlockEnd(b, p, end);
      if (blockEnd != null && (blockEnd.isEmpty() || Bytes.indexOfIgnoreCase(b, blockEnd, p + 1, end) < 0)) {
        htmlBlockEnd = blockEnd;
      }
    }
    if (open != null) {
      out.add(open.segment(b.length));
    }
    return out;
  }

  /** An open fence: its character and length, the column of its container and where its content starts. */
  private record Fence(byte marker, int length, int containerColumn, int contentStart, String info) {
    Segment segment(int contentEnd) {
      String language = languageOf(info);
      String declared = info.isEmpty() ? null : truncate(info);
      if (language == null) {
        return Segment.withoutJob("fence", contentStart, contentEnd, declared, Reasons.NO_LANGUAGE);
      }
      return Segment.code("fence", contentStart, contentEnd, declared, language);
    }
  }

  private static Fence opener(byte[] b, int p, int end, int container, int next) {
    byte c = b[p];
    if (c != '`' && c != '~') {
      return null;
    }
    int run = 0;
    while (p + run < end && b[p + run] == c) {
      run++;
    }
    if (run < 3) {
      return null;
    }
    int infoStart = p + run;
    if (c == '`' && Bytes.indexOf(b, (byte) '`', infoStart, end) >= 0) {
      return null; // a backtick in a backtick fence's info string makes the line inline code, not a fence
    }
    String info = new String(b, infoStart, end - infoStart, StandardCharsets.UTF_8).strip();
    return new Fence(c, run, container, next, info);
  }

  private static boolean isClosingFence(Line line, Fence open) {
    if (line.indent() - open.containerColumn > 3) {
      return false;
    }
    byte[] b = line.bytes;
    int p = line.firstNonBlank();
    int run = 0;
    while (p + run < line.end && b[p + run] == open.marker) {
      run++;
    }
    if (run < open.length) {
      return false;
    }
    for (int i = p + run; i < line.end; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * The language an info string names: the first word, cut at {@code ,}, {@code {} or {@code :}
   * ({@code rust,ignore}, {@code js{1,3}}, {@code js:title=x}); in braces the first class ({@code {.python}}) or
   * else the first word ({@code {r setup}}); a {@code language-} prefix is dropped. Null when none is named.
   */
  static String languageOf(String info) {
    String s = info.strip();
    if (s.isEmpty()) {
      return null;
    }
    String token = null;
    if (s.charAt(0) == '{') {
      int close = s.indexOf('}');
      String inner = close < 0 ? s.substring(1) : s.substring(1, close);
      String firstWord = null;
      for (String part : inner.strip().split("[\\s,]+")) {
        if (part.startsWith(".") && part.length() > 1) {
          token = part.substring(1);
          break;
        }
        if (firstWord == null && !part.isEmpty() && !part.startsWith("#") && !part.contains("=")) {
          firstWord = part;
        }
      }
      if (token == null) {
        token = firstWord;
      }
    } else {
      token = s.split("\\s+", 2)[0];
      for (char cut : new char[] {',', '{', ':'}) {
        int i = token.indexOf(cut);
        if (i >= 0) {
          token = token.substring(0, i);
        }
      }
    }
    if (token == null) {
      return null;
    }
    for (String prefix : new String[] {"language-", "lang-"}) {
      if (token.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        token = token.substring(prefix.length());
      }
    }
    while (token.startsWith(".")) {
      token = token.substring(1);
    }
    return token.isEmpty() ? null : LanguageAliases.normalize(token);
  }

  private static String truncate(String s) {
    return s.length() <= MAX_DECLARED_CHARS ? s : s.substring(0, MAX_DECLARED_CHARS);
  }

  /** {@code -}, {@code +}, {@code *}, or 1-9 digits and {@code .} or {@code )}; followed by a blank or the end. */
  private static int listMarkerEnd(byte[] b, int p, int end) {
    int q = p;
    if (b[q] == '-' || b[q] == '+' || b[q] == '*') {
      q++;
    } else {
      while (q < end && q - p < 9 && b[q] >= '0' && b[q] <= '9') {
        q++;
      }
      if (q == p || q >= end || (b[q] != '.' && b[q] != ')')) {
        return -1;
      }
      q++;
    }
    return q == end || b[q] == ' ' || b[q] == '\t' ? q : -1;
  }

  /** Three or more of one of {@code - * _}, with only blanks between: a rule, not a list item. */
  private static boolean isThematicBreak(byte[] b, int p, int end) {
    byte c = b[p];
    if (c != '-' && c != '*' && c != '_') {
      return false;
    }
    int count = 0;
    for (int i = p; i < end; i++) {
      if (b[i] == c) {
        count++;
      } else if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return count >= 3;
  }

  /** Block-level tag names that start a CommonMark HTML block of kind 6 (it ends at a blank line). */
  private static final java.util.Set<String> BLOCK_TAGS =
      java.util.Set.of(
          "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center", "col",
          "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
          "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html",
          "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav", "noframes", "ol", "optgroup",
          "option", "p", "param", "search", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
          "title", "tr", "track", "ul");

  /**
   * Whether an HTML block of CommonMark kinds 1-6 starts at {@code p}: its end marker ({@code </pre>},
   * {@code -->}, {@code ?>}, {@code >}, {@code ]]>}), the empty string for kind 6 (it ends at a blank line), or
   * null. Kind 7 (any other lone tag) is not recognized: it cannot interrupt a paragraph, which would need
   * paragraph tracking, and fences inside such blocks are rare.
   */
  private static String htmlBlockEnd(byte[] b, int p, int end) {
    if (b[p] != '<') {
      return null;
    }
    for (String tag : new String[] {"script", "pre", "style", "textarea"}) {
      int after = p + 1 + tag.length();
      if (Bytes.startsWithIgnoreCase(b, p + 1, end, tag)
          && (after == end || b[after] == '>' || b[after] == ' ' || b[after] == '\t')) {
        return "</" + tag + ">";
      }
    }
    if (Bytes.startsWith(b, p, end, "<!--")) {
      return "-->";
    }
    if (Bytes.startsWith(b, p, end, "<?")) {
      return "?>";
    }
    if (Bytes.startsWith(b, p, end, "<![CDATA[")) {
      return "]]>";
    }
    if (p + 2 < end && b[p + 1] == '!' && Bytes.isAsciiLetter(b[p + 2])) {
      return ">";
    }
    int nameStart = p + 1 < end && b[p + 1] == '/' ? p + 2 : p + 1;
    int nameEnd = nameStart;
    while (nameEnd < end && (Bytes.isAsciiLetter(b[nameEnd]) || (b[nameEnd] >= '0' && b[nameEnd] <= '9'))) {
      nameEnd++;
    }
    String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    boolean delimited = nameEnd == end || b[nameEnd] == ' ' || b[nameEnd] == '\t' || b[nameEnd] == '>'
        || Bytes.startsWith(b, nameEnd, end, "/>");
    return delimited && BLOCK_TAGS.contains(name) ? "" : null;
  }

  /** One line without its line ending, with CommonMark's column arithmetic (tab stops every 4 columns). */
  private record Line(byte[] bytes, int start, int end) {
    boolean isBlank() {
      return firstNonBlank() == end;
    }

    int firstNonBlank() {
      int i = start;
      while (i < end && (bytes[i] == ' ' || bytes[i] == '\t')) {
        i++;
      }
      return i;
    }

    int indent() {
      return columnOf(firstNonBlank());
    }

    int columnOf(int offset) {
      int col = 0;
      for (int i = start; i < offset; i++) {
        col = bytes[i] == '\t' ? (col / 4 + 1) * 4 : col + 1;
      }
      return col;
    }
  }
}
