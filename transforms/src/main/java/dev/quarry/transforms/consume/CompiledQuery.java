package dev.quarry.transforms.consume;

import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Query;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tree-sitter query compiled once per grammar, run over whole trees with its text predicates evaluated on the
 * segment bytes.
 *
 * <p>Text predicates follow tree-sitter's reference (Rust) semantics: {@code #eq?}, {@code #not-eq?},
 * {@code #match?}, {@code #not-match?} hold for every node of their capture (vacuously when the capture is
 * empty); the {@code #any-} forms need one node (or none captured); {@code #any-of?} / {@code #not-any-of?}
 * test every node. Directives and property predicates ({@code #set!}, {@code #strip!},
 * {@code #select-adjacent!}, {@code #is?}, {@code #offset!}, ...) do not filter matches and are ignored.
 *
 * <p>Not thread-safe: one instance per {@link SegmentConsumers}.
 */
final class CompiledQuery implements AutoCloseable {

  /**
   * Patterns start no deeper than this. tree-sitter's query cursor keeps a match's start depth in 16 bits: past
   * 65,535 levels it loses matches and slows down quadratically (a 100,000-deep expression took a minute). Nodes
   * deeper than this get no query captures: their tokens take node-type kinds and they yield no tags symbols.
   */
  static final int MAX_START_DEPTH = 50_000;

  /** Receives each match that satisfies its pattern's predicates. Arrays are reused between calls. */
  interface MatchSink {
    void accept(int pattern, int captureCount, int[] captureIds, int[] starts, int[] ends, short[] symbols);
  }

  private final Query query;
  private final MemorySegment querySegment;
  private final Arena arena;
  private final MemorySegment cursor;
  private final MemorySegment match;
  private final List<String> captureNames;
  private final TextPredicate[][] predicates;
  private final boolean[] generic;

  private int[] captureIds = new int[16];
  private int[] starts = new int[16];
  private int[] ends = new int[16];
  private short[] symbols = new short[16];

  CompiledQuery(Language language, String source, String what) {
    try {
      this.query = new Query(language, source);
    } catch (RuntimeException e) { // QueryError included
      throw new IllegalStateException(what + " does not compile with jtreesitter: " + e.getMessage(), e);
    }
    this.querySegment = TsNative.querySegment(query);
    this.captureNames = List.copyOf(query.getCaptureNames());
    List<String> strings = query.getStringValues();
    int patterns = query.getPatternCount();
    this.predicates = new TextPredicate[patterns][];
    this.generic = new boolean[patterns];
    byte[] text = source.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < patterns; p++) {
      predicates[p] = parsePredicates(TsNative.predicateSteps(querySegment, p), strings, what, p);
      int from = Math.min(query.startByteForPattern(p), text.length);
      int to = Math.min(Math.max(query.endByteForPattern(p), from), text.length);
      generic[p] = isGeneric(new String(text, from, to - from, StandardCharsets.UTF_8));
    }
    this.arena = Arena.ofShared();
    this.cursor = TsNative.queryCursorNew();
    TsNative.queryCursorSetMaxStartDepth(cursor, MAX_START_DEPTH);
    this.match = arena.allocate(TsNative.MATCH_BYTES, 8);
  }

  List<String> captureNames() {
    return captureNames;
  }

  int patternCount() {
    return predicates.length;
  }

  /**
   * Whether a pattern is generic: one node or an alternation of nodes ({@code (identifier) @variable},
   * {@code ["if" "else"] @keyword}), with no parent, field, anchor, quantifier or predicate. A specific pattern's
   * capture is more informed than a generic one's, whatever their order in the file.
   */
  boolean isGeneric(int pattern) {
    return generic[pattern];
  }

  static boolean isGeneric(String pattern) {
    int i = 0;
    int n = pattern.length();
    int items = 0;
    int captures = 0;
    boolean inAlternation = false;
    boolean closedAlternation = false;
    while (i < n) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == ';') {
        while (i < n && pattern.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '@') {
        i++;
        while (i < n && isCaptureChar(pattern.charAt(i))) {
          i++;
        }
        captures++;
      } else if (captures > 0) {
        return false;
      } else if (c == '[' && items == 0 && !inAlternation) {
        inAlternation = true;
        i++;
      } else if (c == ']' && inAlternation && !closedAlternation && items > 0) {
        closedAlternation = true;
        i++;
      } else if (closedAlternation || (!inAlternation && items > 0)) {
        return false;
      } else if (c == '"') {
        i++;
        while (i < n && pattern.charAt(i) != '"') {
          i += pattern.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
        items++;
      } else if (c == '(') {
        int j = i + 1;
        while (j < n && Character.isWhitespace(pattern.charAt(j))) {
          j++;
        }
        int nameStart = j;
        while (j < n && (Character.isLetterOrDigit(pattern.charAt(j)) || pattern.charAt(j) == '_')) {
          j++;
        }
        if (j == nameStart) {
          return false;
        }
        while (j < n && Character.isWhitespace(pattern.charAt(j))) {
          j++;
        }
        if (j >= n || pattern.charAt(j) != ')') {
          return false;
        }
        i = j + 1;
        items++;
      } else {
        return false;
      }
    }
    return items > 0 && captures > 0 && inAlternation == closedAlternation;
  }

  private static boolean isCaptureChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
  }

  /** Runs the query over the subtree of {@code node}, whose text is {@code content}. */
  void run(MemorySegment node, byte[] content, MatchSink sink) {
    TsNative.queryCursorExec(cursor, querySegment, node);
    while (TsNative.queryCursorNextMatch(cursor, match)) {
      int pattern = TsNative.matchPatternIndex(match);
      int count = TsNative.matchCaptureCount(match);
      if (count > captureIds.length) {
        int size = Math.max(count, captureIds.length * 2);
        captureIds = Arrays.copyOf(captureIds, size);
        starts = Arrays.copyOf(starts, size);
        ends = Arrays.copyOf(ends, size);
        symbols = Arrays.copyOf(symbols, size);
      }
      if (count > 0) {
        MemorySegment captures = TsNative.matchCaptures(match, count);
        for (int i = 0; i < count; i++) {
          MemorySegment captured = TsNative.captureNode(captures, i);
          captureIds[i] = TsNative.captureIndex(captures, i);
          starts[i] = TsNative.startByte(captured);
          ends[i] = TsNative.endByte(captured);
          symbols[i] = TsNative.symbol(captured);
        }
      }
      if (satisfied(predicates[pattern], count, content)) {
        sink.accept(pattern, count, captureIds, starts, ends, symbols);
      }
    }
  }

  private boolean satisfied(TextPredicate[] list, int count, byte[] content) {
    for (TextPredicate predicate : list) {
      if (!predicate.test(count, captureIds, starts, ends, content)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    TsNative.queryCursorDelete(cursor);
    arena.close();
    query.close();
  }

  // ---- predicates ----

  private static TextPredicate[] parsePredicates(int[] steps, List<String> strings, String what, int pattern) {
    List<TextPredicate> out = new ArrayList<>();
    List<int[]> args = new ArrayList<>();
    for (int i = 0; i < steps.length; i += 2) {
      int type = steps[i];
      if (type == TsNative.STEP_DONE) {
        TextPredicate p = predicate(args, strings, what, pattern);
        if (p != null) {
          out.add(p);
        }
        args.clear();
      } else {
        args.add(new int[] {type, steps[i + 1]});
      }
    }
    return out.toArray(new TextPredicate[0]);
  }

  private static TextPredicate predicate(List<int[]> args, List<String> strings, String what, int pattern) {
    if (args.isEmpty() || args.get(0)[0] != TsNative.STEP_STRING) {
      return null;
    }
    String name = strings.get(args.get(0)[1]);
    boolean positive = !name.contains("not-");
    boolean any = name.startsWith("any-");
    String where = what + " pattern " + pattern + ": #" + name;
    switch (name) {
      case "eq?", "not-eq?", "any-eq?", "any-not-eq?" -> {
        int capture = captureArg(args, 1, where);
        int[] second = arg(args, 2, where);
        if (second[0] == TsNative.STEP_CAPTURE) {
          return new EqCapture(capture, second[1], positive, any);
        }
        return new EqString(capture, strings.get(second[1]).getBytes(StandardCharsets.UTF_8), positive, any);
      }
      case "match?", "not-match?", "any-match?", "any-not-match?" -> {
        int capture = captureArg(args, 1, where);
        int[] regex = arg(args, 2, where);
        if (regex[0] != TsNative.STEP_STRING) {
          throw new IllegalStateException(where + " needs a string literal as its second argument");
        }
        try {
          return new MatchString(capture, Pattern.compile(strings.get(regex[1])), positive, any);
        } catch (PatternSyntaxException e) {
          throw new IllegalStateException(where + ": regular expression does not compile in Java: " + e.getMessage(), e);
        }
      }
      case "any-of?", "not-any-of?" -> {
        int capture = captureArg(args, 1, where);
        Set<String> values = new HashSet<>();
        for (int k = 2; k < args.size(); k++) {
          values.add(strings.get(args.get(k)[1]));
        }
        return new AnyOf(capture, values, name.equals("any-of?"));
      }
      default -> {
        return null;
      }
    }
  }

  private static int[] arg(List<int[]> args, int i, String where) {
    if (i >= args.size()) {
      throw new IllegalStateException(where + " has " + (args.size() - 1) + " arguments, needs at least " + i);
    }
    return args.get(i);
  }

  private static int captureArg(List<int[]> args, int i, String where) {
    int[] a = arg(args, i, where);
    if (a[0] != TsNative.STEP_CAPTURE) {
      throw new IllegalStateException(where + " needs a capture as argument " + i);
    }
    return a[1];
  }

  private interface TextPredicate {
    boolean test(int count, int[] ids, int[] starts, int[] ends, byte[] content);
  }

  private record EqString(int capture, byte[] value, boolean positive, boolean any) implements TextPredicate {
    @Override
    public boolean test(int count, int[] ids, int[] starts, int[] ends, byte[] content) {
      for (int i = 0; i < count; i++) {
        if (ids[i] != capture) {
          continue;
        }
        boolean equal = Arrays.equals(content, starts[i], ends[i], value, 0, value.length);
        if (equal != positive && !any) {
          return false;
        }
        if (equal == positive && any) {
          return true;
        }
      }
      return !any || none(capture, count, ids);
    }
  }

  private record EqCapture(int first, int second, boolean positive, boolean any) implements TextPredicate {
    @Override
    public boolean test(int count, int[] ids, int[] starts, int[] ends, byte[] content) {
      int i = next(first, -1, count, ids);
      int j = next(second, -1, count, ids);
      while (i >= 0 && j >= 0) {
        boolean equal = Arrays.equals(content, starts[i], ends[i], content, starts[j], ends[j]);
        if (equal != positive && !any) {
          return false;
        }
        if (equal == positive && any) {
          return true;
        }
        i = next(first, i, count, ids);
        j = next(second, j, count, ids);
      }
      return i < 0 && j < 0;
    }
  }

  private record MatchString(int capture, Pattern regex, boolean positive, boolean any) implements TextPredicate {
    @Override
    public boolean test(int count, int[] ids, int[] starts, int[] ends, byte[] content) {
      for (int i = 0; i < count; i++) {
        if (ids[i] != capture) {
          continue;
        }
        String text = new String(content, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
        boolean found = regex.matcher(text).find();
        if (found != positive && !any) {
          return false;
        }
        if (found == positive && any) {
          return true;
        }
      }
      return !any || none(capture, count, ids);
    }
  }

  private record AnyOf(int capture, Set<String> values, boolean positive) implements TextPredicate {
    @Override
    public boolean test(int count, int[] ids, int[] starts, int[] ends, byte[] content) {
      for (int i = 0; i < count; i++) {
        if (ids[i] == capture) {
          String text = new String(content, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
          if (values.contains(text) != positive) {
            return false;
          }
        }
      }
      return true;
    }
  }

  private static int next(int capture, int after, int count, int[] ids) {
    for (int i = after + 1; i < count; i++) {
      if (ids[i] == capture) {
        return i;
      }
    }
    return -1;
  }

  private static boolean none(int capture, int count, int[] ids) {
    return next(capture, -1, count, ids) < 0;
  }
}
