package dev.quarry.transforms.execute;

import io.github.treesitter.jtreesitter.InputEncoding;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A tree-sitter parser with a per-parse time budget, enforced through the {@link Parser.Options} progress
 * callback: a parse over budget halts and yields no tree instead of blocking a worker.
 *
 * <p>jtreesitter copies every chunk handed to the read callback into the parser's own arena, which is freed only
 * when the parser closes; so the parser is replaced after {@link #RECYCLE_BYTES} and after every halted parse
 * (a halted parser would otherwise resume the old document).
 */
final class BudgetedParser implements AutoCloseable {
  static final long RECYCLE_BYTES = 64L << 20;

  private final Language language;
  private final long budgetNanos;
  private Parser parser;
  private long bytesSinceRecycle;

  BudgetedParser(Language language, long budgetMillis) {
    this.language = language;
    this.budgetNanos = budgetMillis * 1_000_000L;
  }

  /** Parses {@code text} (whose UTF-8 encoding is {@code bytes}); empty when the budget ran out. */
  Optional<Tree> parse(String text, byte[] bytes) {
    if (parser == null || bytesSinceRecycle > RECYCLE_BYTES) {
      recycle();
    }
    bytesSinceRecycle += bytes.length;
    long deadline = System.nanoTime() + budgetNanos;
    Parser.Options options = new Parser.Options(state -> System.nanoTime() - deadline > 0);
    Optional<Tree> tree =
        parser.parse(
            (offset, point) -> {
              if (offset == 0) {
                return text;
              }
              if (offset >= bytes.length) {
                return null;
              }
              return new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8);
            },
            InputEncoding.UTF_8,
            options);
    if (tree.isEmpty()) {
      recycle();
    }
    return tree;
  }

  private void recycle() {
    close();
    parser = new Parser(language);
    bytesSinceRecycle = 0;
  }

  @Override
  public void close() {
    if (parser != null) {
      parser.close();
      parser = null;
    }
  }
}
