package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.SymbolRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolExtractorTest {
  static final String JAVA = """
      package demo;

      public class Greeter implements Runnable {
        private final String name = "world";

        public void run() {
          System.out.println(greet(name));
        }

        String greet(String who) { return "Hello, " + who; }
      }
      """;

  static final String PYTHON = """
      class Greeter:
          def greet(self, who):
              return format_greeting(who)

      def main():
          print(Greeter().greet("world"))
      """;

  /** "role kind name line:column" of every row, for compact assertions. */
  static List<String> rows(ConsumerOutput out) {
    return out.symbols().stream()
        .map(s -> s.getRole() + " " + s.getKind() + " " + s.getName() + " " + s.getStartLine() + ":"
            + s.getStartColumn())
        .toList();
  }

  @Test
  void javaTagsFindClassesMethodsAndCalls() {
    ConsumerOutput out = ConsumerFixtures.run("java", JAVA, ChunkingConfig.defaults());
    assertEquals(
        List.of(
            "definition class Greeter 3:14",
            "reference implementation Runnable 3:33",
            "definition method run 6:15",
            "reference call println 7:16",
            "reference call greet 7:24",
            "definition method greet 10:10"),
        rows(out));
    assertTrue(out.symbols().stream().allMatch(s -> s.getSource().equals("tags") && s.getLanguage().equals("java")));
  }

  @Test
  void pythonTagsFindClassesFunctionsAndCalls() {
    ConsumerOutput out = ConsumerFixtures.run("python", PYTHON, ChunkingConfig.defaults());
    assertEquals(
        List.of(
            "definition class Greeter 1:7",
            "definition function greet 2:9",
            "reference call format_greeting 3:16",
            "definition function main 5:5",
            "reference call print 6:5",
            "reference call Greeter 6:11",
            "reference call greet 6:21"),
        rows(out));
  }

  @Test
  void tagsPredicatesApplyToTreesParsedWithoutText() {
    // javascript's tags.scm: (#not-eq? @name "constructor") and (#not-match? @name "^(require)$").
    String js = """
        const fs = require('fs');
        class A { constructor() {} run() { load(); } }
        """;
    List<String> rows = rows(ConsumerFixtures.run("javascript", js, ChunkingConfig.defaults()));
    assertEquals(List.of("definition class A 2:7", "definition method run 2:28", "reference call load 2:36"), rows);
  }

  @Test
  void fallbackRulesWithoutATagsQuery() {
    // Java's own query left out: Quarry's node-type rules apply.
    byte[] content = JAVA.getBytes(StandardCharsets.UTF_8);
    try (SegmentConsumers consumers =
        SegmentConsumers.create("java", ConsumerFixtures.language("java"), null, null, ChunkingConfig.defaults())) {
      assertFalse(consumers.hasTagsQuery());
      ConsumerOutput out = ConsumerFixtures.run(consumers, ConsumerFixtures.context("java", content));
      assertEquals(
          List.of(
              "definition class Greeter 3:14",
              "definition method run 6:15",
              "reference call println 7:16",
              "reference call greet 7:24",
              "definition method greet 10:10"),
          rows(out));
      assertTrue(out.symbols().stream().allMatch(s -> s.getSource().equals("fallback")));
    }
  }

  @Test
  void fallbackRulesForAGrammarWithoutTags() {
    String kotlin = """
        class Registry {
            fun add(user: String): Boolean = users.add(user)
        }
        fun main() { println(Registry().add("x")) }
        """;
    assertFalse(ConsumerFixtures.spec("kotlin").hasTags());
    List<String> rows = rows(ConsumerFixtures.run("kotlin", kotlin, ChunkingConfig.defaults()));
    assertTrue(rows.contains("definition class Registry 1:7"), rows.toString());
    assertTrue(rows.contains("definition method add 2:9"), rows.toString());
    assertTrue(rows.contains("definition function main 4:5"), rows.toString());
    assertTrue(rows.contains("reference call println 4:14"), rows.toString());
  }

  @Test
  void identicalRowsAreKeptOnce() {
    String tags = """
        (class_declaration name: (identifier) @name) @definition.class
        (class_declaration name: (identifier) @name) @definition.class
        ((identifier) @name @reference.identifier (#eq? @name "Greeter"))
        """;
    byte[] content = JAVA.getBytes(StandardCharsets.UTF_8);
    try (SegmentConsumers consumers =
        SegmentConsumers.create("java", ConsumerFixtures.language("java"), null, tags, ChunkingConfig.defaults())) {
      ConsumerOutput out = ConsumerFixtures.run(consumers, ConsumerFixtures.context("java", content));
      assertEquals(List.of("definition class Greeter 3:14", "reference identifier Greeter 3:14"), rows(out));
    }
  }

  @Test
  void rowsPointIntoTheContainerAndTheirChunk() {
    byte[] content = PYTHON.getBytes(StandardCharsets.UTF_8);
    SegmentContext context = new SegmentContext("repo", "docs/guide.md", "seg-7", "python", content, 500, 20, 4);
    try (SegmentConsumers consumers = ConsumerFixtures.consumers("python", new ChunkingConfig(64, 16))) {
      ConsumerOutput out = ConsumerFixtures.run(consumers, context);
      SymbolRow first = out.symbols().get(0);
      assertEquals("Greeter", first.getName());
      assertEquals(500 + 6, first.getStartByte());
      assertEquals(21, first.getStartLine());
      assertEquals(4 + 7, first.getStartColumn(), "row 0 of the segment is shifted by the base column");
      SymbolRow second = out.symbols().get(1);
      assertEquals(22, second.getStartLine());
      assertEquals(9, second.getStartColumn(), "later rows are not shifted");
      Invariants.assertSymbols(out, context);
      assertTrue(out.chunks().size() > 1);
    }
  }
}
