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
 *   <li>Highlights captures whose name maps to a kind ({@link TokenKinds#fromCapture}) are placed on their node.
 *       On one node a specific pattern beats a generic one ({@link CompiledQuery#isGeneric}), and among equals
 *       the latest pattern wins (tree-sitter-highlight's rule since 0.23). The shipped queries disagree on order:
 *       Java, JavaScript, Python and C put {@code (identifier) @variable} first and expect later patterns to
 *       override it, Go puts it last and expects earlier ones to win; ranking generic patterns below specific
 *       ones serves both.
 *   <li>A leaf's kind is the first that applies: (1) {@code other} for an ERROR leaf; (2) {@code number},
 *       {@code string} or {@code comment} when its own node type says so; (3) {@code string} / {@code comment}
 *       when it lies inside a string or comment node (not looking past an interpolation: a node whose type says
 *       interpolation / substitution / embedded / expansion); (4) the capture placed on the leaf itself;
 *       (5) for a named leaf, the capture of its nearest captured ancestor (again not past an interpolation);
 *       (6) its node type ({@link TokenKinds#fromLeafType}). Lexical literals thus win over captures (Rust
 *       captures numbers as {@code @constant.builtin}), and punctuation inside a captured node stays
 *       punctuation (the {@code @} of a Python decorator is not a function).
 *   <li>Buckets are chunk-local {@code [start, end)} ranges. Tokens of the same kind that touch (no byte between
 *       them) are merged into one range; tokens of the same kind inside one string or comment node are also
 *       merged across whitespace (the quotes of {@code "  "} and the spaces between them become one range).
 *       Ranges are disjoint, so they come out sorted by (start, end, kind). A token is clipped to its chunk;
 *       chunks end on node boundaries, so that only happens to malformed trees.
 * </ul>
 */
public final class TokenClassifier {
  public static final String VERSION = "tokens-1";

  private final GrammarProfile profile;
  private final CompiledQuery query;
  /** Token kind per capture id of the consumers' query; empty without a highlights query. */
  private final byte[] captureKind;

  private FlatTree tree;
  private byte[] content;
  private byte[] captured = new byte[0];
  private int[] capturedPattern = new int[0];
  private boolean[] capturedGeneric = new boolean[0];
  /** Kind and pattern of the generic highlights capture of each symbol slot (NONE without one). */
  private final byte[] typeKind;
  private final int[] typePattern;
  /** Per symbol slot, the one-node highlights patterns with text predicates that apply to it. */
  private final OneNodePattern[][] typePredicated;
  private int[] scratchStarts = new int[4];
  private int[] scratchEnds = new int[4];
  private byte[] highlightKind = new byte[0];
  private byte[] lexicalKind = new byte[0];
  /** Nearest string or comment node that is the node or contains it, or -1. */
  private int[] lexicalOwner = new int[0];

  private int tokenCount;
  private int[] tokenStart = new int[256];
  private int[] tokenEnd = new int[256];
  private byte[] tokenKind = new byte[256];
  /** The string or comment node a token is part of, or -1: whitespace merges happen only inside one. */
  private int[] tokenGroup = new int[256];
  private int cursor;

  /**
   * Moves the one-node highlights patterns out of the query. A pattern that looks at one node only
   * ({@link CompiledQuery#parseShape}: {@code (identifier) @variable}, {@code ["if" "else"] @keyword},
   * {@code ((identifier) @constant (#match? @constant "^[A-Z]"))}) depends on nothing but the node's type and
   * text, so it is evaluated here per node, by a table lookup (and its predicates), and the query engine is
   * spared most of its matches: every identifier, keyword, bracket, string and comment. Patterns over the
   * wildcard or a supertype, which match by more than the type name, stay in the query. Same precedence as if
   * the query had reported them.
   *
   * @param query the query whose first {@code highlightsPatterns} patterns are the highlights query's, or null
   * @param inJava whether to move one-node patterns out of the query (false only to test that doing so changes
   *     nothing)
   */
  TokenClassifier(GrammarProfile profile, CompiledQuery query, int highlightsPatterns, boolean inJava) {
    this.profile = profile;
    this.query = query;
    List<String> names = query == null ? List.of() : query.captureNames();
    captureKind = new byte[names.size()];
    for (int i = 0; i < names.size(); i++) {
      captureKind[i] = TokenKinds.fromCapture(names.get(i));
    }
    int slots = profile.type.length;
    typeKind = new byte[slots];
    typePattern = new int[slots];
    List<List<OneNodePattern>> predicated = new ArrayList<>();
    for (int slot = 0; slot < slots; slot++) {
      predicated.add(new ArrayList<>());
    }
    for (int p = 0; inJava && p < highlightsPatterns; p++) {
      CompiledQuery.Shape shape = query.shape(p);
      if (shape == null || !byTypeAlone(shape)) {
        continue;
      }
      int[] ids = new int[shape.captures().size()];
      for (int k = 0; k < ids.length; k++) {
        ids[k] = names.indexOf(shape.captures().get(k));
      }
      for (int slot = 0; slot < slots; slot++) {
        if (!matchesType(shape, slot)) {
          continue;
        }
        if (shape.predicated()) {
          predicated.get(slot).add(new OneNodePattern(p, ids));
          continue;
        }
        for (int id : ids) {
          if (captureKind[id] != TokenKinds.NONE) {
            typeKind[slot] = captureKind[id];
            typePattern[slot] = p;
          }
        }
      }
      query.disablePattern(p);
    }
    typePredicated = new OneNodePattern[slots][];
    for (int slot = 0; slot < slots; slot++) {
      typePredicated[slot] = predicated.get(slot).toArray(new OneNodePattern[0]);
    }
  }

  /** A one-node pattern with text predicates, run per node of a matching type. */
  private record OneNodePattern(int pattern, int[] captureIds) {}

  private boolean byTypeAlone(CompiledQuery.Shape shape) {
    for (CompiledQuery.Item item : shape.items()) {
      if (item.named() && (item.type().equals("_") || profile.supertypes.contains(item.type()))) {
        return false;
      }
    }
    return true;
  }

  private boolean matchesType(CompiledQuery.Shape shape, int slot) {
    for (CompiledQuery.Item item : shape.items()) {
      if (profile.named[slot] == item.named() && profile.type[slot].equals(item.type())) {
        return true;
      }
    }
    return false;
  }

  /** Applies the one-node patterns moved out of the query to node {@code i}. */
  private void applyOneNodePatterns(int i, int slot, byte[] content) {
    for (OneNodePattern one : typePredicated[slot]) {
      int[] ids = one.captureIds();
      if (scratchStarts.length < ids.length) {
        scratchStarts = new int[ids.length];
        scratchEnds = new int[ids.length];
      }
      Arrays.fill(scratchStarts, 0, ids.length, tree.start[i]);
      Arrays.fill(scratchEnds, 0, ids.length, tree.end[i]);
      if (query.satisfies(one.pattern(), ids.length, ids, scratchStarts, scratchEnds, content)) {
        for (int id : ids) {
          if (captureKind[id] != TokenKinds.NONE && wins(i, one.pattern(), false)) {
            captured[i] = captureKind[id];
            capturedPattern[i] = one.pattern();
            capturedGeneric[i] = false;
          }
        }
      }
    }
    if (typeKind[slot] != TokenKinds.NONE && wins(i, typePattern[slot], true)) {
      captured[i] = typeKind[slot];
      capturedPattern[i] = typePattern[slot];
      capturedGeneric[i] = true;
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
      capturedGeneric = new boolean[capacity];
      highlightKind = new byte[capacity];
      lexicalKind = new byte[capacity];
      lexicalOwner = new int[capacity];
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
      applyOneNodePatterns(i, slot, content);
      byte container = profile.containerKind[slot];
      byte h;
      byte lexical;
      int owner;
      if (container == TokenKinds.RESET) {
        h = captured[i];
        lexical = TokenKinds.NONE;
        owner = -1;
      } else if (container != TokenKinds.NONE) {
        h = captured[i] != TokenKinds.NONE ? captured[i] : p >= 0 ? highlightKind[p] : TokenKinds.NONE;
        lexical = container;
        owner = i;
      } else {
        h = captured[i] != TokenKinds.NONE ? captured[i] : p >= 0 ? highlightKind[p] : TokenKinds.NONE;
        lexical = p >= 0 ? lexicalKind[p] : TokenKinds.NONE;
        owner = p >= 0 ? lexicalOwner[p] : -1;
      }
      highlightKind[i] = h;
      lexicalKind[i] = lexical;
      lexicalOwner[i] = owner;
      if (tree.isLeaf(i) && !blank(content, tree.start[i], tree.end[i])) {
        addToken(tree.start[i], tree.end[i], leafKind(i, slot, lexical, p), owner);
      }
    }
  }

  private byte leafKind(int i, int slot, byte lexical, int parent) {
    byte own = profile.leafKind[slot];
    if (slot == profile.errorSlot || own == TokenKinds.NUMBER || own == TokenKinds.STRING
        || own == TokenKinds.COMMENT) {
      return own;
    }
    if (lexical != TokenKinds.NONE) {
      return lexical;
    }
    if (captured[i] != TokenKinds.NONE) {
      return captured[i];
    }
    if (profile.named[slot] && parent >= 0 && profile.containerKind[slot] != TokenKinds.RESET
        && highlightKind[parent] != TokenKinds.NONE) {
      return highlightKind[parent];
    }
    return own;
  }

  /** A highlights match ({@link CompiledQuery.MatchSink}). */
  void place(int pattern, int count, int[] ids, int[] starts, int[] ends, short[] symbols) {
    for (int k = 0; k < count; k++) {
      byte kind = captureKind[ids[k]];
      if (kind == TokenKinds.NONE || ends[k] <= starts[k]) {
        continue;
      }
      int node = tree.find(starts[k], ends[k], profile.slot(symbols[k]));
      if (node < 0) {
        continue;
      }
      boolean generic = query.isGeneric(pattern);
      if (wins(node, pattern, generic)) {
        captured[node] = kind;
        capturedPattern[node] = pattern;
        capturedGeneric[node] = generic;
      }
    }
  }

  /** Whether a capture of this pattern beats the one already on the node (specific over generic, then later). */
  private boolean wins(int node, int pattern, boolean generic) {
    return captured[node] == TokenKinds.NONE
        || capturedGeneric[node] && !generic
        || capturedGeneric[node] == generic && pattern >= capturedPattern[node];
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

  private void addToken(int from, int to, byte kind, int group) {
    if (tokenCount == tokenStart.length) {
      int n = tokenCount * 2;
      tokenStart = Arrays.copyOf(tokenStart, n);
      tokenEnd = Arrays.copyOf(tokenEnd, n);
      tokenKind = Arrays.copyOf(tokenKind, n);
      tokenGroup = Arrays.copyOf(tokenGroup, n);
    }
    tokenStart[tokenCount] = from;
    tokenEnd[tokenCount] = to;
    tokenKind[tokenCount] = kind;
    tokenGroup[tokenCount] = group;
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
    int runGroup = -1;
    int i = cursor;
    for (; i < tokenCount && tokenStart[i] < to; i++) {
      int s = Math.max(tokenStart[i], from);
      int e = Math.min(tokenEnd[i], to);
      byte kind = tokenKind[i];
      int group = tokenGroup[i];
      boolean sameLiteral = group >= 0 && group == runGroup && blank(content, runEnd, s);
      if (runStart >= 0 && kind == runKind && (s == runEnd || sameLiteral)) {
        runEnd = e;
        continue;
      }
      if (runStart >= 0) {
        out.add(new TokenBucket(runStart - from, runEnd - from, TokenKinds.name(runKind)));
      }
      runStart = s;
      runEnd = e;
      runKind = kind;
      runGroup = group;
    }
    if (runStart >= 0) {
      out.add(new TokenBucket(runStart - from, runEnd - from, TokenKinds.name(runKind)));
    }
    while (cursor < tokenCount && tokenEnd[cursor] <= to) {
      cursor++;
    }
    return out;
  }
}
