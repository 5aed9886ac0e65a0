package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.treesitter.jtreesitter.Query;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped query compiles with jtreesitter against its grammar (after the predicate patch). */
class QueriesCompileTest {
  private static final GrammarRegistry REGISTRY = GrammarRegistry.get();

  static Stream<Arguments> shippedQueries() {
    return REGISTRY.all().stream()
        .flatMap(spec -> EnumSet.allOf(QueryKind.class).stream().filter(spec::hasQuery)
            .map(kind -> Arguments.of(Named.of(spec.name(), spec), kind)));
  }

  @ParameterizedTest
  @MethodSource("shippedQueries")
  void compiles(GrammarSpec spec, QueryKind kind) {
    String text = REGISTRY.query(spec, kind).orElseThrow();
    try (Query query = new Query(Grammars.language(spec), text)) {
      assertTrue(query.getPatternCount() > 0);
    }
  }

  @Test
  void grammarsWithoutAQueryReturnNone() {
    for (GrammarSpec spec : REGISTRY.all()) {
      for (QueryKind kind : QueryKind.values()) {
        assertEquals(spec.hasQuery(kind), REGISTRY.query(spec, kind).isPresent(), spec.name() + " " + kind);
      }
    }
  }

  @Test
  void shipsTheQueriesOfTheKnownGoodTable() {
    // T/H/I from ENVIRONMENT.md, plus the queries typescript/tsx inherit from javascript.
    Map<String, Set<QueryKind>> expected = Map.of(
        "java", EnumSet.of(QueryKind.TAGS, QueryKind.HIGHLIGHTS),
        "javascript", EnumSet.allOf(QueryKind.class),
        "typescript", EnumSet.allOf(QueryKind.class),
        "bash", EnumSet.of(QueryKind.HIGHLIGHTS),
        "html", EnumSet.of(QueryKind.HIGHLIGHTS, QueryKind.INJECTIONS),
        "kotlin", EnumSet.noneOf(QueryKind.class),
        "vue", EnumSet.noneOf(QueryKind.class));
    expected.forEach((name, kinds) -> {
      GrammarSpec spec = REGISTRY.byName(name).orElseThrow();
      for (QueryKind kind : QueryKind.values()) {
        assertEquals(kinds.contains(kind), spec.hasQuery(kind), name + " " + kind);
      }
    });
  }

  @Test
  void reorderedPredicatesKeepTheirSettings() {
    // rust's injections.scm has `#set! injection.language "rust"` before `#set! injection.include-children`,
    // the order jtreesitter 0.25.5 misreads; the build reorders them, and both settings must survive.
    GrammarSpec rust = REGISTRY.byName("rust").orElseThrow();
    try (Query query = new Query(Grammars.language(rust), REGISTRY.query(rust, QueryKind.INJECTIONS).orElseThrow())) {
      Map<String, Optional<String>> settings = query.getPatternSettings(0);
      assertEquals(Optional.of("rust"), settings.get("injection.language"));
      assertEquals(Optional.empty(), settings.get("injection.include-children"));
      assertTrue(settings.containsKey("injection.include-children"));
    }
  }

  @Test
  void inheritedQueriesAreConcatenated() {
    String tsHighlights = REGISTRY.query(REGISTRY.byName("typescript").orElseThrow(), QueryKind.HIGHLIGHTS).orElseThrow();
    List<String> parts = tsHighlights.lines().filter(l -> l.startsWith("; ---- ")).toList();
    assertEquals(
        List.of("; ---- tree-sitter-typescript@0.23.2 queries/highlights.scm",
            "; ---- tree-sitter-javascript@0.25.0 queries/highlights.scm"),
        parts);
  }
}
