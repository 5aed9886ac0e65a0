package dev.quarry.transforms.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code <script>} (instance and {@code context="module"} / {@code module}) and {@code <style>} blocks of a
 * Svelte component, with Vue's {@code lang} rules ({@code lang="ts"} → typescript, {@code scss} has no
 * grammar). Svelte markup is not one contiguous block, so it gets no segment of its own: the whole-file job parses
 * it with the Svelte grammar. Markup is lexed as HTML with Svelte's {@code { }} expressions skipped (in text and
 * as attribute values), so {@code on:click={() => a > b}} does not end a tag early. Script and style text ends at
 * the first {@code </script>} / {@code </style>}, as Svelte's parser does; elements nested in markup (e.g. in
 * {@code <svelte:head>}) are segmented too.
 */
public final class SvelteSegmenter implements Segmenter {
  @Override
  public String containerKind() {
    return "svelte";
  }

  @Override
  public List<Segment> segments(byte[] b) {
    List<Segment> out = new ArrayList<>();
    TagLexer lexer = new TagLexer(b, Bytes.bomLength(b), b.length, TagLexer.Mode.SVELTE);
    for (TagLexer.Tag tag = lexer.next(); tag != null; tag = lexer.next()) {
      if (tag.end() || tag.selfClosing() || !(tag.name().equals("script") || tag.name().equals("style"))) {
        continue;
      }
      int start = tag.contentStart();
      int end = HtmlSegmenter.orEnd(lexer.rawTextEnd(tag.name(), start), b);
      if (!BlockLanguages.isExternal(tag, b, start, end)) {
        out.add(BlockLanguages.sfcBlock(tag, start, end));
      }
      lexer.pos = end;
    }
    return out;
  }
}
