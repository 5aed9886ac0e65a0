package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Trees 100,000 levels deep: nothing may recurse per level (a Java stack holds a few thousand frames). */
class DeepNestingTest {
  static final int DEPTH = 100_000;

  static void runDeep(String grammar, String source, ChunkingConfig config) {
    byte[] content = source.getBytes(StandardCharsets.UTF_8);
    SegmentContext context = ConsumerFixtures.context(grammar, content);
    try (SegmentConsumers consumers = ConsumerFixtures.consumers(grammar, config)) {
      ConsumerOutput out = ConsumerFixtures.run(consumers, context);
      assertTrue(out.nodeCount() > 2L * DEPTH, "every level is a node: " + out.nodeCount());
      Invariants.assertTiling(out, context, config);
      Invariants.assertDiagnostics(out, context);
      long covered = out.chunks().stream().mapToLong(c -> c.getTokenBuckets().stream()
          .mapToLong(b -> b.getEnd() - b.getStart()).sum()).sum();
      long nonBlank = source.chars().filter(ch -> ch != ' ').count();
      assertEquals(nonBlank, covered, "every non-blank byte is in a token");
    }
  }

  @Test
  void jsonArrays() {
    String json = "[".repeat(DEPTH) + "1" + "]".repeat(DEPTH);
    runDeep("json", json, ChunkingConfig.defaults());
    runDeep("json", json, new ChunkingConfig(64, 0));
  }

  @Test
  void javascriptParentheses() {
    runDeep("javascript", "x = " + "(".repeat(DEPTH) + "1" + ")".repeat(DEPTH) + ";", ChunkingConfig.defaults());
  }
}
