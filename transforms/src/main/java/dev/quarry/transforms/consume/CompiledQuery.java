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
  private final Shape[] shapes;
  /** Byte offset of each pattern in the query source. */
  private final int[] patternStarts;

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
    this.shapes = new Shape[patterns];
    this.patternStarts = new int[patterns];
    byte[] text = source.getBytes(StandardCharsets.UTF_8);
    for (int p = 0; p < patterns; p++) {
      predicates[p] = parsePredicates(TsNative.predicateSteps(querySegment, p), strings, what, p);
      patternStarts[p] = query.startByteForPattern(p);
      int from = Math.min(patternStarts[p], text.length);
      int to = Math.min(Math.max(query.endByteForPattern(p), from), text.length);
      shapes[p] = parseShape(new String(text, from, to - from, StandardCharsets.UTF_8));
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

  /** How many patterns start before byte {@code offset} of the query source (patterns are in source order). */
  int patternsBefore(int offset) {
    int n = 0;
    while (n < patternStarts.length && patternStarts[n] < offset) {
      n++;
    }
    return n;
  }

  /**
   * Whether a pattern is generic: one node or an alternation of nodes ({@code (identifier) @variable},
   * {@code ["if" "else"] @keyword}), with no parent, field, anchor, quantifier or predicate. A specific pattern's
   * capture is more informed than a generic one's, whatever their order in the file.
   */
  boolean isGeneric(int pattern) {
    return shapes[pattern] != null && !shapes[pattern].predicated();
  }

  static boolean isGeneric(String pattern) {
    Shape shape = parseShape(pattern);
    return shape != null && !shape.predicated();
  }

  /** A node of a generic pattern: a named node type, or an anonymous one (the literal's text). */
  record Item(boolean named, String type) {}

  /** A one-node pattern: its node types, capture names, and whether text predicates restrict it. */
  record Shape(List<Item> items, List<String> captures, boolean predicated) {}

  /** The pattern's shape if it looks at one node only, else null. */
  Shape shape(int pattern) {
    return shapes[pattern];
  }

  /**
   * Whether a match of {@code pattern} with these captures (ids and ranges) satisfies its text predicates.
   */
  boolean satisfies(int pattern, int count, int[] ids, int[] starts, int[] ends, byte[] content) {
    for (TextPredicate predicate : predicates[pattern]) {
      if (!predicate.test(count, ids, starts, ends, content)) {
        return false;
      }
    }
    return true;
  }

  /** Stops matching a pattern (its captures could not change any output). */
  void disablePattern(int pattern) {
    query.disablePattern(pattern);
  }

  /**
   * The shape of a pattern that looks at one node only: {@code (type) @c}, {@code "token" @c},
   * {@code [(a) "b"] @c}, optionally grouped with predicates: {@code ((identifier) @c (#match? @c "^[A-Z]"))}.
   * Null for anything else (parents, fields, anchors, quantifiers, negations).
   */
  static Shape parseShape(String pattern) {
    List<String> tokens = tokenize(pattern);
    if (tokens == null) {
      return null;
    }
    int[] at = {0};
    Shape shape;
    boolean grouped = tokens.size() > 1 && tokens.get(0).equals("(")
        && (tokens.get(1).equals("(") || tokens.get(1).equals("[") || tokens.get(1).startsWith("\""));
    if (grouped) {
      at[0] = 1;
      shape = nodeAndCaptures(tokens, at);
      if (shape == null) {
        return null;
      }
      boolean predicated = false;
      while (at[0] < tokens.size() && tokens.get(at[0]).equals("(")
          && at[0] + 1 < tokens.size() && tokens.get(at[0] + 1).startsWith("#")) {
        at[0] += 2;
        while (at[0] < tokens.size() && !tokens.get(at[0]).equals(")")) {
          String t = tokens.get(at[0]);
          if (t.equals("(") || t.equals("[") || t.equals("]")) {
            return null;
          }
          at[0]++;
        }
        at[0]++;
        predicated = true;
      }
      if (at[0] != tokens.size() - 1 || !tokens.get(at[0]).equals(")")) {
        return null;
      }
      return new Shape(shape.items(), shape.captures(), predicated);
    }
    shape = nodeAndCaptures(tokens, at);
    return shape != null && at[0] == tokens.size() ? shape : null;
  }

  private static Shape nodeAndCaptures(List<String> tokens, int[] at) {
    List<Item> items = new ArrayList<>();
    if (at[0] < tokens.size() && tokens.get(at[0]).equals("[")) {
      at[0]++;
      while (at[0] < tokens.size() && !tokens.get(at[0]).equals("]")) {
        if (!item(tokens, at, items)) {
          return null;
        }
      }
      if (at[0] >= tokens.size() || items.isEmpty()) {
        return null;
      }
      at[0]++;
    } else if (!item(tokens, at, items)) {
      return null;
    }
    List<String> captures = new ArrayList<>();
    while (at[0] < tokens.size() && tokens.get(at[0]).startsWith("@")) {
      captures.add(tokens.get(at[0]).substring(1));
      at[0]++;
    }
    return captures.isEmpty() ? null : new Shape(List.copyOf(items), List.copyOf(captures), false);
  }

  /** {@code (word)} or a string literal. */
  private static boolean item(List<String> tokens, int[] at, List<Item> items) {
    String t = tokens.get(at[0]);
    if (t.startsWith("\"")) {
      items.add(new Item(false, t.substring(1)));
      at[0]++;
      return true;
    }
    if (t.equals("(") && at[0] + 2 < tokens.size() && isWord(tokens.get(at[0] + 1))
        && tokens.get(at[0] + 2).equals(")")) {
      items.add(new Item(true, tokens.get(at[0] + 1)));
      at[0] += 3;
      return true;
    }
    return false;
  }

  private static boolean isWord(String t) {
    if (t.isEmpty()) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Query tokens: {@code ( ) [ ]}, {@code @capture}, {@code #predicate?}, words, and string literals as
   * {@code "} + unescaped text. Null on anything a one-node pattern cannot contain (fields, anchors, quantifiers,
   * negation).
   */
  private static List<String> tokenize(String pattern) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == ';') {
        while (i < n && pattern.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '(' || c == ')' || c == '[' || c == ']') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '"') {
        StringBuilder literal = new StringBuilder("\"");
        i++;
        while (i < n && pattern.charAt(i) != '"') {
          char ch = pattern.charAt(i);
          if (ch == '\\' && i + 1 < n) {
            char escaped = pattern.charAt(i + 1);
            literal.append(switch (escaped) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case '0' -> '\0';
              default -> escaped;
            });
            i += 2;
          } else {
            literal.append(ch);
            i++;
          }
        }
        i++;
        tokens.add(literal.toString());
      } else if (c == '@' || c == '#' || Character.isLetterOrDigit(c) || c == '_') {
        int from = i++;
        while (i < n && isCaptureChar(pattern.charAt(i))) {
          i++;
        }
        while (i < n && (pattern.charAt(i) == '?' || pattern.charAt(i) == '!') && c == '#') {
          i++;
        }
        if (i < n && pattern.charAt(i) == ':') {
          return null; // a field
        }
        tokens.add(pattern.substring(from, i));
      } else {
        return null; // anchors, quantifiers, negated fields
      }
    }
    return tokens;
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
