package dev.quarry.transforms.segment;

import java.util.Map;
import java.util.Optional;

/** Which {@link Segmenter} handles a container, by the container file's language (grammar name). */
public final class Segmenters {
  private static final Segmenters STANDARD =
      new Segmenters(
          Map.of(
              "markdown", new MarkdownSegmenter(),
              "html", new HtmlSegmenter(),
              "vue", new VueSegmenter(),
              "svelte", new SvelteSegmenter()));

  private final Map<String, Segmenter> byLanguage;

  /** @param byLanguage container file language (e.g. {@code markdown}) to its segmenter */
  public Segmenters(Map<String, Segmenter> byLanguage) {
    this.byLanguage = Map.copyOf(byLanguage);
  }

  /** Markdown, HTML, Vue and Svelte. */
  public static Segmenters standard() {
    return STANDARD;
  }

  /** Files of other languages are plain files: their only segment is the whole file. */
  public Optional<Segmenter> forLanguage(String language) {
    return language == null ? Optional.empty() : Optional.ofNullable(byLanguage.get(language));
  }
}
