package dev.quarry.transforms.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.grammars.Grammars;
import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.TokenBucket;
import dev.quarry.transforms.consume.ChunkingConfig;
import dev.quarry.transforms.consume.ConsumerOutput;
import dev.quarry.transforms.consume.SegmentConsumers;
import dev.quarry.transforms.consume.SegmentContext;
import io.github.treesitter.jtreesitter.InputEncoding;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Node;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.TreeCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzz target: chunk tiling and token-bucket invariants of {@link SegmentConsumers} on arbitrary source text, for a
 * few grammars. The segment is parsed the way the executor parses it (read callback, a leading BOM blanked for the
 * parser), and the output is checked against independent computations on the same tree (its leaves, read with
 * jtreesitter's public API) and against the documented contract (docs/consumers.md).
 *
 * <p>Input: {@code [grammar][max chunk][min chunk][base byte][base row][base column] text...} (one byte each).
 * The consumers are reused across inputs, as the executor reuses them across the jobs of a batch, so state leaking
 * from one segment into the next shows up as a difference between two runs on the same tree.
 */
public final class ConsumerTarget {
  static final List<String> GRAMMARS = List.of("javascript", "python", "json", "c", "go", "rust", "java", "html");
  static final Set<String> TOKEN_KINDS =
      Set.of("keyword", "identifier", "type", "function", "string", "number", "comment", "operator", "punctuation",
          "other");
  static final Set<String> DIAGNOSTIC_CODES = Set.of("syntax_error", "missing_node");
  private static final long PARSE_BUDGET_NANOS = 5_000_000_000L;
  private static final int MAX_CONTENT = 1 << 16;

  private static final Map<String, SegmentConsumers> CONSUMERS = new HashMap<>();

  private ConsumerTarget() {}

  public static void run(byte[] data) {
    FuzzBytes in = new FuzzBytes(data);
    String grammar = GRAMMARS.get(in.u8() % GRAMMARS.size());
    int maxChunk = 64 + in.u8() * 16;
    int minChunk = in.u8() * maxChunk / 255;
    int baseByte = in.u8() * 1000;
    int baseRow = in.u8();
    int baseColumn = in.u8();
    byte[] content = FuzzBytes.validUtf8(in.take(MAX_CONTENT));
    check(grammar, new ChunkingConfig(maxChunk, minChunk), content, baseByte, baseRow, baseColumn);
  }

  /** Parses {@code content} with {@code grammar} and checks every documented property of the consumers' output. */
  static void check(String grammar, ChunkingConfig config, byte[] content, int baseByte, int baseRow, int baseColumn) {
    SegmentConsumers consumers = consumers(grammar, config);
    Optional<Tree> parsed = parse(consumers.language(), content);
    if (parsed.isEmpty()) {
      return; // over the time budget: the executor reports parse_timeout and never runs the consumers
    }
    try (Tree tree = parsed.get()) {
      SegmentContext local = SegmentContext.wholeFile("fuzz", "f." + grammar, "seg-fuzz", grammar, content);
      SegmentContext shifted =
          new SegmentContext("fuzz", "f." + grammar, "seg-fuzz", grammar, content, baseByte, baseRow, baseColumn);
      ConsumerOutput atZero = consumers.run(local, tree);
      ConsumerOutput moved = consumers.run(shifted, tree);
      ConsumerOutput again = consumers.run(local, tree);
      assertEquals(atZero, again, "same tree, same consumers: the output must not depend on the previous segment");
      List<int[]> leaves = leaves(tree);
      for (ConsumerOutput out : List.of(atZero, moved)) {
        SegmentContext ctx = out == atZero ? local : shifted;
        assertTiling(out, ctx, config, leaves);
        assertBuckets(out, ctx, leaves);
        assertSymbols(out, ctx);
        assertDiagnostics(out, ctx);
        assertTrue(out.nodeCount() >= 1, "the root is a node");
      }
      assertSamePositionsUpToShift(atZero, moved, baseByte, baseRow);
    }
  }

  private static SegmentConsumers consumers(String grammar, ChunkingConfig config) {
    String key = grammar + "/" + config.fingerprint();
    SegmentConsumers c = CONSUMERS.get(key);
    if (c == null) {
      if (CONSUMERS.size() > 64) {
        CONSUMERS.values().forEach(SegmentConsumers::close);
        CONSUMERS.clear();
      }
      GrammarSpec spec = GrammarRegistry.get().byName(grammar).orElseThrow();
      c = SegmentConsumers.create(spec, Grammars.language(spec), config);
      CONSUMERS.put(key, c);
    }
    return c;
  }

  /** As the executor parses: a read callback (no text in the tree), a leading UTF-8 BOM blanked to spaces. */
  static Optional<Tree> parse(Language language, byte[] content) {
    String decoded = new String(content, StandardCharsets.UTF_8);
    String text = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
        && (content[2] & 0xFF) == 0xBF ? "   " + decoded.substring(1) : decoded;
    long deadline = System.nanoTime() + PARSE_BUDGET_NANOS;
    try (Parser parser = new Parser(language)) {
      return parser.parse(
          (offset, point) -> offset == 0 ? text
              : offset >= content.length ? null
              : new String(content, offset, content.length - offset, StandardCharsets.UTF_8),
          InputEncoding.UTF_8,
          new Parser.Options(state -> System.nanoTime() - deadline > 0));
    }
  }

  /** Every leaf (node without children) as {start, end}, in tree order, read with the public API. */
  static List<int[]> leaves(Tree tree) {
    List<int[]> out = new ArrayList<>();
    try (TreeCursor cursor = tree.walk()) {
      while (true) {
        if (cursor.gotoFirstChild()) {
          continue;
        }
        Node node = cursor.getCurrentNode();
        out.add(new int[] {node.getStartByte(), node.getEndByte()});
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            return out;
          }
        }
      }
    }
  }

  /** Tokens are the leaves that are neither empty nor all whitespace (docs/consumers.md). */
  static boolean isToken(byte[] content, int[] leaf) {
    if (leaf[1] <= leaf[0]) {
      return false;
    }
    for (int i = leaf[0]; i < leaf[1] && i < content.length; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
        return true;
      }
    }
    return false;
  }

  static void assertTiling(ConsumerOutput out, SegmentContext ctx, ChunkingConfig config, List<int[]> leaves) {
    byte[] content = ctx.content();
    List<ChunkRow> chunks = out.chunks();
    if (content.length == 0) {
      assertTrue(chunks.isEmpty(), "an empty segment has no chunks");
      return;
    }
    assertTrue(!chunks.isEmpty(), "a non-empty segment has chunks");
    long expected = ctx.baseByte();
    for (ChunkRow c : chunks) {
      String where = "chunk [" + c.getLocalStartByte() + ", " + c.getLocalEndByte() + ")";
      assertEquals(expected, c.getStartByte(), where + ": chunks are sorted and contiguous");
      assertTrue(c.getEndByte() > c.getStartByte(), where + ": a chunk is never empty");
      assertEquals(c.getStartByte() - ctx.baseByte(), (long) c.getLocalStartByte(), where + ": local start");
      assertEquals(c.getEndByte() - ctx.baseByte(), (long) c.getLocalEndByte(), where + ": local end");
      assertEquals(ctx.baseRow() + 1 + newlines(content, c.getLocalStartByte()), c.getStartLine(), where + ": start line");
      assertEquals(ctx.baseRow() + 1 + newlines(content, c.getLocalEndByte() - 1), c.getEndLine(), where + ": end line");
      assertEquals(StableIds.chunkUid(ctx.repo(), ctx.path(), ctx.segmentUid(), c.getStartByte(), c.getEndByte()),
          c.getChunkUid(), where + ": chunk uid");
      assertEquals(ctx.language(), c.getLanguage());
      assertTrue(c.getKind() != null && !c.getKind().isEmpty(), where + ": kind");
      if (c.getName() != null) {
        assertTrue(!c.getName().isEmpty() && c.getName().getBytes(StandardCharsets.UTF_8).length <= 256
            && c.getName().indexOf('\n') < 0, where + ": a name is one line of at most 256 bytes: " + c.getName());
      }
      int size = c.getLocalEndByte() - c.getLocalStartByte();
      if (size > config.maxChunkBytes()) {
        int tokens = 0;
        for (int[] leaf : leaves) {
          if (leaf[0] < c.getLocalEndByte() && leaf[1] > c.getLocalStartByte() && isToken(content, leaf)) {
            tokens++;
          }
        }
        assertTrue(tokens <= 1, where + ": " + size + " bytes is over max-chunk-bytes " + config.maxChunkBytes()
            + " but the chunk holds " + tokens + " tokens (only a single token may exceed it)");
      }
      expected = c.getEndByte();
    }
    assertEquals(ctx.baseByte() + content.length, expected, "the chunks end where the segment ends");
  }

  /**
   * Buckets: kinds from the vocabulary, non-empty, inside their chunk, sorted by (start, end, kind) and disjoint;
   * every token lies inside exactly one bucket; every bucket starts at a token's start and ends at a token's end.
   */
  static void assertBuckets(ConsumerOutput out, SegmentContext ctx, List<int[]> leaves) {
    byte[] content = ctx.content();
    List<int[]> ranges = new ArrayList<>();
    for (ChunkRow c : out.chunks()) {
      int length = c.getLocalEndByte() - c.getLocalStartByte();
      TokenBucket previous = null;
      for (TokenBucket b : c.getTokenBuckets()) {
        String where = "bucket " + b + " of chunk [" + c.getLocalStartByte() + ", " + c.getLocalEndByte() + ")";
        assertTrue(TOKEN_KINDS.contains(b.getKind()), where + ": kind");
        assertTrue(0 <= b.getStart() && b.getStart() < b.getEnd() && b.getEnd() <= length, where + ": inside the chunk");
        if (previous != null) {
          assertTrue(previous.getEnd() <= b.getStart(), where + ": overlaps or is out of order");
        }
        previous = b;
        ranges.add(new int[] {c.getLocalStartByte() + b.getStart(), c.getLocalStartByte() + b.getEnd()});
      }
    }
    java.util.Set<Integer> starts = new java.util.HashSet<>();
    java.util.Set<Integer> ends = new java.util.HashSet<>();
    int r = 0;
    for (int[] leaf : leaves) {
      if (!isToken(content, leaf)) {
        continue;
      }
      starts.add(leaf[0]);
      ends.add(leaf[1]);
      // Leaves come in tree order, which is start order; ranges are sorted and disjoint.
      while (r < ranges.size() && ranges.get(r)[1] <= leaf[0]) {
        r++;
      }
      if (r == ranges.size() || ranges.get(r)[0] > leaf[0] || ranges.get(r)[1] < leaf[1]) {
        fail("token [" + leaf[0] + ", " + leaf[1] + ") '" + text(content, leaf[0], leaf[1])
            + "' is not inside exactly one bucket");
      }
    }
    for (int[] range : ranges) {
      assertTrue(starts.contains(range[0]) && ends.contains(range[1]),
          "bucket [" + range[0] + ", " + range[1] + ") does not start and end on token boundaries");
    }
  }

  static void assertSymbols(ConsumerOutput out, SegmentContext ctx) {
    long end = ctx.baseByte() + ctx.content().length;
    String previousKey = null;
    for (SymbolRow s : out.symbols()) {
      String where = "symbol " + s.getName() + " at " + s.getStartByte();
      assertTrue(Set.of("definition", "reference").contains(s.getRole()), where + ": role");
      assertTrue(Set.of("tags", "fallback").contains(s.getSource()), where + ": source");
      assertTrue(!s.getName().isEmpty() && s.getName().getBytes(StandardCharsets.UTF_8).length <= 256
          && s.getName().indexOf('\n') < 0, where + ": a name is one line of at most 256 bytes");
      assertTrue(ctx.baseByte() <= s.getStartByte() && s.getStartByte() < s.getEndByte() && s.getEndByte() <= end,
          where + ": range inside the segment");
      int local = (int) (s.getStartByte() - ctx.baseByte());
      assertEquals(ctx.baseRow() + 1 + newlines(ctx.content(), local), s.getStartLine(), where + ": line");
      ChunkRow chunk = out.chunks().stream().filter(c -> c.getChunkUid().equals(s.getChunkUid())).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": chunk_uid names no chunk"));
      assertTrue(chunk.getStartByte() <= s.getStartByte() && s.getStartByte() < chunk.getEndByte(),
          where + ": chunk_uid is the chunk holding its first byte");
      String key = String.format("%012d %012d %s %s %s", s.getStartByte(), s.getEndByte(), s.getRole(), s.getKind(),
          s.getName());
      if (previousKey != null) {
        assertTrue(previousKey.compareTo(key) < 0, where + ": symbols sorted by (start, end, role, kind, name), no duplicates");
      }
      previousKey = key;
    }
  }

  static void assertDiagnostics(ConsumerOutput out, SegmentContext ctx) {
    long previous = Long.MIN_VALUE;
    long end = ctx.baseByte() + ctx.content().length;
    for (DiagnosticRow d : out.diagnostics()) {
      String where = "diagnostic " + d.getCode() + " at " + d.getStartByte();
      assertTrue(DIAGNOSTIC_CODES.contains(d.getCode()), where + ": code");
      assertEquals("error", d.getSeverity(), where);
      assertTrue(d.getStartByte() >= previous, where + ": sorted by start byte");
      previous = d.getStartByte();
      assertTrue(ctx.baseByte() <= d.getStartByte() && d.getStartByte() <= d.getEndByte() && d.getEndByte() <= end,
          where + ": inside the segment");
      if (d.getCode().equals("missing_node")) {
        assertEquals(d.getStartByte(), d.getEndByte(), where + ": a missing node has no width");
      }
      int local = (int) (d.getStartByte() - ctx.baseByte());
      assertEquals(ctx.baseRow() + 1 + newlines(ctx.content(), local), d.getStartLine(), where + ": line");
      if (d.getSnippet() != null) {
        assertTrue(d.getSnippet().indexOf('\n') < 0 && d.getSnippet().codePoints().count() <= 80,
            where + ": a snippet is one line of at most 80 characters");
      }
    }
    assertTrue(out.errorCount() >= out.diagnostics().size(), "every diagnostic is counted in error_count");
  }

  /** The segment's position only shifts offsets and lines (docs/consumers.md). */
  static void assertSamePositionsUpToShift(ConsumerOutput a, ConsumerOutput b, int baseByte, int baseRow) {
    assertEquals(a.chunks().size(), b.chunks().size(), "chunk count does not depend on the position");
    for (int i = 0; i < a.chunks().size(); i++) {
      ChunkRow x = a.chunks().get(i);
      ChunkRow y = b.chunks().get(i);
      assertEquals(x.getLocalStartByte(), y.getLocalStartByte());
      assertEquals(x.getLocalEndByte(), y.getLocalEndByte());
      assertEquals(x.getStartByte() + baseByte, y.getStartByte());
      assertEquals(x.getStartLine() + baseRow, (int) y.getStartLine());
      assertEquals(x.getKind(), y.getKind());
      assertEquals(x.getName(), y.getName());
      assertEquals(x.getTokenBuckets(), y.getTokenBuckets(), "buckets are chunk-local");
    }
    assertEquals(a.symbols().size(), b.symbols().size(), "symbol count does not depend on the position");
    assertEquals(a.diagnostics().size(), b.diagnostics().size(), "diagnostic count does not depend on the position");
    assertEquals(a.nodeCount(), b.nodeCount());
    assertEquals(a.errorCount(), b.errorCount());
  }

  static int newlines(byte[] content, int to) {
    int n = 0;
    for (int i = 0; i < to && i < content.length; i++) {
      if (content[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  private static String text(byte[] content, int from, int to) {
    return new String(content, from, Math.min(to, content.length) - from, StandardCharsets.UTF_8);
  }
}
