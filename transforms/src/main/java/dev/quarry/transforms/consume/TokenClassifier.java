package dev.quarry.transforms.consume;

import dev.quarry.schemas.TokenBucket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token kinds of a segment's leaves, and per-chunk token buckets. The rules (documented in
 * {@code docs/consumers.md}):
 *
 * <ul>
 *   <li>Tokens are the tree's leaves that are not empty and not all whitespace.
 *   <li>With a highlights query: every capture whose name maps to a kind ({@link TokenKinds#fromCapture}) is
 *       placed on its node; on one node the capture of the latest pattern wins (tree-sitter-highlight's
 *       precedence since 0.23, which the shipped queries are written for: generic {@code (identifier) @variable}
 *       first, specific patterns after it). A leaf takes the kind of the nearest captured node among itself and its ancestors, not
 *       looking past an interpolation (a node whose type says interpolation / substitution / embedded /
 *       expansion).
 *   <li>Otherwise, or where no capture applies: the nearest string or comment ancestor-or-self (again stopping
 *       at interpolations) makes it {@code string} / {@code comment}; else its node type decides
 *       ({@link TokenKinds#fromLeafType}).
 *   <li>Buckets are chunk-local {@code [start, end)} ranges. Tokens of the same kind that touch (no byte between
 *       them) are merged into one range; {@code string} and {@code comment} tokens are also merged across
 *       whitespace (a string's inner spaces or a block of line comments becomes one range). Ranges are disjoint, so they come out sorted by (start, end, kind).
 *       A token is clipped to its chunk; chunks end on node boundaries, so that only happens to malformed trees.
 * </ul>
 */
public final class TokenClassifier {
  public static final String VERSION = "tokens-1";

  private final GrammarProfile profile;
  /** Token kind per capture id of the consumers' query; empty without a highlights query. */
  private final byte[] captureKind;

  private FlatTree tree;
  private byte[] content;
  private byte[] captured = new byte[0];
  private int[] capturedPattern = new int[0];
  private byte[] highlightKind = new byte[0];
  private byte[] lexicalKind = new byte[0];

  private int tokenCount;
  private int[] tokenStart = new int[256];
  private int[] tokenEnd = new int[256];
  private byte[] tokenKind = new byte[256];
  private int cursor;

  /**
   * @param captureNames capture names of the query whose highlights patterns will be passed to {@link #place}
   *     (empty when the grammar has no highlights query)
   */
  TokenClassifier(GrammarProfile profile, List<String> captureNames) {
    this.profile = profile;
    captureKind = new byte[captureNames.size()];
    for (int i = 0; i < captureNames.size(); i++) {
      captureKind[i] = TokenKinds.fromCapture(captureNames.get(i));
    }
  }

  /** Starts a segment: forgets the previous segment's captures. Then {@link #place}, then {@link #classify}. */
  void begin(FlatTree tree) {
    this.tree = tree;
    int n = tree.size;
    if (captured.length < n) {
      int capacity = Math.max(n, captured.length * 2);
      captured = new byte[capacity];
      capturedPattern = new int[capacity];
      highlightKind = new byte[capacity];
      lexicalKind = new byte[capacity];
    } else {
      Arrays.fill(captured, 0, n, TokenKinds.NONE);
    }
  }

  /** Classifies every leaf of the tree given to {@link #begin}, using the captures placed since. */
  void classify(byte[] content) {
    this.content = content;
    int n = tree.size;
    tokenCount = 0;
    cursor = 0;
    for (int i = 0; i < n; i++) {
      int p = tree.parent[i];
      int slot = tree.slot[i];
      byte container = profile.containerKind[slot];
      byte h;
      byte lexical;
      if (container == TokenKinds.RESET) {
        h = captured[i];
        lexical = TokenKinds.NONE;
      } else {
        h = captured[i] != TokenKinds.NONE ? captured[i] : p >= 0 ? highlightKind[p] : TokenKinds.NONE;
        lexical = container != TokenKinds.NONE ? container : p >= 0 ? lexicalKind[p] : TokenKinds.NONE;
      }
      highlightKind[i] = h;
      lexicalKind[i] = lexical;
      if (tree.isLeaf(i) && !blank(content, tree.start[i], tree.end[i])) {
        byte kind = h != TokenKinds.NONE ? h : lexical != TokenKinds.NONE ? lexical : profile.leafKind[slot];
        addToken(tree.start[i], tree.end[i], kind);
      }
    }
  }

  /** A highlights match ({@link CompiledQuery.MatchSink}). */
  void place(int pattern, int count, int[] ids, int[] starts, int[] ends, short[] symbols) {
    for (int k = 0; k < count; k++) {
      byte kind = captureKind[ids[k]];
      if (kind == TokenKinds.NONE || ends[k] <= starts[k]) {
        continue;
      }
      int node = tree.find(starts[k], ends[k], profile.slot(symbols[k]));
      if (node >= 0 && (captured[node] == TokenKinds.NONE || pattern >= capturedPattern[node])) {
        captured[node] = kind;
        capturedPattern[node] = pattern;
      }
    }
  }

  private static boolean blank(byte[] content, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x0B) {
        return false;
      }
    }
    return true;
  }

  private void addToken(int from, int to, byte kind) {
    if (tokenCount == tokenStart.length) {
      int n = tokenCount * 2;
      tokenStart = Arrays.copyOf(tokenStart, n);
      tokenEnd = Arrays.copyOf(tokenEnd, n);
      tokenKind = Arrays.copyOf(tokenKind, n);
    }
    tokenStart[tokenCount] = from;
    tokenEnd[tokenCount] = to;
    tokenKind[tokenCount] = kind;
    tokenCount++;
  }

  /**
   * Buckets of the chunk {@code [from, to)} (segment-local), in chunk-local offsets. Chunks must be asked for in
   * increasing order after each {@link #classify}.
   */
  List<TokenBucket> buckets(int from, int to) {
    List<TokenBucket> out = new ArrayList<>();
    while (cursor < tokenCount && tokenEnd[cursor] <= from) {
      cursor++;
    }
    int runStart = -1;
    int runEnd = -1;
    byte runKind = TokenKinds.NONE;
    int i = cursor;
    for (; i < tokenCount && tokenStart[i] < to; i++) {
      int s = Math.max(tokenStart[i], from);
      int e = Math.min(tokenEnd[i], to);
      byte kind = tokenKind[i];
      if (runStart >= 0 && kind == runKind && (s == runEnd || spansLiteral(kind) && blankGap(runEnd, s))) {
        runEnd = e;
        continue;
      }
      if (runStart >= 0) {
        out.add(new TokenBucket(runStart - from, runEnd - from, TokenKinds.name(runKind)));
      }
      runStart = s;
      runEnd = e;
      runKind = kind;
    }
    if (runStart >= 0) {
      out.add(new TokenBucket(runStart - from, runEnd - from, TokenKinds.name(runKind)));
    }
    while (cursor < tokenCount && tokenEnd[cursor] <= to) {
      cursor++;
    }
    return out;
  }

  private static boolean spansLiteral(byte kind) {
    return kind == TokenKinds.STRING || kind == TokenKinds.COMMENT;
  }

  private boolean blankGap(int from, int to) {
    return blank(content, from, to);
  }

  /** Number of tokens found by the last {@link #classify} (for tests). */
  int tokenCount() {
    return tokenCount;
  }
}
