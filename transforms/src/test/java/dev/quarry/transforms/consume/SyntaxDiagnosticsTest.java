package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.DiagnosticRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntaxDiagnosticsTest {
  /** An embedded segment: starts at container byte 1000, row 10 (line 11), byte column 4. */
  static SegmentContext embedded(String grammar, String source) {
    return new SegmentContext("repo", "README.md", "seg-2", grammar, source.getBytes(StandardCharsets.UTF_8), 1000,
        10, 4);
  }

  static ConsumerOutput run(SegmentContext context) {
    try (SegmentConsumers consumers = ConsumerFixtures.consumers(context.language(), ChunkingConfig.defaults())) {
      ConsumerOutput out = ConsumerFixtures.run(consumers, context);
      Invariants.assertAll(out, context, ChunkingConfig.defaults(), consumers.language());
      return out;
    }
  }

  @Test
  void missingNodeHasContainerPositionAndNamesTheMissingType() {
    String c = "int main(void) {\n  int x = 1\n  return x;\n}\n";
    ConsumerOutput out = run(embedded("c", c));
    assertEquals(1, out.diagnostics().size(), out.diagnostics().toString());
    DiagnosticRow d = out.diagnostics().get(0);
    assertEquals("missing_node", d.getCode());
    assertEquals("error", d.getSeverity());
    assertTrue(d.getMessage().startsWith("missing \";\""), d.getMessage());
    int local = c.indexOf("1\n") + 1;
    assertEquals(1000 + local, d.getStartByte());
    assertEquals(d.getStartByte(), d.getEndByte(), "a MISSING node is empty");
    assertEquals(12, d.getStartLine(), "second segment line = container line 10 + 2");
    assertEquals(12, d.getStartColumn(), "column on a later line is not shifted by the base column");
    assertEquals("int x = 1", d.getSnippet());
    assertEquals(1, out.errorCount());
  }

  @Test
  void outermostErrorOnTheFirstLineIsShiftedByTheBaseColumn() {
    String py = "x = = 1\ny = 2\n";
    ConsumerOutput out = run(embedded("python", py));
    List<DiagnosticRow> errors = out.diagnostics();
    assertEquals(1, errors.size(), errors.toString());
    DiagnosticRow d = errors.get(0);
    assertEquals("syntax_error", d.getCode());
    assertTrue(d.getMessage().startsWith("syntax error"), d.getMessage());
    assertEquals(11, d.getStartLine());
    long local = d.getStartByte() - 1000;
    assertEquals(4 + local + 1, d.getStartColumn(), "first segment row: base column + byte column + 1");
    assertEquals("x = = 1", d.getSnippet());
  }

  @Test
  void nestedErrorsAreCountedButReportedOnce() {
    String js = "function f( { ( [ ) ] }\n";
    ConsumerOutput out = run(embedded("javascript", js));
    assertTrue(out.errorCount() >= out.diagnostics().size());
    long syntaxErrors = out.diagnostics().stream().filter(d -> d.getCode().equals("syntax_error")).count();
    assertTrue(syntaxErrors >= 1);
    for (int i = 1; i < out.diagnostics().size(); i++) {
      DiagnosticRow previous = out.diagnostics().get(i - 1);
      DiagnosticRow next = out.diagnostics().get(i);
      assertTrue(next.getStartByte() >= previous.getEndByte() || !previous.getCode().equals("syntax_error"),
          "an ERROR inside a reported ERROR is not reported again");
    }
  }

  @Test
  void snippetIsOneLineOfAtMost80CharactersCutOnCodePoints() {
    // A long line of multi-byte characters with the error near its end.
    String line = "x = \"" + "ü€😀".repeat(30) + "\" +\n";
    ConsumerOutput out = run(embedded("python", line));
    assertTrue(!out.diagnostics().isEmpty());
    for (DiagnosticRow d : out.diagnostics()) {
      String snippet = d.getSnippet();
      assertTrue(snippet.codePoints().count() <= 80, snippet);
      assertTrue(snippet.codePoints().count() >= 60, "a long line fills the window: " + snippet);
      assertTrue(line.contains(snippet), "the snippet is a substring of the line, so no code point was cut");
    }
  }

  @Test
  void snippetShowsControlCharactersAsSpaces() {
    byte[] content = "int x = \t@;\n".getBytes(StandardCharsets.UTF_8);
    LineIndex lines = new LineIndex();
    lines.reset(content);
    assertEquals("int x =  @;", SyntaxDiagnostics.snippet(content, lines, 9));
  }

  @Test
  void cleanCodeHasNoDiagnostics() {
    ConsumerOutput out = run(embedded("java", "class A { void f() { g(); } }"));
    assertEquals(List.of(), out.diagnostics());
    assertEquals(0, out.errorCount());
  }
}
