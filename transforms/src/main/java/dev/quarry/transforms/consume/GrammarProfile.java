package dev.quarry.transforms.consume;

import io.github.treesitter.jtreesitter.Language;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Per-grammar lookup tables indexed by symbol slot, computed once when a grammar's consumers are built so that
 * the per-node work is array reads. The ERROR symbol (65535) has the last slot.
 */
final class GrammarProfile {
  final String grammar;
  final int symbolCount;
  final int errorSlot;
  final String[] type;
  final boolean[] named;
  /** Token kind of a leaf of this type when no highlights capture decides it. */
  final byte[] leafKind;
  /** {@link TokenKinds#containerKind}: string / comment / reset / none. */
  final byte[] containerKind;
  /** Definition kind ({@link DefinitionKinds}) or null. */
  final String[] definitionKind;
  final boolean[] comment;
  /** Comments and attributes, which belong to the definition that follows them. */
  final boolean[] leading;
  final boolean[] call;
  final boolean[] declarator;
  final boolean[] identifierLike;
  /** Whether the walk records the field id of this node's children (needed to find names). */
  final boolean[] recordChildFields;

  /** Names of supertype nodes (a query pattern over one matches all its subtypes). */
  final Set<String> supertypes;

  final short nameField;
  final short typeField;
  final short declaratorField;
  final short functionField;
  /** Fields that name the callee's last segment in member-like nodes, in preference order. */
  final short[] memberFields;

  GrammarProfile(String grammar, Language language, boolean fallbackSymbols) {
    this.grammar = grammar;
    this.symbolCount = language.getSymbolCount();
    this.errorSlot = symbolCount;
    int slots = symbolCount + 1;
    type = new String[slots];
    named = new boolean[slots];
    leafKind = new byte[slots];
    containerKind = new byte[slots];
    definitionKind = new String[slots];
    comment = new boolean[slots];
    leading = new boolean[slots];
    call = new boolean[slots];
    declarator = new boolean[slots];
    identifierLike = new boolean[slots];
    recordChildFields = new boolean[slots];
    for (int s = 0; s < slots; s++) {
      boolean error = s == errorSlot;
      String t = error ? "ERROR" : language.getSymbolName((short) s);
      if (t == null) {
        t = "";
      }
      boolean n = error || language.isNamed((short) s);
      type[s] = t;
      named[s] = n;
      leafKind[s] = TokenKinds.fromLeafType(t, n, error);
      containerKind[s] = TokenKinds.containerKind(t, n);
      if (n && !error) {
        definitionKind[s] = DefinitionKinds.of(grammar, t);
        comment[s] = t.contains("comment");
        leading[s] = comment[s] || t.equals("attribute_item") || t.equals("attribute_list") || t.equals("decorator");
        call[s] = t.contains("call") || t.contains("invocation");
        declarator[s] = DefinitionKinds.isDeclarator(t);
        identifierLike[s] = t.contains("identifier") || t.equals("name") || t.equals("word") || t.equals("constant");
      }
      recordChildFields[s] = fallbackSymbols || definitionKind[s] != null || declarator[s];
    }
    // Language.getSupertypes() fails in jtreesitter 0.25.5 (an unsized segment); ask symbol by symbol.
    Set<String> supers = new HashSet<>();
    for (int s = 0; s < symbolCount; s++) {
      if (language.isSupertype((short) s)) {
        supers.add(type[s]);
      }
    }
    supertypes = Set.copyOf(supers);
    nameField = field(language, "name");
    typeField = field(language, "type");
    declaratorField = field(language, "declarator");
    functionField = field(language, "function");
    memberFields = collectFields(language, "name", "property", "field", "attribute", "method");
  }

  private static short[] collectFields(Language language, String... names) {
    short[] out = new short[names.length];
    int n = 0;
    for (String name : names) {
      short id = field(language, name);
      if (id != 0) {
        out[n++] = id;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static short field(Language language, String name) {
    return language.getFieldIdForName(name);
  }

  int slot(short symbol) {
    int s = Short.toUnsignedInt(symbol);
    return s < symbolCount ? s : errorSlot;
  }
}
