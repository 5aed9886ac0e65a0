package dev.quarry.transforms.segment;

import dev.quarry.schemas.Reasons;
import java.util.Locale;
import java.util.Set;

/** The language of a {@code <script>}, {@code <style>} or SFC block, from its {@code type} and {@code lang}. */
final class BlockLanguages {
  /** The HTML standard's JavaScript MIME type essences: a script with one of these types is classic JavaScript. */
  static final Set<String> JAVASCRIPT_TYPES =
      Set.of(
          "application/ecmascript", "application/javascript", "application/x-ecmascript",
          "application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
          "text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
          "text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript");

  /** Script types whose text is JSON: data blocks, import maps, speculation rules. */
  static final Set<String> JSON_TYPES =
      Set.of("application/json", "application/ld+json", "importmap", "speculationrules");

  private BlockLanguages() {}

  /** An HTML {@code <script>}: no type, a JavaScript MIME type or {@code module} is JavaScript; JSON types JSON. */
  static Segment htmlScript(TagLexer.Tag tag, int start, int end) {
    String type = tag.attribute("type");
    if (type == null || type.isBlank()) {
      return Segment.code("script", start, end, type, "javascript");
    }
    String essence = essence(type);
    if (JAVASCRIPT_TYPES.contains(essence) || essence.equals("module")) {
      return Segment.code("script", start, end, type, "javascript");
    }
    if (JSON_TYPES.contains(essence) || essence.endsWith("+json")) {
      return Segment.code("script", start, end, type, "json");
    }
    // Templates (text/x-template), other languages (text/babel, text/typescript) and data browsers never run.
    return Segment.withoutJob("script", start, end, type, Reasons.UNSUPPORTED_TYPE);
  }

  /** An HTML {@code <style>}: no type or {@code text/css} is CSS. */
  static Segment htmlStyle(TagLexer.Tag tag, int start, int end) {
    String type = tag.attribute("type");
    if (type == null || type.isBlank() || essence(type).equals("text/css")) {
      return Segment.code("style", start, end, type, "css");
    }
    return Segment.withoutJob("style", start, end, type, Reasons.UNSUPPORTED_TYPE);
  }

  /**
   * A Vue or Svelte block: {@code lang} decides ({@code ts} → typescript, {@code tsx}, {@code scss} → scss, ...);
   * without it a script or style falls back to the HTML rules of its {@code type}, a template is HTML, and a
   * custom block declares nothing.
   */
  static Segment sfcBlock(TagLexer.Tag tag, int start, int end) {
    String block = tag.name();
    String lang = tag.attribute("lang");
    if (lang != null && !lang.isBlank()) {
      return Segment.code(block, start, end, lang, LanguageAliases.normalize(lang.strip()));
    }
    return switch (block) {
      case "script" -> htmlScript(tag, start, end);
      case "style" -> htmlStyle(tag, start, end);
      case "template" -> Segment.code(block, start, end, null, "html");
      default -> Segment.withoutJob(block, start, end, null, Reasons.NO_LANGUAGE);
    };
  }

  /** {@code Text/JavaScript; charset=utf-8} → {@code text/javascript}. */
  private static String essence(String type) {
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
  }

  /** A {@code src=} block with nothing but blanks inside has no code of its own: it is no segment at all. */
  static boolean isExternal(TagLexer.Tag tag, byte[] b, int start, int end) {
    if (!tag.has("src")) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!Bytes.isHtmlSpace(b[i])) {
        return false;
      }
    }
    return true;
  }
}
