package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.TokenBucket;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Node;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.TreeCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The documented output contract of the consumers, checked against independent computations. */
final class Invariants {
  static final Set<String> TOKEN_KINDS =
      Set.of("keyword", "identifier", "type", "function", "string", "number", "comment", "operator", "punctuation",
          "other");

  private Invariants() {}

  /** Every check below. */
  static void assertAll(ConsumerOutput out, SegmentContext ctx, ChunkingConfig config, Language language) {
    assertTiling(out, ctx, config);
    assertBuckets(out, ctx, leaves(language, ctx.content()));
    assertSymbols(out, ctx);
    assertDiagnostics(out, ctx);
  }

  /** Chunks tile the segment: sorted, contiguous, non-empty, within limits, with correct lines and ids. */
  static void assertTiling(ConsumerOutput out, SegmentContext ctx, ChunkingConfig config) {
    byte[] content = ctx.content();
    List<ChunkRow> chunks = out.chunks();
    if (content.length == 0) {
      assertTrue(chunks.isEmpty(), "an empty segment has no chunks");
      return;
    }
    long expectedStart = ctx.baseByte();
    for (ChunkRow c : chunks) {
      String where = "chunk " + c.getStartByte() + ".." + c.getEndByte() + " of " + ctx.path();
      assertEquals(expectedStart, c.getStartByte(), where + ": chunks must be contiguous and sorted");
      assertTrue(c.getEndByte() > c.getStartByte(), where + ": empty chunk");
      assertEquals(c.getStartByte() - ctx.baseByte(), c.getLocalStartByte(), where + ": local start");
      assertEquals(c.getEndByte() - ctx.baseByte(), c.getLocalEndByte(), where + ": local end");
      assertEquals(ctx.baseRow() + 1 + newlines(content, 0, c.getLocalStartByte()), c.getStartLine(), where);
      assertEquals(ctx.baseRow() + 1 + newlines(content, 0, c.getLocalEndByte() - 1), c.getEndLine(), where);
      assertEquals(StableIds.chunkUid(ctx.repo(), ctx.path(), ctx.segmentUid(), c.getStartByte(), c.getEndByte()),
          c.getChunkUid(), where);
      assertEquals(ctx.language(), c.getLanguage());
      assertFalse(c.getKind().isEmpty(), where + ": kind");
      long size = c.getEndByte() - c.getStartByte();
      assertTrue(size <= config.maxChunkBytes() || c.getTokenBuckets().size() <= 1,
          where + ": " + size + " bytes > max " + config.maxChunkBytes() + " but not a single token");
      expectedStart = c.getEndByte();
    }
    assertEquals(ctx.baseByte() + content.length, expectedStart, "chunks must end at the segment's end");
  }

  /**
   * Buckets are sorted, disjoint, inside their chunk, start and end on token boundaries, and cover every
   * non-blank leaf exactly once.
   */
  static void assertBuckets(ConsumerOutput out, SegmentContext ctx, List<int[]> leaves) {
    byte[] content = ctx.content();
    List<int[]> ranges = new ArrayList<>();
    for (ChunkRow c : out.chunks()) {
      int chunkLength = c.getLocalEndByte() - c.getLocalStartByte();
      int previousEnd = 0;
      TokenBucket previous = null;
      for (TokenBucket b : c.getTokenBuckets()) {
        String where = "bucket " + b + " in chunk " + c.getLocalStartByte() + ".." + c.getLocalEndByte();
        assertTrue(TOKEN_KINDS.contains(b.getKind()), where + ": kind");
        assertTrue(b.getStart() >= 0 && b.getStart() < b.getEnd() && b.getEnd() <= chunkLength, where);
        assertTrue(b.getStart() >= previousEnd, where + ": overlaps or unsorted");
        if (previous != null) {
          assertTrue(compare(previous, b) < 0, where + ": not sorted by (start, end, kind)");
        }
        previous = b;
        previousEnd = b.getEnd();
        ranges.add(new int[] {c.getLocalStartByte() + b.getStart(), c.getLocalStartByte() + b.getEnd()});
      }
    }
    // Every non-blank leaf lies in exactly one range; ranges are disjoint and sorted, so walk both.
    int r = 0;
    java.util.Set<Integer> starts = new java.util.HashSet<>();
    java.util.Set<Integer> ends = new java.util.HashSet<>();
    for (int[] leaf : leaves) {
      if (leaf[1] <= leaf[0] || blank(content, leaf[0], leaf[1])) {
        continue;
      }
      starts.add(leaf[0]);
      ends.add(leaf[1]);
      while (r < ranges.size() && ranges.get(r)[1] <= leaf[0]) {
        r++;
      }
      if (r == ranges.size() || ranges.get(r)[0] > leaf[0] || ranges.get(r)[1] < leaf[1]) {
        fail("leaf " + leaf[0] + ".." + leaf[1] + " '" + new String(content, leaf[0], leaf[1] - leaf[0],
            StandardCharsets.UTF_8) + "' of " + ctx.path() + " is not covered by one bucket");
      }
    }
    for (int[] range : ranges) {
      assertTrue(starts.contains(range[0]) && ends.contains(range[1]),
          "bucket " + range[0] + ".." + range[1] + " does not start and end on token boundaries");
    }
  }

