package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.TokenBucket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenClassifierTest {
  /** "kind:text" of every bucket of a one-chunk segment. */
  static List<String> buckets(String grammar, String source) {
    byte[] content = source.getBytes(StandardCharsets.UTF_8);
    ConsumerOutput out = ConsumerFixtures.run(grammar, source, ChunkingConfig.defaults());
    List<String> result = new ArrayList<>();
    for (ChunkRow chunk : out.chunks()) {
      for (TokenBucket b : chunk.getTokenBuckets()) {
        int from = chunk.getLocalStartByte() + b.getStart();
        result.add(b.getKind() + ":" + new String(content, from, b.getEnd() - b.getStart(), StandardCharsets.UTF_8));
      }
    }
    return result;
  }

  @Test
  void javaKindsFromHighlightsWithPredicates() {
    assertEquals(
        List.of("keyword:class", "type:A", "punctuation:{", "type:void", "function:f", "punctuation:()",
            "punctuation:{", "type:System", "punctuation:.", "identifier:out", "punctuation:.",
            "function:println", "punctuation:(", "string:\"a  b\"", "operator:+", "number:1.5",
            "punctuation:);", "punctuation:}", "punctuation:}"),
        buckets("java", "class A { void f() { System.out.println(\"a  b\" + 1.5); } }"));
  }

  @Test
  void specificPatternsBeatGenericOnesWhateverTheirOrder() {
    // Go's highlights.scm puts (identifier) @variable after the function patterns, Java's puts it first.
    assertEquals(
        List.of("keyword:func", "function:main", "punctuation:()", "punctuation:{", "function:run",
            "punctuation:()", "punctuation:}"),
        buckets("go", "func main() { run() }"));
  }

  @Test
  void lexicalLiteralsWinOverCaptures() {
    // Rust captures integer and float literals as @constant.builtin.
    assertEquals(
        List.of("keyword:let", "identifier:x", "operator:=", "number:1", "operator:+", "number:2.5",
            "punctuation:;"),
        buckets("rust", "let x = 1 + 2.5;"));
  }

  @Test
  void punctuationInsideACapturedNodeStaysPunctuation() {
    // Python's highlights capture the whole (decorator) as @function.
    List<String> kinds = buckets("python", "@app.route\ndef f(): pass\n");
    assertEquals("punctuation:@", kinds.get(0));
    assertEquals("punctuation:.", kinds.get(2));
  }

  @Test
  void interpolationsAreCodeAgain() {
    assertEquals(
        List.of("identifier:s", "operator:=", "string:`a ", "punctuation:${", "identifier:b", "punctuation:}",
            "string:`"),
        buckets("javascript", "s = `a ${b}`"));
  }

  @Test
  void separateCommentsAreNotMerged() {
    assertEquals(List.of("comment:# one", "comment:# two"), buckets("python", "# one\n# two\n"));
  }

  @Test
  void withoutHighlightsNodeTypesDecide() {
    // Kotlin ships no highlights query.
    assertEquals(
        List.of("keyword:fun", "identifier:f", "punctuation:()", "operator:=", "string:\"x\"", "operator:+",
            "number:1"),
        buckets("kotlin", "fun f() = \"x\" + 1"));
  }
}
