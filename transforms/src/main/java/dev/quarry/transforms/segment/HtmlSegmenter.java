package dev.quarry.transforms.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code <script>} and {@code <style>} elements of an HTML document, wherever they are (inside {@code <head>},
 * {@code <body>}, {@code <template>}, SVG). Comments are skipped, so a commented-out {@code <script>} is no
 * segment; the text of raw-text and RCDATA elements ({@code <textarea>}, {@code <title>}, ...) is skipped, so
 * markup shown there is no segment either. A script ends where a browser ends it (see
 * {@link TagLexer#scriptEnd}): a {@code </script>} inside a JavaScript string does end it. A script or style
 * without a closing tag runs to the end of the document. {@code <script src=...>} with an empty body is no
 * segment.
 */
public final class HtmlSegmenter implements Segmenter {
  /** Elements whose text the tokenizer does not read as markup (besides script). */
  static final Set<String> RAW_TEXT =
      Set.of("style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript");

  @Override
  public String containerKind() {
    return "html";
  }

  @Override
  public List<Segment> segments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    TagLexer lexer = new TagLexer(b, Bytes.bomLength(b), b.length, TagLexer.Mode.HTML);
    for (TagLexer.Tag tag = lexer.next(); tag != null; tag = lexer.next()) {
      if (tag.end()) {
        continue;
      }
      String name = tag.name();
      int start = tag.contentStart();
      if (name.equals("plaintext")) {
        break; // everything after <plaintext> is text
      }
      if (name.equals("script")) {
        int end = orEnd(lexer.scriptEnd(start), b);
        if (!BlockLanguages.isExternal(tag, b, start, end)) {
          out.add(BlockLanguages.htmlScript(tag, start, end));
        }
        lexer.pos = end;
      } else if (RAW_TEXT.contains(name)) {
        int end = orEnd(lexer.rawTextEnd(name, start), b);
        if (name.equals("style")) {
          out.add(BlockLanguages.htmlStyle(tag, start, end));
        }
        lexer.pos = end;
      }
    }
    return out;
  }

  static int orEnd(int end, byte[] b) {
    return end < 0 ? b.length : end;
  }
}
