package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Tree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledQueryTest {
  static final String JAVA = "class A { void f() { foo(); bar(); Foo(); BAR_BAZ(); } }";

  /** Names captured as @c by the query on {@link #JAVA}, parsed the executor's way (no text in the tree). */
  static List<String> captured(String query) {
    Language language = ConsumerFixtures.language("java");
    byte[] content = JAVA.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    try (Tree tree = ConsumerFixtures.parse(language, content);
        CompiledQuery compiled = new CompiledQuery(language, query, "test query")) {
      compiled.run(TsNative.rootNode(tree), content, (pattern, count, ids, starts, ends, symbols) -> {
        for (int k = 0; k < count; k++) {
          out.add(new String(content, starts[k], ends[k] - starts[k], StandardCharsets.UTF_8));
        }
      });
    }
    return out;
  }

  static final String CALLS = "(method_invocation name: (identifier) @c %s)";

  @Test
  void textPredicatesAreAppliedEvenWithoutTreeText() {
    assertEquals(List.of("foo", "bar", "Foo", "BAR_BAZ"), captured(CALLS.formatted("")));
    assertEquals(List.of("foo"), captured(CALLS.formatted("(#eq? @c \"foo\")")));
    assertEquals(List.of("bar", "Foo", "BAR_BAZ"), captured(CALLS.formatted("(#not-eq? @c \"foo\")")));
    assertEquals(List.of("Foo", "BAR_BAZ"), captured(CALLS.formatted("(#match? @c \"^[A-Z]\")")));
    assertEquals(List.of("foo", "bar", "Foo"), captured(CALLS.formatted("(#not-match? @c \"^[A-Z_]+$\")")));
    assertEquals(List.of("foo", "Foo"), captured(CALLS.formatted("(#any-of? @c \"foo\" \"Foo\" \"baz\")")));
    assertEquals(List.of("bar", "BAR_BAZ"), captured(CALLS.formatted("(#not-any-of? @c \"foo\" \"Foo\")")));
  }

  @Test
  void directivesDoNotFilter() {
    assertEquals(4, captured(CALLS.formatted("(#set! priority 105) (#strip! @c \"x\")")).size());
  }

  @Test
  void eqBetweenCaptures() {
    String q = "(method_declaration name: (identifier) @a body: (block (expression_statement"
        + " (method_invocation name: (identifier) @c))) (#eq? @a @c))";
    assertEquals(List.of(), captured(q));
    String same = "(method_declaration name: (identifier) @a (#eq? @a @a))";
    assertEquals(List.of("f"), captured(same));
  }

  @Test
  void badRegularExpressionsFailWithTheQueryNamed() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> captured(CALLS.formatted("(#match? @c \"[\")")));
    assertTrue(e.getMessage().contains("test query"), e.getMessage());
  }

  @Test
  void genericPatterns() {
    assertTrue(CompiledQuery.isGeneric("(identifier) @variable"));
    assertTrue(CompiledQuery.isGeneric("( identifier ) @variable @other ; comment"));
    assertTrue(CompiledQuery.isGeneric("[\"if\" \"else\" (true)] @keyword"));
    assertTrue(CompiledQuery.isGeneric("\"@\" @operator"));
    assertFalse(CompiledQuery.isGeneric("(method_invocation name: (identifier) @function)"));
    assertFalse(CompiledQuery.isGeneric("((identifier) @constant (#match? @constant \"^[A-Z]\"))"));
    assertFalse(CompiledQuery.isGeneric("(identifier)? @x"));
    assertFalse(CompiledQuery.isGeneric("(call (identifier) @function)"));
  }
}
