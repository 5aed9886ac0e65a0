package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.treesitter.jtreesitter.Node;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.TreeCursor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped grammar loads from the jar's natives and parses real code of its language cleanly. */
class GrammarsParseTest {

  static Stream<Named<GrammarSpec>> grammars() {
    return GrammarRegistry.get().all().stream().map(spec -> Named.of(spec.name(), spec));
  }

  @ParameterizedTest
  @MethodSource("grammars")
  void parsesItsSnippetWithoutErrors(GrammarSpec spec) throws IOException {
    Path snippet = snippets().get(spec.name());
    String source = Files.readString(snippet);
    try (Parser parser = new Parser(Grammars.language(spec));
        Tree tree = parser.parse(source).orElseThrow()) {
      assertEquals(List.of(), problems(tree), () -> snippet + " parses with errors: " + tree.getRootNode().toSexp());
      assertTrue(tree.getRootNode().getDescendantCount() > 10, () -> snippet + " is too small to prove anything");
    }
  }

  @Test
  void everyGrammarHasExactlyOneSnippet() {
    List<String> names = GrammarRegistry.get().all().stream().map(GrammarSpec::name).toList();
    assertEquals(names, List.copyOf(snippets().keySet()));
  }

  @Test
  void brokenJavaReportsErrors() {
    GrammarSpec java = GrammarRegistry.get().byName("java").orElseThrow();
    String missingBrace = "class A {\n  void f() {\n    int x = 1;\n  \n";
    try (Parser parser = new Parser(Grammars.language(java));
        Tree tree = parser.parse(missingBrace).orElseThrow()) {
      assertTrue(tree.getRootNode().hasError());
      assertFalse(problems(tree).isEmpty());
    }
  }

  @Test
  void languageIsLoadedOncePerJvm() {
    GrammarSpec go = GrammarRegistry.get().byName("go").orElseThrow();
    assertTrue(Grammars.language(go) == Grammars.language(go));
  }

  @Test
  void verifyAllLoadsEveryGrammar() {
    Grammars.verifyAll();
  }

  /** ERROR and MISSING nodes as "ERROR at 3:5" / "MISSING } at 4:0". */
  static List<String> problems(Tree tree) {
    List<String> problems = new ArrayList<>();
    try (TreeCursor cursor = tree.walk()) {
      boolean more = true;
      while (more) {
        Node node = cursor.getCurrentNode();
        if (node.isError() || node.isMissing()) {
          problems.add(
              (node.isMissing() ? "MISSING " + node.getType() : "ERROR")
                  + " at " + node.getStartPoint().row() + ":" + node.getStartPoint().column());
        }
        more = cursor.gotoFirstChild() || cursor.gotoNextSibling();
        while (!more && cursor.gotoParent()) {
          more = cursor.gotoNextSibling();
        }
      }
    }
    return problems;
  }

  /** Grammar name (the file name without its extension) to snippet file. */
  private static Map<String, Path> snippets() {
    try (Stream<Path> files = Files.list(Path.of(GrammarsParseTest.class.getResource("/snippets").toURI()))) {
      return files.collect(
          Collectors.toMap(
              f -> f.getFileName().toString().replaceFirst("\\.[^.]*$", ""), f -> f, (a, b) -> {
                throw new IllegalStateException("two snippets for one grammar: " + a + ", " + b);
              },
              TreeMap::new));
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list test snippets", e);
    }
  }
}
