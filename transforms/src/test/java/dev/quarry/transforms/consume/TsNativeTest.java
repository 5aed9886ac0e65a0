package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.QueryKind;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Node;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Query;
import io.github.treesitter.jtreesitter.QueryCapture;
import io.github.treesitter.jtreesitter.QueryCursor;
import io.github.treesitter.jtreesitter.QueryMatch;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.TreeCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the consumers read through jtreesitter's internals equals what its public API reports. */
class TsNativeTest {

  @ParameterizedTest
  @ValueSource(strings = {"java", "python", "c", "rust", "javascript"})
  void flatTreeMatchesThePublicWalk(String grammar) {
    Language language = ConsumerFixtures.language(grammar);
    byte[] content = (Snippets.BY_GRAMMAR.get(grammar) + "\n}} broken ((\n").getBytes(StandardCharsets.UTF_8);
    GrammarProfile profile = new GrammarProfile(grammar, language, true);
    FlatTree flat = new FlatTree();
    try (Parser parser = new Parser(language);
        Tree tree = parser.parse(new String(content, StandardCharsets.UTF_8)).orElseThrow();
        TreeCursor cursor = tree.walk()) {
      flat.build(profile, TsNative.rootNode(tree));
      int i = 0;
      long errors = 0;
      List<Integer> open = new ArrayList<>();
      while (true) {
        Node node = cursor.getCurrentNode();
        String where = grammar + " node " + i + " " + node;
        assertEquals(i, cursor.getCurrentDescendantIndex(), where);
        assertEquals(profile.slot(node.getSymbol()), flat.slot[i], where);
        assertEquals(node.getType(), profile.type[flat.slot[i]], where);
        assertEquals(node.getStartByte(), flat.start[i], where);
        assertEquals(node.getEndByte(), flat.end[i], where);
        assertEquals(open.isEmpty() ? -1 : open.get(open.size() - 1), flat.parent[i], where);
        assertEquals(node.getChildCount() == 0, flat.isLeaf(i), where);
        assertEquals(node.isError(), (flat.flags[i] & FlatTree.ERROR) != 0, where);
        assertEquals(node.isMissing(), (flat.flags[i] & FlatTree.MISSING) != 0, where);
        errors += node.isError() || node.isMissing() ? 1 : 0;
        String field = cursor.getCurrentFieldName();
        assertEquals(field == null ? 0 : language.getFieldIdForName(field), flat.field[i], where);
        i++;
        if (cursor.gotoFirstChild()) {
          open.add(i - 1);
          continue;
        }
        boolean done = false;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) {
            done = true;
            break;
          }
          int closed = open.remove(open.size() - 1);
          assertEquals(i, flat.next[closed], "subtree end of node " + closed);
        }
        if (done) {
          break;
        }
      }
      assertEquals(i, flat.size);
      assertEquals(errors, flat.errorCount);
      assertTrue(errors > 0, "the input was meant to be broken");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"java", "python", "go", "rust"})
  void queryMatchesEqualJtreesitterOnTreesWithText(String grammar) {
    GrammarRegistry registry = GrammarRegistry.get();
    String source = registry.query(ConsumerFixtures.spec(grammar), QueryKind.HIGHLIGHTS).orElseThrow() + "\n"
        + registry.query(ConsumerFixtures.spec(grammar), QueryKind.TAGS).orElseThrow();
    Language language = ConsumerFixtures.language(grammar);
    byte[] content = Snippets.BY_GRAMMAR.get(grammar).getBytes(StandardCharsets.UTF_8);
    List<String> ours = new ArrayList<>();
    List<String> theirs = new ArrayList<>();
    try (Parser parser = new Parser(language);
        Tree tree = parser.parse(new String(content, StandardCharsets.UTF_8)).orElseThrow();
        CompiledQuery compiled = new CompiledQuery(language, source, grammar);
        Query query = new Query(language, source);
        QueryCursor cursor = new QueryCursor(query)) {
      List<String> names = compiled.captureNames();
      compiled.run(TsNative.rootNode(tree), content, (pattern, count, ids, starts, ends, symbols) -> {
        StringBuilder b = new StringBuilder().append(pattern);
        for (int k = 0; k < count; k++) {
          b.append(' ').append(names.get(ids[k])).append('@').append(starts[k]).append('-').append(ends[k]);
        }
        ours.add(b.toString());
      });
      cursor.findMatches(tree.getRootNode()).forEach((QueryMatch m) -> {
        StringBuilder b = new StringBuilder().append(m.patternIndex());
        for (QueryCapture c : m.captures()) {
          b.append(' ').append(c.name()).append('@').append(c.node().getStartByte()).append('-')
              .append(c.node().getEndByte());
        }
        theirs.add(b.toString());
      });
    }
    assertFalse(ours.isEmpty());
    assertEquals(theirs, ours);
  }
}
