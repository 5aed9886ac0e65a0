package dev.quarry.grammars;

import java.util.Locale;

/** The tree-sitter queries a grammar may ship. */
public enum QueryKind {
  TAGS,
  HIGHLIGHTS,
  INJECTIONS;

  /** File name of this query in the jar and in grammar packages, e.g. {@code tags.scm}. */
  public String fileName() {
    return name().toLowerCase(Locale.ROOT) + ".scm";
  }
}
