package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.treesitter.jtreesitter.Language;
import org.junit.jupiter.api.Test;

/** The load-time checks fail with messages that name the grammar, the value and what was expected. */
class GrammarLoadFailureTest {
  private static final GrammarSpec JAVA = GrammarRegistry.get().byName("java").orElseThrow();

  @Test
  void missingSymbolNamesGrammarLibraryAndSymbol() {
    GrammarSpec wrongSymbol = copy(JAVA, "tree_sitter_jawa", JAVA.abiVersion());
    GrammarLoadException e =
        assertThrows(GrammarLoadException.class, () -> Grammars.load(wrongSymbol, NativeLibraries.defaults()));
    assertTrue(e.getMessage().contains("grammar 'java'"), e.getMessage());
    assertTrue(e.getMessage().contains("symbol 'tree_sitter_jawa' not found"), e.getMessage());
    assertTrue(e.getMessage().contains(JAVA.library()), e.getMessage());
  }

  @Test
  void abiOutsideTheSupportedRangeNamesValueAndRange() {
    String range = "[" + Language.MIN_COMPATIBLE_LANGUAGE_VERSION + ", " + Language.LANGUAGE_VERSION + "]";
    for (int abi : new int[] {Language.MIN_COMPATIBLE_LANGUAGE_VERSION - 1, Language.LANGUAGE_VERSION + 1}) {
      GrammarSpec wrongAbi = copy(JAVA, JAVA.symbol(), abi);
      GrammarLoadException e =
          assertThrows(GrammarLoadException.class, () -> Grammars.load(wrongAbi, NativeLibraries.defaults()));
      assertEquals(
          "grammar 'java' (tree-sitter-java@0.23.5): ABI version " + abi + " is outside the range " + range
              + " supported by this jtreesitter; pin a grammar generated for that range or upgrade jtreesitter",
          e.getMessage());
    }
  }

  @Test
  void declaredAbiMustMatchTheLibrary() {
    int other = JAVA.abiVersion() == Language.LANGUAGE_VERSION ? JAVA.abiVersion() - 1 : JAVA.abiVersion() + 1;
    GrammarSpec lying = copy(JAVA, JAVA.symbol(), other);
    GrammarLoadException e =
        assertThrows(GrammarLoadException.class, () -> Grammars.load(lying, NativeLibraries.defaults()));
    assertTrue(e.getMessage().contains("library reports ABI version " + JAVA.abiVersion()), e.getMessage());
    assertTrue(e.getMessage().contains("declares " + other), e.getMessage());
  }

  private static GrammarSpec copy(GrammarSpec s, String symbol, int abi) {
    return new GrammarSpec(
        s.name(), s.packageName(), s.packageVersion(), symbol, abi, s.wasmKey() + "-test", s.extensions(),
        s.fileNames(), s.interpreters(), s.hasTags(), s.hasHighlights(), s.hasInjections(), s.library(),
        s.librarySha256());
  }
}
