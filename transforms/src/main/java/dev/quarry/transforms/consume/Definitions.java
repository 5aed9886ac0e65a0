package dev.quarry.transforms.consume;

import java.nio.charset.StandardCharsets;

/**
 * Definition nodes of one flattened segment: their kinds (from {@link DefinitionKinds}, refined by context) and
 * names. Shared by the chunker (chunk kind and name) and the fallback symbol rules.
 *
 * <p>Refinements: a {@code function} whose nearest enclosing definition is a class, struct, interface, trait,
 * impl or enum is a {@code method}; Go's {@code type_spec} is a {@code struct} or {@code interface} when its
 * type is one.
 *
 * <p>Names: the {@code name} field; for Rust's {@code impl_item} the {@code type} field; else the
 * {@code declarator} field followed through C-style declarators (pointer, function, parenthesized ...) to the
 * identifier; else the first identifier-like child. A name is kept only if it is one line of at most
 * {@link #MAX_NAME_BYTES} bytes.
 */
final class Definitions {
  static final int MAX_NAME_BYTES = 256;

  private final GrammarProfile profile;
  private FlatTree tree;
  private byte[] content;
  /** Nearest definition ancestor-or-self of each node, or -1. */
  private int[] enclosing = new int[0];

  Definitions(GrammarProfile profile) {
    this.profile = profile;
  }

  void reset(FlatTree tree, byte[] content) {
    this.tree = tree;
    this.content = content;
    if (enclosing.length < tree.size) {
      enclosing = new int[Math.max(tree.size, enclosing.length * 2)];
    }
    for (int i = 0; i < tree.size; i++) {
      int p = tree.parent[i];
      enclosing[i] = isDefinition(i) ? i : p >= 0 ? enclosing[p] : -1;
    }
  }

  boolean isDefinition(int i) {
    return profile.definitionKind[tree.slot[i]] != null;
  }

  /** Nearest definition that is {@code i} or contains it, or -1. */
  int enclosing(int i) {
    return enclosing[i];
  }

  /**
   * The definition a node stands for: itself, or for a wrapper (export statement, decorated definition,
   * template declaration, Go type declaration with one spec, a file holding one class ...) its only direct child
   * that is a definition, provided that child is at least half of the wrapper's bytes.
   */
  int effective(int i) {
    if (isDefinition(i)) {
      return i;
    }
    int found = -1;
    for (int c = tree.firstChild(i); c >= 0; c = tree.nextSibling(c)) {
      if (isDefinition(c)) {
        if (found >= 0) {
          return -1;
        }
        found = c;
      }
    }
    if (found >= 0) {
      long wrapper = tree.end[i] - tree.start[i];
      long definition = tree.end[found] - tree.start[found];
      return 2 * definition >= wrapper ? found : -1;
    }
    return -1;
  }

  /** Refined kind of a definition node. */
  String kind(int d) {
    String kind = baseKind(d);
    if (kind.equals(DefinitionKinds.FUNCTION)) {
      int p = tree.parent[d];
      int scope = p >= 0 ? enclosing[p] : -1;
      if (scope >= 0 && DefinitionKinds.MEMBER_SCOPES.contains(baseKind(scope))) {
        return DefinitionKinds.METHOD;
      }
    }
    return kind;
  }

  private String baseKind(int d) {
    String kind = profile.definitionKind[tree.slot[d]];
    if (profile.type[tree.slot[d]].equals("type_spec")) {
      int t = tree.childByField(d, profile.typeField);
      if (t >= 0) {
        String type = profile.type[tree.slot[t]];
        if (type.equals("struct_type")) {
          return DefinitionKinds.STRUCT;
        }
        if (type.equals("interface_type")) {
          return DefinitionKinds.INTERFACE;
        }
      }
    }
    return kind;
  }

  /** The node holding a definition's name, or -1. */
  int nameNode(int d) {
    String type = profile.type[tree.slot[d]];
    if (type.equals("impl_item")) {
      int t = tree.childByField(d, profile.typeField);
      if (t >= 0) {
        return t;
      }
    }
    int n = tree.childByField(d, profile.nameField);
    if (n >= 0) {
      return n;
    }
    int x = tree.childByField(d, profile.declaratorField);
    if (x >= 0) {
      while (profile.declarator[tree.slot[x]]) {
        int inner = tree.childByField(x, profile.declaratorField);
        if (inner < 0) {
          inner = lastNamedChild(x);
        }
        if (inner < 0) {
          break;
        }
        x = inner;
      }
      return x;
    }
    for (int c = tree.firstChild(d); c >= 0; c = tree.nextSibling(c)) {
      if (profile.identifierLike[tree.slot[c]]) {
        return c;
      }
    }
    return -1;
  }

  /** A definition's name, or null. */
  String name(int d) {
    int n = nameNode(d);
    return n >= 0 ? text(n) : null;
  }

  /** The one-line text of a node of at most {@link #MAX_NAME_BYTES} bytes, or null. */
  String text(int n) {
    int from = tree.start[n];
    int to = tree.end[n];
    if (to <= from || to - from > MAX_NAME_BYTES) {
      return null;
    }
    for (int i = from; i < to; i++) {
      if (content[i] == '\n' || content[i] == '\r') {
        return null;
      }
    }
    return new String(content, from, to - from, StandardCharsets.UTF_8);
  }

  private int lastNamedChild(int i) {
    int last = -1;
    for (int c = tree.firstChild(i); c >= 0; c = tree.nextSibling(c)) {
      if (profile.named[tree.slot[c]]) {
        last = c;
      }
    }
    return last;
  }
}
