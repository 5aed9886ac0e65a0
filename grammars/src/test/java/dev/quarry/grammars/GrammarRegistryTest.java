package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GrammarRegistryTest {
  private static final GrammarRegistry REGISTRY = GrammarRegistry.get();

  @Test
  void shipsEveryGrammarOfTheKnownGoodTableSortedByName() {
    List<String> expected = List.of(
        "bash", "c", "c_sharp", "cpp", "css", "dart", "elixir", "embedded_template", "go", "haskell", "hcl",
        "html", "java", "javascript", "json", "julia", "kotlin", "lua", "make", "markdown", "markdown_inline",
        "ocaml", "ocaml_interface", "ocaml_type", "php", "php_only", "python", "r", "regex", "ruby", "rust",
        "scala", "sql", "svelte", "swift", "toml", "tsx", "typescript", "vue", "yaml", "zig");
    assertEquals(expected, REGISTRY.all().stream().map(GrammarSpec::name).toList());
    assertEquals("0.25.1", REGISTRY.coreVersion());
  }

  @Test
  void looksUpByNameAndWasmKey() {
    GrammarSpec java = REGISTRY.byName("java").orElseThrow();
    assertEquals("tree-sitter-java", java.packageName());
    assertEquals("tree_sitter_java", java.symbol());
    assertEquals(Optional.of(java), REGISTRY.byWasmKey(java.wasmKey()));
    assertEquals(Optional.empty(), REGISTRY.byName("cobol"));
    assertEquals(Optional.empty(), REGISTRY.byWasmKey("java-0000000000000000"));
  }

  @Test
  void specsAreConsistent() {
    for (GrammarSpec spec : REGISTRY.all()) {
      assertTrue(spec.wasmKey().matches(spec.name() + "-[0-9a-f]{16}"), spec.wasmKey());
      assertEquals("tree_sitter_" + spec.name(), spec.symbol());
      assertTrue(spec.librarySha256().matches("[0-9a-f]{64}"), spec.librarySha256());
      assertNotNull(GrammarRegistry.class.getClassLoader().getResource(spec.library()), spec.library());
      assertTrue(spec.extensions().stream().allMatch(e -> e.startsWith(".")), spec.name());
      assertThrows(UnsupportedOperationException.class, () -> spec.extensions().add(".x"));
    }
  }

  @Test
  void everyClaimBelongsToExactlyOneGrammar() {
    assertOwners(GrammarSpec::extensions, Map.of(
        ".h", "c", ".c", "c", ".hpp", "cpp", ".cc", "cpp", ".cpp", "cpp", ".cxx", "cpp", ".hh", "cpp",
        ".ts", "typescript", ".tsx", "tsx", ".js", "javascript"));
    assertOwners(GrammarSpec::extensions, Map.of(
        ".mjs", "javascript", ".cjs", "javascript", ".jsx", "javascript", ".php", "php", ".md", "markdown",
        ".markdown", "markdown", ".java", "java", ".mli", "ocaml_interface", ".ml", "ocaml"));
    assertOwners(GrammarSpec::fileNames, Map.of("Makefile", "make", "Gemfile", "ruby", "Rakefile", "ruby"));
    assertOwners(GrammarSpec::interpreters, Map.of(
        "python3", "python", "node", "javascript", "bash", "bash", "sh", "bash", "ruby", "ruby", "lua", "lua"));
    for (String embeddedOnly : List.of("markdown_inline", "php_only", "regex", "ocaml_type")) {
      assertEquals(List.of(), REGISTRY.byName(embeddedOnly).orElseThrow().extensions(), embeddedOnly);
    }
  }

  private static void assertOwners(Function<GrammarSpec, List<String>> claims, Map<String, String> expected) {
    Map<String, String> owners = new HashMap<>();
    for (GrammarSpec spec : REGISTRY.all()) {
      for (String claim : claims.apply(spec)) {
        String previous = owners.put(claim, spec.name());
        assertEquals(null, previous, claim + " claimed by " + previous + " and " + spec.name());
      }
    }
    expected.forEach((claim, owner) -> assertEquals(owner, owners.get(claim), claim));
  }
}
