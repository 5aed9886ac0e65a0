package dev.quarry.transforms.segment;

/**
 * One embedded block a {@link Segmenter} found in a container: its content range and what it declares.
 *
 * <p>The range is the block's <em>content</em>, in container bytes, end-exclusive: for a Markdown fence from the
 * byte after the opening fence line's newline to the first byte of the closing fence line; for a tag from the byte
 * after the open tag's {@code >} to the {@code <} of the close tag. An unterminated block runs to the end of the
 * container.
 *
 * @param block what the block is: {@code fence}, {@code script}, {@code style}, {@code template}, or a Vue custom
 *     block's tag name
 * @param start first content byte (container offset)
 * @param end end of the content (exclusive)
 * @param declared the language as written (a fence's info string, a tag's {@code lang} or {@code type}), or null
 * @param language the normalized language name (see {@link LanguageAliases}); the planner resolves it to a locked
 *     grammar. Null when the block declares nothing usable
 * @param reason null when the block should become a job if its language has a grammar; else why it never can
 *     ({@code no_language}, {@code unsupported_type}); docs/segments.md explains each
 */
public record Segment(String block, int start, int end, String declared, String language, String reason) {

  static Segment code(String block, int start, int end, String declared, String language) {
    return new Segment(block, start, end, declared, language, null);
  }

  static Segment withoutJob(String block, int start, int end, String declared, String reason) {
    return new Segment(block, start, end, declared, null, reason);
  }
}
