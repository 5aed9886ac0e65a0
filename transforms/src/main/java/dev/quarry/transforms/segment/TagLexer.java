package dev.quarry.transforms.segment;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTML tokenizer that reports start and end tags and skips everything else, following the HTML standard's
 * tokenizer where it matters for finding blocks: comments ({@code <!-- -->}, including the abrupt {@code <!-->}),
 * {@code <!...>} and {@code <?...>} bogus comments, attribute values in quotes (a {@code >} inside them does not
 * end the tag), case-insensitive names, and end of input inside a tag (the tag is dropped). The caller decides
 * which elements hold raw text and moves {@link #pos} past them.
 *
 * <p>Vue and Svelte modes add their template syntax to text: Vue skips {@code {{ }}} interpolations, Svelte skips
 * balanced {@code { }} expressions, also as attribute values and names ({@code on:click={() => a > b}}).
 */
final class TagLexer {
  enum Mode {
    HTML,
    VUE,
    SVELTE
  }

  /**
   * @param start offset of the {@code <}
   * @param contentStart offset just after the tag's {@code >}
   * @param attributes lower-cased names to values (null for a name without value); the first occurrence wins
   */
  record Tag(boolean end, String name, Map<String, String> attributes, int start, int contentStart, boolean selfClosing) {
    String attribute(String name) {
      return attributes.get(name);
    }

    boolean has(String name) {
      return attributes.containsKey(name);
    }
  }

  private final byte[] b;
  private final int limit;
  private final Mode mode;
  /** Where lexing continues; callers move it past raw text. */
  int pos;

  TagLexer(byte[] bytes, int from, int limit, Mode mode) {
    this.b = bytes;
    this.pos = from;
    this.limit = limit;
    this.mode = mode;
  }

  /** The next start or end tag, or null at the end of input. */
  Tag next() {
    while (pos < limit) {
      byte c = b[pos];
      if (c == '{' && mode == Mode.VUE && pos + 1 < limit && b[pos + 1] == '{') {
        int close = indexOf("}}", pos + 2);
        pos = close < 0 ? pos + 2 : close + 2;
        continue;
      }
      if (c == '{' && mode == Mode.SVELTE) {
        int close = braceEnd(pos);
        pos = close < 0 ? pos + 1 : close;
        continue;
      }
      if (c != '<') {
        pos++;
        continue;
      }
      if (Bytes.startsWith(b, pos, limit, "<!--")) {
        pos = commentEnd(pos + 4);
        continue;
      }
      if (pos + 1 < limit && (b[pos + 1] == '!' || b[pos + 1] == '?')) {
        pos = bogusCommentEnd(pos + 2);
        continue;
      }
      if (pos + 1 < limit && b[pos + 1] == '/') {
        if (pos + 2 < limit && Bytes.isAsciiLetter(b[pos + 2])) {
          return tag(true, pos, pos + 2);
        }
        pos = pos + 2 < limit && b[pos + 2] == '>' ? pos + 3 : bogusCommentEnd(pos + 2);
        continue;
      }
      if (pos + 1 < limit && Bytes.isAsciiLetter(b[pos + 1])) {
        return tag(false, pos, pos + 1);
      }
      pos++;
    }
    return null;
  }

  private Tag tag(boolean end, int start, int nameStart) {
    int i = nameStart;
    while (i < limit && !Bytes.isHtmlSpace(b[i]) && b[i] != '/' && b[i] != '>') {
      i++;
    }
    String name = new String(b, nameStart, i - nameStart, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
    Map<String, String> attributes = new LinkedHashMap<>();
    boolean selfClosing = false;
    while (true) {
      while (i < limit && Bytes.isHtmlSpace(b[i])) {
        i++;
      }
      if (i >= limit) {
        pos = limit; // end of input inside a tag: the tag is dropped
        return null;
      }
      if (b[i] == '>') {
        i++;
        break;
      }
      if (b[i] == '/') {
        if (i + 1 < limit && b[i + 1] == '>') {
          selfClosing = true;
          i += 2;
          break;
        }
        i++;
        continue;
      }
      int nameFrom = i;
      if (mode == Mode.SVELTE && b[i] == '{') {
        int close = braceEnd(i);
        if (close < 0) {
          pos = limit;
          return null;
        }
        i = close;
        continue; // {shorthand} or {...spread}
      }
      i++; // a first '=' belongs to the name
      while (i < limit && !Bytes.isHtmlSpace(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '=') {
        i++;
      }
      String attribute = new String(b, nameFrom, i - nameFrom, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
      int afterName = i;
      while (i < limit && Bytes.isHtmlSpace(b[i])) {
        i++;
      }
      String value = null;
      if (i < limit && b[i] == '=') {
        i++;
        while (i < limit && Bytes.isHtmlSpace(b[i])) {
          i++;
        }
        if (i >= limit) {
          pos = limit;
          return null;
        }
        if (b[i] == '"' || b[i] == '\'') {
          int close = Bytes.indexOf(b, b[i], i + 1, limit);
          if (close < 0) {
            pos = limit;
            return null;
          }
          value = new String(b, i + 1, close - i - 1, StandardCharsets.UTF_8);
          i = close + 1;
        } else if (mode == Mode.SVELTE && b[i] == '{') {
          int close = braceEnd(i);
          if (close < 0) {
            pos = limit;
            return null;
          }
          value = new String(b, i, close - i, StandardCharsets.UTF_8);
          i = close;
        } else {
          int from = i;
          while (i < limit && !Bytes.isHtmlSpace(b[i]) && b[i] != '>') {
            i++;
          }
          value = new String(b, from, i - from, StandardCharsets.UTF_8);
        }
      } else {
        i = afterName; // no value: what follows the blanks is the next attribute
      }
      attributes.putIfAbsent(attribute, value);
    }
    pos = i;
    return new Tag(end, name, Collections.unmodifiableMap(attributes), start, i, selfClosing);
  }

  /** After {@code <!--}: the offset after the comment's end ({@code -->}, or {@code >} / {@code ->} right away). */
  private int commentEnd(int from) {
    if (from < limit && b[from] == '>') {
      return from + 1;
    }
    if (Bytes.startsWith(b, from, limit, "->")) {
      return from + 2;
    }
    int close = indexOf("-->", from);
    return close < 0 ? limit : close + 3;
  }

  private int bogusCommentEnd(int from) {
    int close = Bytes.indexOf(b, (byte) '>', from, limit);
    return close < 0 ? limit : close + 1;
  }

  /**
   * Where the raw text of element {@code name} ends: the {@code <} of the first {@code </name} followed by a
   * blank, {@code /} or {@code >} (case-insensitive), or -1 when there is none (the text runs to the end).
   */
  int rawTextEnd(String name, int from) {
    for (int i = Bytes.indexOf(b, (byte) '<', from, limit); i >= 0; i = Bytes.indexOf(b, (byte) '<', i + 1, limit)) {
      if (isEndTag(i, name)) {
        return i;
      }
    }
    return -1;
  }

  private boolean isEndTag(int i, String name) {
    int after = i + 2 + name.length();
    return i + 1 < limit && b[i + 1] == '/' && Bytes.startsWithIgnoreCase(b, i + 2, limit, name) && after < limit
        && (Bytes.isHtmlSpace(b[after]) || b[after] == '/' || b[after] == '>');
  }

  /**
   * Where an HTML {@code <script>}'s text ends, by the standard's script data states: the first {@code </script}
   * ends it, also inside a JavaScript string, except in the "double escaped" state that
   * {@code <!--} followed by {@code <script} enters (left again by {@code </script} or {@code -->}). Browsers do
   * exactly this, so the range is the text the browser runs. -1 when the script runs to the end of the input.
   */
  int scriptEnd(int from) {
    final int data = 0;
    final int escaped = 1;
    final int doubleEscaped = 2;
    int state = data;
    int dashes = 0;
    for (int i = from; i < limit; i++) {
      byte c = b[i];
      if (state == data) {
        if (c == '<') {
          if (isEndTag(i, "script")) {
            return i;
          }
          if (Bytes.startsWith(b, i, limit, "<!--")) {
            state = escaped;
            dashes = 2;
            i += 3;
          }
        }
        continue;
      }
      if (c == '-') {
        dashes++;
        continue;
      }
      if (c == '>' && dashes >= 2) {
        state = data;
        dashes = 0;
        continue;
      }
      dashes = 0;
      if (c != '<') {
        continue;
      }
      if (state == escaped) {
        if (isEndTag(i, "script")) {
          return i;
        }
        int after = i + 7;
        if (Bytes.startsWithIgnoreCase(b, i + 1, limit, "script") && after < limit
            && (Bytes.isHtmlSpace(b[after]) || b[after] == '/' || b[after] == '>')) {
          state = doubleEscaped;
          i = after - 1;
        }
      } else if (isEndTag(i, "script")) {
        state = escaped;
        i += 7;
      }
    }
    return -1;
  }

  /**
   * The {@code <} of the {@code </template>} that closes a Vue {@code <template>} whose content starts at
   * {@code from}: nested {@code <template>} elements are counted, raw-text elements inside are skipped. -1 when it
   * is never closed.
   */
  int matchingTemplateEnd(int from) {
    TagLexer inner = new TagLexer(b, from, limit, mode);
    int depth = 1;
    for (Tag t = inner.next(); t != null; t = inner.next()) {
      if (t.end()) {
        if (t.name().equals("template") && --depth == 0) {
          return t.start();
        }
      } else if (t.name().equals("template")) {
        if (!t.selfClosing()) {
          depth++;
        }
      } else if (HtmlSegmenter.RAW_TEXT.contains(t.name()) || t.name().equals("script")) {
        int end = inner.rawTextEnd(t.name(), t.contentStart());
        inner.pos = end < 0 ? limit : end;
      }
    }
    return -1;
  }

  /** Offset after the {@code }} matching the {@code {} at {@code open}; strings are skipped. -1 if unbalanced. */
  private int braceEnd(int open) {
    int depth = 0;
    for (int i = open; i < limit; i++) {
      byte c = b[i];
      if (c == '"' || c == '\'' || c == '`') {
        int close = Bytes.indexOf(b, c, i + 1, limit);
        if (close < 0) {
          return -1;
        }
        i = close;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  private int indexOf(String ascii, int from) {
    for (int i = from; i + ascii.length() <= limit; i++) {
      if (Bytes.startsWith(b, i, limit, ascii)) {
        return i;
      }
    }
    return -1;
  }
}
