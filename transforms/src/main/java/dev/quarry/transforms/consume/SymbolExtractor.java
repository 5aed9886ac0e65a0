package dev.quarry.transforms.consume;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Definitions and references of a segment.
 *
 * <p>With a tags query ({@code source = tags}): a match with an {@code @name} capture and a
 * {@code @definition.X} capture is a definition of kind X, with {@code @reference.X} a reference of kind X. The
 * row's range is the {@code @name} node's (so line and column point at the name). Directives such as
 * {@code #strip!} and {@code #select-adjacent!} only shape doc strings, which Quarry does not keep, and are
 * ignored; text predicates are applied ({@link CompiledQuery}).
 *
 * <p>Without one ({@code source = fallback}): every definition node ({@link DefinitionKinds}, kinds refined by
 * {@link Definitions}) with a name is a definition; every call-like node (type containing {@code call} or
 * {@code invocation}) whose callee resolves to an identifier is a reference of kind {@code call}. The callee is
 * the {@code function} field (else the first named child), followed through member-like nodes by their
 * {@code name} / {@code property} / {@code field} / {@code attribute} / {@code method} field (else last named
 * child) for at most {@link #MAX_CALLEE_DEPTH} steps.
 *
 * <p>Rows with the same (start, end, role, kind) are kept once; rows are sorted by
 * (start, end, role, kind, name).
 */
public final class SymbolExtractor {
  public static final String VERSION = "symbols-1";

  public static final String DEFINITION = "definition";
  public static final String REFERENCE = "reference";
  public static final String SOURCE_TAGS = "tags";
  public static final String SOURCE_FALLBACK = "fallback";
  public static final String CALL = "call";
  static final int MAX_CALLEE_DEPTH = 4;

  /** A symbol in segment-local bytes. */
  record Symbol(int start, int end, String role, String kind, String name) {}

  static final Comparator<Symbol> ORDER =
      Comparator.comparingInt(Symbol::start)
          .thenComparingInt(Symbol::end)
          .thenComparing(Symbol::role)
          .thenComparing(Symbol::kind)
          .thenComparing(Symbol::name);

  private final GrammarProfile profile;
  private final boolean usesTags;
  private final List<Symbol> found = new ArrayList<>();
  private byte[] content;
  /** Per capture id: 1 = @name, 2 = definition, 3 = reference, 0 = other. */
  private final byte[] captureRole;
  private final String[] captureKind;

  private static final byte NAME = 1;
  private static final byte DEF = 2;
  private static final byte REF = 3;

  /**
   * @param captureNames capture names of the query whose tags patterns will be passed to {@link #collect}, or
   *     null when the grammar has no tags query (then the fallback rules apply)
   */
  SymbolExtractor(GrammarProfile profile, List<String> captureNames) {
    this.profile = profile;
    this.usesTags = captureNames != null;
    int n = captureNames == null ? 0 : captureNames.size();
    captureRole = new byte[n];
    captureKind = new String[n];
    for (int i = 0; i < n; i++) {
      String name = captureNames.get(i);
      if (name.equals("name")) {
        captureRole[i] = NAME;
      } else if (name.startsWith("definition.")) {
        captureRole[i] = DEF;
        captureKind[i] = name.substring("definition.".length());
      } else if (name.startsWith("reference.")) {
        captureRole[i] = REF;
        captureKind[i] = name.substring("reference.".length());
      }
    }
  }

  boolean usesTags() {
    return usesTags;
  }

  /** Starts a segment. Then {@link #collect} (tags matches), then {@link #finish}. */
  void begin(byte[] content) {
    this.content = content;
    found.clear();
  }

  /** A tags match ({@link CompiledQuery.MatchSink}). */
  void collect(int pattern, int count, int[] ids, int[] starts, int[] ends, short[] symbols) {
    int name = -1;
    int role = -1;
    for (int k = 0; k < count; k++) {
      byte r = captureRole[ids[k]];
      if (r == NAME && name < 0) {
        name = k;
      } else if ((r == DEF || r == REF) && role < 0) {
        role = k;
      }
    }
    if (name >= 0 && role >= 0 && ends[name] > starts[name]) {
      String text = text(content, starts[name], ends[name]);
      if (text != null) {
        String r = captureRole[ids[role]] == DEF ? DEFINITION : REFERENCE;
        found.add(new Symbol(starts[name], ends[name], r, captureKind[ids[role]], text));
      }
    }
  }

  /** The segment's symbols: the collected tags matches, or the fallback rules' findings; sorted, unique. */
  List<Symbol> finish(FlatTree tree, Definitions defs) {
    if (!usesTags) {
      fallback(tree, defs, found);
    }
    found.sort(ORDER);
    List<Symbol> unique = new ArrayList<>(found.size());
    Symbol previous = null;
    for (Symbol s : found) {
      if (previous == null || previous.start() != s.start() || previous.end() != s.end()
          || !previous.role().equals(s.role()) || !previous.kind().equals(s.kind())) {
        unique.add(s);
        previous = s;
      }
    }
    found.clear();
    return unique;
  }

  private void fallback(FlatTree tree, Definitions defs, List<Symbol> found) {
    for (int i = 0; i < tree.size; i++) {
      int slot = tree.slot[i];
      if (profile.definitionKind[slot] != null) {
        int n = defs.nameNode(i);
        String name = n >= 0 ? defs.text(n) : null;
        if (name != null) {
          found.add(new Symbol(tree.start[n], tree.end[n], DEFINITION, defs.kind(i), name));
        }
      } else if (profile.call[slot]) {
        int callee = callee(tree, i);
        String name = callee >= 0 ? defs.text(callee) : null;
        if (name != null) {
          found.add(new Symbol(tree.start[callee], tree.end[callee], REFERENCE, CALL, name));
        }
      }
    }
  }

  private int callee(FlatTree tree, int call) {
    int x = tree.childByField(call, profile.functionField);
    if (x < 0) {
      x = tree.childByField(call, profile.nameField);
    }
    if (x < 0) {
      x = firstNamed(tree, call);
    }
    for (int step = 0; x >= 0 && step < MAX_CALLEE_DEPTH; step++) {
      if (profile.identifierLike[tree.slot[x]] && tree.isLeaf(x)) {
        return x;
      }
      if (tree.isLeaf(x)) {
        return -1;
      }
      int member = -1;
      for (short f : profile.memberFields) {
        member = tree.childByField(x, f);
        if (member >= 0) {
          break;
        }
      }
      x = member >= 0 ? member : lastNamed(tree, x);
    }
    return -1;
  }

  private int firstNamed(FlatTree tree, int i) {
    for (int c = tree.firstChild(i); c >= 0; c = tree.nextSibling(c)) {
      if (profile.named[tree.slot[c]] && !profile.comment[tree.slot[c]]) {
        return c;
      }
    }
    return -1;
  }

  private int lastNamed(FlatTree tree, int i) {
    int last = -1;
    for (int c = tree.firstChild(i); c >= 0; c = tree.nextSibling(c)) {
      if (profile.named[tree.slot[c]] && !profile.comment[tree.slot[c]]) {
        last = c;
      }
    }
    return last;
  }

  private static String text(byte[] content, int from, int to) {
    if (to - from > Definitions.MAX_NAME_BYTES) {
      return null;
    }
    for (int i = from; i < to; i++) {
      if (content[i] == '\n' || content[i] == '\r') {
        return null;
      }
    }
    return new String(content, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }
}