  static void assertSymbols(ConsumerOutput out, SegmentContext ctx) {
    SymbolRow previous = null;
    for (SymbolRow s : out.symbols()) {
      String where = "symbol " + s.getName() + " at " + s.getStartByte();
      assertTrue(Set.of("definition", "reference").contains(s.getRole()), where);
      assertTrue(Set.of("tags", "fallback").contains(s.getSource()), where);
      assertFalse(s.getName().isEmpty(), where);
      assertTrue(s.getEndByte() > s.getStartByte(), where);
      int local = (int) (s.getStartByte() - ctx.baseByte());
      assertEquals(ctx.baseRow() + 1 + newlines(ctx.content(), 0, local), s.getStartLine(), where);
      ChunkRow chunk = out.chunks().stream()
          .filter(c -> c.getChunkUid().equals(s.getChunkUid())).findFirst().orElseThrow();
      assertTrue(chunk.getStartByte() <= s.getStartByte() && s.getStartByte() < chunk.getEndByte(), where);
      if (previous != null) {
        assertTrue(SymbolExtractor.ORDER.compare(symbol(previous), symbol(s)) < 0, where + ": unsorted or duplicate");
      }
      previous = s;
    }
  }

  static void assertDiagnostics(ConsumerOutput out, SegmentContext ctx) {
    long previous = Long.MIN_VALUE;
    for (DiagnosticRow d : out.diagnostics()) {
      assertTrue(d.getStartByte() >= previous, "diagnostics sorted by start byte");
      previous = d.getStartByte();
      assertTrue(Set.of("syntax_error", "missing_node").contains(d.getCode()), d.getCode());
      assertEquals("error", d.getSeverity());
      assertTrue(d.getSnippet().codePoints().count() <= SyntaxDiagnostics.SNIPPET_CHARS, d.getSnippet());
      assertFalse(d.getSnippet().contains("\n"), d.getSnippet());
      int local = (int) (d.getStartByte() - ctx.baseByte());
      assertEquals(ctx.baseRow() + 1 + newlines(ctx.content(), 0, local), d.getStartLine());
    }
    assertTrue(out.errorCount() >= out.diagnostics().size(), "every diagnostic is counted");
  }

  private static SymbolExtractor.Symbol symbol(SymbolRow s) {
    return new SymbolExtractor.Symbol((int) s.getStartByte(), (int) s.getEndByte(), s.getRole(), s.getKind(),
        s.getName());
  }

  private static int compare(TokenBucket a, TokenBucket b) {
    int c = Integer.compare(a.getStart(), b.getStart());
    if (c == 0) {
      c = Integer.compare(a.getEnd(), b.getEnd());
    }
    return c != 0 ? c : a.getKind().compareTo(b.getKind());
  }

  /** The segment's leaves as [start, end) pairs, from jtreesitter's public API (the oracle). */
  static List<int[]> leaves(Language language, byte[] content) {
    List<int[]> out = new ArrayList<>();
    try (Parser parser = new Parser(language);
        Tree tree = parser.parse(new String(content, StandardCharsets.UTF_8)).orElseThrow();
        TreeCursor cursor = tree.walk()) {
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

  static int newlines(byte[] content, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (content[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  static boolean blank(byte[] content, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
        return false;
      }
    }
    return true;
  }
}
