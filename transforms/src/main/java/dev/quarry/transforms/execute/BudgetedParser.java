package dev.quarry.transforms.execute;

import io.github.treesitter.jtreesitter.InputEncoding;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A tree-sitter parser with a per-parse time budget: a parse over budget halts and yields no tree instead of
 * blocking a worker.
 *
 * <p>The budget is tree-sitter's own parse timeout ({@code ts_parser_set_timeout_micros}), whose clock is checked
 * in C. The progress callback of {@link Parser.Options} would do the same from Java, but tree-sitter calls it every
 * 100 parse operations, and each call is an upcall through jtreesitter (a {@code State} object and a clock read):
 * on the JDK sources that made parsing 25-30% more expensive in CPU than parsing without it ({@code quarry bench},
 * {@code docs/perf.md}). The timeout is deprecated since tree-sitter 0.25 in favour of the callback but works in the
 * core (0.25.1) and jtreesitter (0.25.5) we pin; revisit when upgrading to a version that removes it.
 *
 * <p>jtreesitter copies every chunk handed to the read callback into the parser's own arena, which is freed only
 * when the parser closes; so the parser is replaced after {@link #RECYCLE_BYTES} and after every halted parse
 * (a halted parser would otherwise resume the old document).
 */
final class BudgetedParser implements AutoCloseable {
  static final long RECYCLE_BYTES = 64L << 20;

  private final Language language;
  private final long budgetMicros;
  private Parser parser;
  private long bytesSinceRecycle;

  BudgetedParser(Language language, long budgetMillis) {
    this.language = language;
    this.budgetMicros = Math.max(1, budgetMillis * 1_000L);
  }

  /** Parses {@code text} (whose UTF-8 encoding is {@code bytes}); empty when the budget ran out. */
  Optional<Tree> parse(String text, byte[] bytes) {
    if (parser == null || bytesSinceRecycle > RECYCLE_BYTES) {
      recycle();
    }
    bytesSinceRecycle += bytes.length;
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
            InputEncoding.UTF_8);
    if (tree.isEmpty()) {
      recycle();
    }
    return tree;
  }

  @SuppressWarnings("deprecation") // see the class comment: the timeout runs in C, the progress callback does not
  private void recycle() {
    close();
    parser = new Parser(language);
    parser.setTimeoutMicros(budgetMicros);
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
