package dev.quarry.transforms.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * Top-level blocks of a Vue single-file component, the way {@code @vue/compiler-sfc} splits it: {@code <template>}
 * (HTML unless {@code lang} says otherwise; nested {@code <template>} elements are matched, {@code {{ }}}
 * interpolations skipped), {@code <script>} and {@code <script setup>} ({@code lang="ts"} → typescript,
 * {@code lang="tsx"} → tsx, default javascript), {@code <style>} (css; {@code scss}, {@code less}, {@code stylus}
 * have no grammar), and custom blocks ({@code <i18n lang="json">}, {@code <docs>}). Every block except an HTML
 * template is raw text ending at the first matching close tag. Unclosed blocks run to the end of the file;
 * self-closing blocks and {@code src=} blocks without a body are no segments.
 */
public final class VueSegmenter implements Segmenter {
  @Override
  public String containerKind() {
    return "vue";
  }

  @Override
  public List<Segment> segments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    TagLexer lexer = new TagLexer(b, Bytes.bomLength(b), b.length, TagLexer.Mode.VUE);
    for (TagLexer.Tag tag = lexer.next(); tag != null; tag = lexer.next()) {
      if (tag.end() || tag.selfClosing()) {
        continue;
      }
      int start = tag.contentStart();
      String lang = tag.attribute("lang");
      boolean htmlTemplate =
          tag.name().equals("template") && (lang == null || lang.isBlank() || lang.strip().equalsIgnoreCase("html"));
      int end = HtmlSegmenter.orEnd(
          htmlTemplate ? lexer.matchingTemplateEnd(start) : lexer.rawTextEnd(tag.name(), start), b);
      if (!BlockLanguages.isExternal(tag, b, start, end)) {
        out.add(BlockLanguages.sfcBlock(tag, start, end));
      }
      lexer.pos = end;
    }
    return out;
  }
}
