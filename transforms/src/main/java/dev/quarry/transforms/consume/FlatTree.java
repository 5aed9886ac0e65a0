package dev.quarry.transforms.consume;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.Arrays;

/**
 * A segment's syntax tree flattened by one cursor walk into parallel arrays, in pre-order (node {@code i}'s
 * index is tree-sitter's descendant index). Every consumer works on these arrays, so each tree is crossed over
 * the native boundary exactly once per node, and nothing here recurses: nesting depth only costs heap.
 *
 * <p>Children of {@code i} are {@code i + 1, next[i + 1], next[next[i + 1]], ...} while below {@code next[i]}.
 * Start bytes are non-decreasing in pre-order. The arrays are reused (and only grow) across segments.
 */
final class FlatTree {
  static final byte LEAF = 1;
  static final byte ERROR = 2;
  static final byte MISSING = 4;

  int size;
  int[] slot = new int[0];
  int[] start = new int[0];
  int[] end = new int[0];
  int[] parent = new int[0];
  /** Index just past the node's subtree. */
  int[] next = new int[0];
  /** Field id of the node in its parent, recorded only where {@link GrammarProfile#recordChildFields} asks. */
  short[] field = new short[0];
  byte[] flags = new byte[0];

  long errorCount;
  /** Outermost ERROR nodes and MISSING nodes outside ERROR subtrees, in pre-order. */
  int[] problems = new int[16];
  int problemCount;

  private int[] open = new int[64];

  /** Walks the whole tree below {@code root} (a TSNode segment). */
  void build(GrammarProfile profile, MemorySegment root) {
    size = 0;
    errorCount = 0;
    problemCount = 0;
    boolean checkMissing = TsNative.hasError(root);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment node = arena.allocate(TsNative.NODE_BYTES, 8);
      SegmentAllocator intoNode = SegmentAllocator.prefixAllocator(node);
      MemorySegment cursor = TsNative.cursorNew(arena, root);
      try {
        walk(profile, cursor, node, intoNode, checkMissing);
      } finally {
        TsNative.cursorDelete(cursor);
      }
    }
  }

  private void walk(
      GrammarProfile profile, MemorySegment cursor, MemorySegment node, SegmentAllocator intoNode,
      boolean checkMissing) {
    int depth = 0;
    int errorDepth = 0;
    while (true) {
      TsNative.cursorCurrentNode(intoNode, cursor);
      int i = size;
      if (i == slot.length) {
        grow();
      }
      size++;
      int s = profile.slot(TsNative.symbol(node));
      int from = TsNative.startByte(node);
      int to = TsNative.endByte(node);
      int up = depth > 0 ? open[depth - 1] : -1;
      slot[i] = s;
      start[i] = from;
      end[i] = to;
      parent[i] = up;
      field[i] = up >= 0 && profile.recordChildFields[slot[up]] ? TsNative.currentFieldId(cursor) : 0;
      boolean error = s == profile.errorSlot;
      byte f = 0;
      if (error) {
        f |= ERROR;
        errorCount++;
        if (errorDepth == 0) {
          addProblem(i);
        }
      }
      if (TsNative.gotoFirstChild(cursor)) {
        flags[i] = f;
        if (depth == open.length) {
          open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = i;
        if (error) {
          errorDepth++;
        }
        continue;
      }
      f |= LEAF;
      next[i] = i + 1;
      if (checkMissing && from == to && !error && TsNative.isMissing(node)) {
        f |= MISSING;
        errorCount++;
        if (errorDepth == 0) {
          addProblem(i);
        }
      }
      flags[i] = f;
      while (!TsNative.gotoNextSibling(cursor)) {
        if (!TsNative.gotoParent(cursor)) {
          return;
        }
        int closed = open[--depth];
        next[closed] = size;
        if (slot[closed] == profile.errorSlot) {
          errorDepth--;
        }
      }
    }
  }

  private void addProblem(int i) {
    if (problemCount == problems.length) {
      problems = Arrays.copyOf(problems, problemCount * 2);
    }
    problems[problemCount++] = i;
  }

  private void grow() {
    int capacity = Math.max(1024, slot.length * 2);
    slot = Arrays.copyOf(slot, capacity);
    start = Arrays.copyOf(start, capacity);
    end = Arrays.copyOf(end, capacity);
    parent = Arrays.copyOf(parent, capacity);
    next = Arrays.copyOf(next, capacity);
    field = Arrays.copyOf(field, capacity);
    flags = Arrays.copyOf(flags, capacity);
  }

  boolean isLeaf(int i) {
    return (flags[i] & LEAF) != 0;
  }

  /** First child of {@code i}, or -1. */
  int firstChild(int i) {
    return next[i] > i + 1 ? i + 1 : -1;
  }

  /** Next sibling of {@code c}, or -1. */
  int nextSibling(int c) {
    int p = parent[c];
    return p >= 0 && next[c] < next[p] ? next[c] : -1;
  }

  /** First child of {@code i} in field {@code fieldId}, or -1 (needs the field recorded for {@code i}'s type). */
  int childByField(int i, short fieldId) {
    if (fieldId == 0) {
      return -1;
    }
    for (int c = firstChild(i); c >= 0; c = nextSibling(c)) {
      if (field[c] == fieldId) {
        return c;
      }
    }
    return -1;
  }

  /** Lowest common ancestor of {@code a <= b} (pre-order indices). */
  int commonAncestor(int a, int b) {
    int x = a;
    while (next[x] <= b) {
      x = parent[x];
    }
    return x;
  }

  /** The node with exactly this range and symbol slot, or -1; used to place query captures. */
  int find(int from, int to, int symbolSlot) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (start[mid] < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < size && start[i] == from; i++) {
      if (end[i] == to && slot[i] == symbolSlot) {
        return i;
      }
    }
    return -1;
  }
}
