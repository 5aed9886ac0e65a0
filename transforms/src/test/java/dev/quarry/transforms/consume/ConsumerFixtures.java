package dev.quarry.transforms.consume;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.grammars.Grammars;
import io.github.treesitter.jtreesitter.InputEncoding;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Grammars, parsing and consumer runs for the consumer tests. */
final class ConsumerFixtures {
  private ConsumerFixtures() {}

  static GrammarSpec spec(String grammar) {
    return GrammarRegistry.get()
        .byName(grammar)
        .orElseThrow(() -> new IllegalArgumentException("no grammar " + grammar + " in the registry"));
  }

  static Language language(String grammar) {
    return Grammars.language(spec(grammar));
  }

  static SegmentConsumers consumers(String grammar, ChunkingConfig config) {
    return SegmentConsumers.create(spec(grammar), language(grammar), config);
  }

  /**
   * Parses like the executor does: through a read callback, so the tree carries no text and jtreesitter cannot
   * evaluate query predicates itself.
   */
  static Tree parse(Language language, byte[] content) {
    String text = new String(content, StandardCharsets.UTF_8);
    try (Parser parser = new Parser(language)) {
      return parser
          .parse(
              (offset, point) -> offset == 0 ? text
                  : offset >= content.length ? null
                  : new String(content, offset, content.length - offset, StandardCharsets.UTF_8),
              InputEncoding.UTF_8,
              new Parser.Options(state -> false))
          .orElseThrow(() -> new IllegalStateException("parse halted"));
    }
  }

  static ConsumerOutput run(SegmentConsumers consumers, SegmentContext context) {
    try (Tree tree = parse(consumers.language(), context.content())) {
      return consumers.run(context, tree);
    }
  }

  static SegmentContext context(String grammar, byte[] content) {
    return SegmentContext.wholeFile("repo", "src/file." + grammar, "seg-1", grammar, content);
  }

  static ConsumerOutput run(String grammar, String source, ChunkingConfig config) {
    byte[] content = source.getBytes(StandardCharsets.UTF_8);
    try (SegmentConsumers consumers = consumers(grammar, config)) {
      return run(consumers, context(grammar, content));
    }
  }

  static byte[] resource(String path) {
    try (InputStream in = ConsumerFixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
