package dev.quarry.transforms.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.plan.VirtualRanges;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The segmenters' rules, one by one, and a randomized check that no input can make them produce a bad range. */
class SegmentersTest {
  /** "block language reason: text" per segment. */
  static List<String> render(Segmenter segmenter, String input) {
    byte[] b = input.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (Segment s : segmenter.segments(b)) {
      out.add(s.block() + " " + s.language() + (s.reason() == null ? "" : " " + s.reason()) + ": "
          + new String(b, s.start(), s.end() - s.start(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void infoStringsNameGrammars() {
    Map<String, String> cases = Map.ofEntries(
        Map.entry("rust", "rust"), Map.entry("rust,ignore", "rust"), Map.entry("rust ignore", "rust"),
        Map.entry("js", "javascript"), Map.entry("jsx", "javascript"), Map.entry("py", "python"),
        Map.entry("sh", "bash"), Map.entry("shell", "bash"), Map.entry("c++", "cpp"), Map.entry("ts", "typescript"),
        Map.entry("{.python}", "python"), Map.entry("{.python .numberLines}", "python"),
        Map.entry("{#id .rust}", "rust"), Map.entry("{r setup, include=FALSE}", "r"),
        Map.entry("python title=\"x\"", "python"), Map.entry("js{1,3}", "javascript"),
        Map.entry("js:title=app.js", "javascript"), Map.entry("language-go", "go"), Map.entry("C#", "c_sharp"),
        Map.entry("Python", "python"), Map.entry("mermaid", "mermaid"), Map.entry("c_sharp", "c_sharp"));
    cases.forEach((info, grammar) -> assertEquals(grammar, MarkdownSegmenter.languageOf(info), info));
    assertEquals(null, MarkdownSegmenter.languageOf(""));
    assertEquals(null, MarkdownSegmenter.languageOf("{#only-an-id}"));
  }

  @Test
  void fenceRangesAreTheContentLines() {
    MarkdownSegmenter md = new MarkdownSegmenter();
    assertEquals(List.of("fence rust: fn a() {}\n"), render(md, "```rust\nfn a() {}\n```\n"));
    assertEquals(List.of("fence python: x\n"), render(md, "~~~py\nx\n~~~\n"));
    // A closing fence must be at least as long as the opening one, of the same character.
    assertEquals(List.of("fence javascript: ```\n~~~~\nx\n"), render(md, "````js\n```\n~~~~\nx\n````\n"));
    // Unterminated: to the end of the document.
    assertEquals(List.of("fence javascript: x\n\ny"), render(md, "```js\nx\n\ny"));
    // Four spaces: indented code, not a fence.
    assertEquals(List.of(), render(md, "    ```js\n    x\n    ```\n"));
    // No info string.
    assertEquals(List.of("fence null no_language: x\n"), render(md, "```\nx\n```\n"));
    assertEquals(List.of("fence rust: x\r\n"), render(md, "```rust\r\nx\r\n```\r\n"));
  }

  @Test
  void htmlScriptsEndWhereBrowsersEndThem() {
    HtmlSegmenter html = new HtmlSegmenter();
    assertEquals(List.of("script javascript: a()"), render(html, "<script>a()</script>"));
    assertEquals(List.of("script javascript: var s = \""), render(html, "<script>var s = \"</script>\";</script>"));
    assertEquals(List.of("script javascript: x"), render(html, "<Script Type=\"MODULE\">x</SCRIPT\n>"));
    assertEquals(List.of("script javascript: b"), render(html, "<!-- <script>a</script> --><script>b</script>"));
    assertEquals(List.of("script javascript: c"), render(html, "<script title=\"x > y\">c</script>"));
    assertEquals(List.of(), render(html, "<script src=\"x.js\"> \n </script>"));
    assertEquals(List.of("script json: {}"), render(html, "<script type=\"application/ld+json\">{}</script>"));
    assertEquals(List.of("script json: {}"), render(html, "<script type=importmap>{}</script>"));
    assertEquals(List.of("script null unsupported_type: t"), render(html, "<script type=\"text/x-template\">t</script>"));
    assertEquals(List.of("style css: a{}"), render(html, "<style media=\"screen\">a{}</style>"));
    assertEquals(List.of(), render(html, "<textarea><script>x</script></textarea><title><style>y</style></title>"));
    assertEquals(List.of("script javascript: open("), render(html, "<script>open("));
  }

  @Test
  void vueBlocksByLang() {
    VueSegmenter vue = new VueSegmenter();
    assertEquals(
        List.of("template html: <template v-if=\"a\">x</template>", "script typescript: let a = 1",
            "script tsx: <a/>", "script javascript: b", "style css: c", "style scss: d", "template pug: p"),
        render(vue, "<template><template v-if=\"a\">x</template></template>"
            + "<script setup lang=\"ts\">let a = 1</script><script lang=\"tsx\"><a/></script><script>b</script>"
            + "<style scoped>c</style><style lang=\"scss\">d</style><template lang=\"pug\">p</template>"));
    assertEquals(List.of("docs null " + Reasons.NO_LANGUAGE + ": x", "i18n json: {}"),
        render(vue, "<docs>x</docs><i18n lang=\"json\">{}</i18n><script src=\"./a.js\"></script>"));
  }

  @Test
  void svelteExpressionsDoNotEndTags() {
    SvelteSegmenter svelte = new SvelteSegmenter();
    assertEquals(List.of("script typescript: let a: number", "style css: p{}"),
        render(svelte, "<script lang=\"ts\">let a: number</script>"
            + "<p on:click={() => a > 1 ? \"<script>\" : 0}>{a < 2 ? '<style>' : ''}</p><style>p{}</style>"));
  }

  /** Random soups of the constructs the lexers care about: every range must pass the planner's strict checks. */
  @Test
  void noInputProducesAnInvalidRange() {
    String[] vocabulary = {
      "```", "```js", "~~~", "~~~py", "````", "\n", "\r\n", "\r", "  ", "    ", "\t", "- ", "1. ", "> ", "x", "é", "€",
      "😀", "<script>", "</script>", "<script type=\"module\">", "<style>", "</style>", "<template>", "</template>",
      "<!--", "-->", "<", ">", "\"", "'", "{", "}", "{{", "}}", "<details>", "<pre>", "</pre>", " src=\"a\"",
      "<script lang=\"ts\">", "<i18n>", "</i18n", "<!", "<?", "/>", "=", "`", "<textarea>", "</"
    };
    List<Segmenter> segmenters = List.of(new MarkdownSegmenter(), new HtmlSegmenter(), new VueSegmenter(),
        new SvelteSegmenter());
    Random random = new Random(42);
    int segments = 0;
    for (int doc = 0; doc < 3000; doc++) {
      StringBuilder text = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
      int tokens = random.nextInt(60);
      for (int t = 0; t < tokens; t++) {
        text.append(vocabulary[random.nextInt(vocabulary.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      for (Segmenter s : segmenters) {
        List<VirtualRanges.Range> ranges = new ArrayList<>();
        int previousStart = -1;
        for (Segment seg : s.segments(bytes)) {
          assertTrue(seg.start() > previousStart || seg.start() == 0 && previousStart == -1,
              "segments come in increasing start order: " + text);
          previousStart = seg.start();
          ranges.add(new VirtualRanges.Range("r", "doc" + doc, "seg-" + ranges.size(), s.containerKind(),
              seg.language(), seg.start(), seg.end()));
        }
        segments += ranges.size();
        VirtualRanges.validateEmbedded(ranges, bytes);
      }
    }
    assertTrue(segments > 3000, "the soups contain segments: " + segments);
  }
}
