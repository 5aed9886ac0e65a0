package dev.quarry.transforms.consume;

import io.github.treesitter.jtreesitter.Node;
import io.github.treesitter.jtreesitter.Query;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.internal.TSNode;
import io.github.treesitter.jtreesitter.internal.TSQueryCapture;
import io.github.treesitter.jtreesitter.internal.TSQueryMatch;
import io.github.treesitter.jtreesitter.internal.TSQueryPredicateStep;
import io.github.treesitter.jtreesitter.internal.TreeSitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The consumers' only door to tree-sitter's C API, through jtreesitter's generated bindings.
 *
 * <p>Why not jtreesitter's public classes: every {@link Node} they hand out creates an automatic {@link Arena}
 * (a Cleaner registration), and every query capture becomes a {@code Node}. On the JDK sources that made a walk
 * that reads symbol and byte range 2-4x slower than the bare cursor loop and put GC pressure on the executor.
 * Here a walk writes each current node into one reused 32-byte segment, and query matches are read straight
 * from {@code TSQueryMatch}. Public jtreesitter objects are still used where they are cheap and once per grammar
 * ({@code Language} tables, {@link Query} compilation and its error messages).
 *
 * <p>Two private fields are read reflectively: the {@code TSNode} behind {@link Tree#getRootNode()} and the
 * {@code TSQuery} behind a {@link Query}. Both are checked when this class initialises, so a jtreesitter upgrade
 * that moves them fails at start-up with a message, not with wrong rows. jtreesitter is pinned in the parent
 * pom; {@code TsNativeTest} compares everything read here with the public API.
 *
 * <p>Also note that jtreesitter applies {@code #eq?}/{@code #match?} only to trees parsed from a {@code String};
 * trees parsed through a read callback (as the executor does, for its time budget) have no text and every
 * text predicate silently passes. {@link CompiledQuery} therefore evaluates text predicates itself, on the
 * segment bytes, for every tree.
 */
final class TsNative {
  static final long NODE_BYTES = TSNode.layout().byteSize();
  static final long CAPTURE_BYTES = TSQueryCapture.layout().byteSize();
  static final long CAPTURE_INDEX_OFFSET = TSQueryCapture.index$offset();
  static final long MATCH_BYTES = TSQueryMatch.layout().byteSize();
  static final long STEP_BYTES = TSQueryPredicateStep.layout().byteSize();
  static final int STEP_DONE = TreeSitter.TSQueryPredicateStepTypeDone();
  static final int STEP_CAPTURE = TreeSitter.TSQueryPredicateStepTypeCapture();
  static final int STEP_STRING = TreeSitter.TSQueryPredicateStepTypeString();

  /** tree-sitter's {@code ts_builtin_sym_error}, as the signed short jtreesitter returns. */
  static final short ERROR_SYMBOL = (short) 0xFFFF;

  private static final VarHandle NODE_SELF;
  private static final VarHandle QUERY_SELF;

  static {
    try {
      NODE_SELF = MethodHandles.privateLookupIn(Node.class, MethodHandles.lookup())
          .findVarHandle(Node.class, "self", MemorySegment.class);
      QUERY_SELF = MethodHandles.privateLookupIn(Query.class, MethodHandles.lookup())
          .findVarHandle(Query.class, "self", MemorySegment.class);
    } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
      throw new ExceptionInInitializerError(new IllegalStateException(
          "dev.quarry.transforms.consume reads jtreesitter's Node.self and Query.self (see TsNative); this"
              + " jtreesitter build does not have them or does not allow access (is it on the module path?)."
              + " Use the jtreesitter version pinned in the parent pom.", e));
    }
    if (NODE_BYTES != 32 || CAPTURE_BYTES < NODE_BYTES + 4) {
      throw new ExceptionInInitializerError(new IllegalStateException(
          "unexpected tree-sitter struct layout: TSNode=" + NODE_BYTES + " bytes (expected 32), TSQueryCapture="
              + CAPTURE_BYTES + " bytes; use the jtreesitter version pinned in the parent pom"));
    }
  }

  private TsNative() {}

  /** The tree's root {@code TSNode}; valid while the tree is open. */
  static MemorySegment rootNode(Tree tree) {
    return (MemorySegment) NODE_SELF.get(tree.getRootNode());
  }

  static MemorySegment querySegment(Query query) {
    return (MemorySegment) QUERY_SELF.get(query);
  }

  // ---- nodes (a TSNode segment) ----

  static short symbol(MemorySegment node) {
    return TreeSitter.ts_node_symbol(node);
  }

  /** {@code ts_node_start_byte} without a downcall: tree-sitter keeps the start byte in {@code context[0]}. */
  static int startByte(MemorySegment node) {
    return TSNode.context(node, 0);
  }

  static int endByte(MemorySegment node) {
    return TreeSitter.ts_node_end_byte(node);
  }

  static boolean isMissing(MemorySegment node) {
    return TreeSitter.ts_node_is_missing(node);
  }

  static boolean hasError(MemorySegment node) {
    return TreeSitter.ts_node_has_error(node);
  }

  // ---- tree cursors (a TSTreeCursor segment) ----

  static MemorySegment cursorNew(Arena arena, MemorySegment node) {
    return TreeSitter.ts_tree_cursor_new(arena, node);
  }

  static void cursorDelete(MemorySegment cursor) {
    TreeSitter.ts_tree_cursor_delete(cursor);
  }

  /** Writes the cursor's current node into the segment that {@code into} recycles. */
  static void cursorCurrentNode(SegmentAllocator into, MemorySegment cursor) {
    TreeSitter.ts_tree_cursor_current_node(into, cursor);
  }

  static boolean gotoFirstChild(MemorySegment cursor) {
    return TreeSitter.ts_tree_cursor_goto_first_child(cursor);
  }

  static boolean gotoNextSibling(MemorySegment cursor) {
    return TreeSitter.ts_tree_cursor_goto_next_sibling(cursor);
  }

  static boolean gotoParent(MemorySegment cursor) {
    return TreeSitter.ts_tree_cursor_goto_parent(cursor);
  }

  static short currentFieldId(MemorySegment cursor) {
    return TreeSitter.ts_tree_cursor_current_field_id(cursor);
  }

  // ---- queries ----

  static MemorySegment queryCursorNew() {
    return TreeSitter.ts_query_cursor_new();
  }

  static void queryCursorDelete(MemorySegment queryCursor) {
    TreeSitter.ts_query_cursor_delete(queryCursor);
  }

  static void queryCursorSetMaxStartDepth(MemorySegment queryCursor, int depth) {
    TreeSitter.ts_query_cursor_set_max_start_depth(queryCursor, depth);
  }

  static void queryCursorExec(MemorySegment queryCursor, MemorySegment query, MemorySegment node) {
    TreeSitter.ts_query_cursor_exec(queryCursor, query, node);
  }

  static boolean queryCursorNextMatch(MemorySegment queryCursor, MemorySegment match) {
    return TreeSitter.ts_query_cursor_next_match(queryCursor, match);
  }

  static int matchPatternIndex(MemorySegment match) {
    return Short.toUnsignedInt(TSQueryMatch.pattern_index(match));
  }

  static int matchCaptureCount(MemorySegment match) {
    return Short.toUnsignedInt(TSQueryMatch.capture_count(match));
  }

  /** The match's {@code TSQueryCapture} array, sized to {@code count} captures. */
  @SuppressWarnings("restricted")
  static MemorySegment matchCaptures(MemorySegment match, int count) {
    return TSQueryMatch.captures(match).reinterpret(count * CAPTURE_BYTES);
  }

  static int captureIndex(MemorySegment captures, int i) {
    return captures.get(ValueLayout.JAVA_INT, i * CAPTURE_BYTES + CAPTURE_INDEX_OFFSET);
  }

  static MemorySegment captureNode(MemorySegment captures, int i) {
    return captures.asSlice(i * CAPTURE_BYTES, NODE_BYTES);
  }

  /** The predicate steps of one pattern: pairs of (type, value id), as tree-sitter stores them. */
  @SuppressWarnings("restricted")
  static int[] predicateSteps(MemorySegment query, int pattern) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
      MemorySegment steps = TreeSitter.ts_query_predicates_for_pattern(query, pattern, count);
      int n = count.get(ValueLayout.JAVA_INT, 0);
      if (n == 0) {
        return new int[0];
      }
      steps = steps.reinterpret(n * STEP_BYTES);
      int[] out = new int[n * 2];
      for (int i = 0; i < n; i++) {
        MemorySegment step = TSQueryPredicateStep.asSlice(steps, i);
        out[2 * i] = TSQueryPredicateStep.type(step);
        out[2 * i + 1] = TSQueryPredicateStep.value_id(step);
      }
      return out;
    }
  }
}
