package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grammar of the registry: its shipped queries compile (with Java regular expressions for their
 * predicates), and the output on a real snippet keeps the contract under tight and default chunk limits.
 */
class AllGrammarsTest {
  static final List<ChunkingConfig> CONFIGS =
      List.of(new ChunkingConfig(1, 0), new ChunkingConfig(48, 16), new ChunkingConfig(256, 64),
          ChunkingConfig.defaults());

  static Stream<String> grammars() {
    return GrammarRegistry.get().all().stream().map(GrammarSpec::name);
  }

  @Test
  void everyGrammarHasASnippet() {
    assertEquals(grammars().toList(), List.copyOf(Snippets.BY_GRAMMAR.keySet()));
  }

  /** Highlights patterns over one node are evaluated in Java; the query engine gives the same kinds. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("grammars")
  void oneNodePatternsInJavaEqualTheQueryEngine(String grammar) {
    byte[] content = Snippets.BY_GRAMMAR.get(grammar).getBytes(StandardCharsets.UTF_8);
    SegmentContext context = ConsumerFixtures.context(grammar, content);
    ChunkingConfig config = new ChunkingConfig(48, 16);
    try (SegmentConsumers fast = ConsumerFixtures.consumers(grammar, config);
        SegmentConsumers reference =
            SegmentConsumers.createReference(ConsumerFixtures.spec(grammar), fast.language(), config)) {
      assertEquals(ConsumerFixtures.run(reference, context), ConsumerFixtures.run(fast, context));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grammars")
  void keepsTheContract(String grammar) {
    byte[] content = Snippets.BY_GRAMMAR.get(grammar).getBytes(StandardCharsets.UTF_8);
    SegmentContext context =
        new SegmentContext("repo", "dir/snippet." + grammar, "seg-" + grammar, grammar, content, 1000, 7, 3);
    for (ChunkingConfig config : CONFIGS) {
      try (SegmentConsumers consumers = ConsumerFixtures.consumers(grammar, config)) {
        GrammarSpec spec = ConsumerFixtures.spec(grammar);
        assertEquals(spec.hasTags(), consumers.hasTagsQuery());
        assertEquals(spec.hasHighlights(), consumers.hasHighlightsQuery());
        ConsumerOutput out = ConsumerFixtures.run(consumers, context);
        assertFalse(out.chunks().isEmpty(), grammar);
        assertTrue(out.nodeCount() > 1, grammar);
        Invariants.assertAll(out, context, config, consumers.language());
      }
    }
  }
}
