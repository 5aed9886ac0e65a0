package dev.quarry.transforms.consume;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Syntax-aligned chunks that tile a segment exactly. The algorithm (documented in {@code docs/consumers.md}):
 *
 * <ol>
 *   <li><b>Extended ranges.</b> The root owns the whole segment {@code [0, length)}. A node's extended range is
 *       split among its children at the gap between neighbours: just after the last newline of the gap, or at
 *       the next child's start when the gap has no newline. So a chunk starts at the beginning of the line of
 *       its first token and whitespace is never lost.
 *   <li><b>Units.</b> Starting at the root, a node whose extended range fits {@code maxChunkBytes}, or that has
 *       no children, is a unit; a larger node is replaced by its children (explicit stack, no recursion).
 *   <li><b>Doc comments.</b> A run of comment and attribute units ({@code #[derive]}, C# attributes) directly
 *       above a definition (at most one newline between) is glued to it when the whole fits
 *       {@code maxChunkBytes}.
 *   <li><b>Merging.</b> Units are merged left to right. A chunk is closed before the next unit when the unit
 *       would not fit; when the unit is a definition and the chunk already has {@code minChunkBytes}; or when the
 *       chunk holds a definition, has {@code minChunkBytes}, and the unit has {@code minChunkBytes} too.
 * </ol>
 *
 * <p>Kind and name: each unit's bytes are attributed to the definition the unit is, or else the nearest one it
 * lies in (so a piece of a split function is still that function). The definition with most bytes (ties: the
 * first) names the chunk if it has at least half of the chunk's bytes; else the nearest definition enclosing the
 * whole chunk does; else the chunk is {@code comment} if it is only comments, {@code code} if its units are the
 * segment's top level, {@code block} otherwise.
 */
public final class Chunker {
  public static final String VERSION = "chunks-1";

  public static final String CODE = "code";
  public static final String BLOCK = "block";
  public static final String COMMENT = "comment";

  /** A chunk in segment-local bytes. */
  record Chunk(int start, int end, String kind, String name) {}

  private final GrammarProfile profile;
  private final ChunkingConfig config;

  private int[] unitNode = new int[64];
  private int[] unitStart = new int[64];
  private int[] unitEnd = new int[64];
  /** The unit whose definition a unit belongs to: itself, or the definition a leading comment is glued to. */
  private int[] unitOwner = new int[64];
  private int unitCount;
  private int[] stack = new int[192];
  private int[] kids = new int[64];

  Chunker(GrammarProfile profile, ChunkingConfig config) {
    this.profile = profile;
    this.config = config;
  }

  List<Chunk> chunk(FlatTree tree, Definitions defs, byte[] content) {
    if (content.length == 0 || tree.size == 0) {
      return List.of();
    }
    split(tree, content);
    return merge(tree, defs, content);
  }

  // ---- 1 + 2: extended ranges and units ----

  private void split(FlatTree tree, byte[] content) {
    int max = config.maxChunkBytes();
    unitCount = 0;
    int top = 0;
    top = push(top, 0, 0, content.length);
    while (top > 0) {
      top -= 3;
      int node = stack[top];
      int from = stack[top + 1];
      int to = stack[top + 2];
      if (to - from <= max || tree.isLeaf(node)) {
        addUnit(node, from, to);
        continue;
      }
      int k = 0;
      for (int c = tree.firstChild(node); c >= 0; c = tree.nextSibling(c)) {
        if (k == kids.length) {
          kids = Arrays.copyOf(kids, k * 2);
        }
        kids[k++] = c;
      }
      // Boundaries between children, right to left, so the first child ends up on top of the stack.
      int right = to;
      for (int j = k - 1; j >= 0; j--) {
        int left = j == 0 ? from : boundary(content, tree.end[kids[j - 1]], tree.start[kids[j]], from, right);
        top = push(top, kids[j], left, right);
        right = left;
      }
    }
  }

  /** Where the gap {@code [gapFrom, gapTo)} is cut: after its last newline, else at {@code gapTo}; clamped. */
  private static int boundary(byte[] content, int gapFrom, int gapTo, int lo, int hi) {
    int a = Math.max(gapFrom, lo);
    int b = Math.min(Math.max(gapTo, a), hi);
    for (int i = b - 1; i >= a; i--) {
      if (content[i] == '\n') {
        return i + 1;
      }
    }
    return b;
  }

  private int push(int top, int node, int from, int to) {
    if (top + 3 > stack.length) {
      stack = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[top] = node;
    stack[top + 1] = from;
    stack[top + 2] = to;
    return top + 3;
  }

  private void addUnit(int node, int from, int to) {
    if (to <= from) {
      return;
    }
    if (unitCount == unitNode.length) {
      int n = unitCount * 2;
      unitNode = Arrays.copyOf(unitNode, n);
      unitStart = Arrays.copyOf(unitStart, n);
      unitEnd = Arrays.copyOf(unitEnd, n);
      unitOwner = Arrays.copyOf(unitOwner, n);
    }
    unitNode[unitCount] = node;
    unitStart[unitCount] = from;
    unitEnd[unitCount] = to;
    unitOwner[unitCount] = unitCount;
    unitCount++;
  }

  // ---- 3 + 4: glue doc comments, merge ----

  private List<Chunk> merge(FlatTree tree, Definitions defs, byte[] content) {
    int max = config.maxChunkBytes();
    int min = config.minChunkBytes();
    List<Chunk> chunks = new ArrayList<>();
    int chunkFirst = -1;
    int chunkSize = 0;
    boolean chunkHasDefinition = false;
    int u = 0;
    while (u < unitCount) {
      int last = glue(tree, defs, content, u, max);
      for (int g = u; g < last; g++) {
        unitOwner[g] = last;
      }
      int size = unitEnd[last] - unitStart[u];
      boolean definition = defs.effective(unitNode[last]) >= 0;
      if (chunkFirst >= 0) {
        boolean close =
            chunkSize + size > max
                || definition && chunkSize >= min
                || chunkHasDefinition && chunkSize >= min && size >= min;
        if (close) {
          chunks.add(describe(tree, defs, chunkFirst, u - 1));
          chunkFirst = -1;
        }
      }
      if (chunkFirst < 0) {
        chunkFirst = u;
        chunkSize = 0;
        chunkHasDefinition = false;
      }
      chunkSize += size;
      chunkHasDefinition |= definition;
      u = last + 1;
    }
    chunks.add(describe(tree, defs, chunkFirst, unitCount - 1));
    return chunks;
  }

  /**
   * If unit {@code u} starts a run of comments and attributes directly above a definition that fits {@code max}
   * together, the index of that definition unit; else {@code u}.
   */
  private int glue(FlatTree tree, Definitions defs, byte[] content, int u, int max) {
    int v = u;
    while (v < unitCount && profile.leading[tree.slot[unitNode[v]]]) {
      if (v + 1 >= unitCount
          || unitEnd[v + 1] - unitStart[u] > max
          || newlines(content, tree.end[unitNode[v]], tree.start[unitNode[v + 1]]) > 1) {
        return u;
      }
      v++;
    }
    return v > u && v < unitCount && defs.effective(unitNode[v]) >= 0 ? v : u;
  }

  private boolean isComment(FlatTree tree, int unit) {
    return profile.comment[tree.slot[unitNode[unit]]];
  }

  private static int newlines(byte[] content, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (content[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  private Chunk describe(FlatTree tree, Definitions defs, int first, int last) {
    // Attribute each unit's bytes to the definition it is (complete) or lies in; the best-covered one names the
    // chunk. Few units per chunk, so a quadratic scan is cheap.
    int best = -1;
    long bestBytes = 0;
    boolean allComments = true;
    for (int u = first; u <= last; u++) {
      int d = attributed(defs, u);
      allComments &= isComment(tree, u);
      if (d < 0 || d == best) {
        continue;
      }
      long bytes = 0;
      for (int v = u; v <= last; v++) {
        if (attributed(defs, v) == d) {
          bytes += unitEnd[v] - unitStart[v];
        }
      }
      if (bytes > bestBytes) {
        best = d;
        bestBytes = bytes;
      }
    }
    int from = unitStart[first];
    int to = unitEnd[last];
    if (best >= 0 && 2 * bestBytes >= to - from) {
      return new Chunk(from, to, defs.kind(best), defs.name(best));
    }
    int common = tree.commonAncestor(unitNode[first], unitNode[last]);
    int enclosing = defs.enclosing(common);
    if (enclosing >= 0) {
      return new Chunk(from, to, defs.kind(enclosing), defs.name(enclosing));
    }
    if (allComments) {
      return new Chunk(from, to, COMMENT, null);
    }
    return new Chunk(from, to, common == 0 ? CODE : BLOCK, null);
  }

  private int attributed(Definitions defs, int unit) {
    int node = unitNode[unitOwner[unit]];
    int d = defs.effective(node);
    return d >= 0 ? d : defs.enclosing(node);
  }
}
