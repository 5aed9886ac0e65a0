package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "done when", over SQL: every fence with a language becomes a job whose range starts right after its
 * fence line, its chunks and symbols carry the .md file's lines; every .vue script yields a segment in the right
 * language; segments without a job are rows with a reason.
 */
class EmbeddedCodeTest {
  @TempDir static Path tmp;
  static ExtractionRun.Outcome outcome;
  static Path repo;

  @BeforeAll
  static void extract() throws Exception {
    repo = EmbeddedFixtures.docsRepo(tmp.resolve("corpus"));
    outcome = Runs.extract(repo, tmp.resolve("out"));
  }

  /** 1-based line of the first occurrence of {@code needle}. */
  static int lineOf(String text, String needle) {
    int at = text.indexOf(needle);
    assertTrue(at >= 0, needle);
    return lineAt(text, at);
  }

  /** 1-based line of the character at {@code index}. */
  static int lineAt(String text, int index) {
    return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
  }

  @Test
  void everyFenceWithAGrammarIsAJobStartingAfterItsFenceLine() throws Exception {
    String guide = EmbeddedFixtures.GUIDE;
    List<List<Object>> expected = new ArrayList<>();
    int from = 0;
    for (String[] fence : new String[][] {
        {"```java\n", "java"}, {"```py\n", "python"}, {"```js\n", "javascript"}, {"```rust,ignore\n", "rust"},
        {"```java\n", "java"}}) {
      int at = guide.indexOf(fence[0], from);
      long contentStart = guide.substring(0, at + fence[0].length()).getBytes(StandardCharsets.UTF_8).length;
      expected.add(List.of(fence[1], contentStart, lineAt(guide, at) + 1, "parsed"));
      from = guide.indexOf("```\n", at + fence[0].length()) + 4;
    }
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      assertEquals(expected, db.query("""
          select language, start_byte, start_line, status from segments
          where path = 'docs/guide.md' and container_kind = 'markdown' and reason is null order by start_byte
          """), "one job per fence with a grammar, starting right after its fence line, on the next line");
      assertEquals(List.of(List.of("rust,ignore")),
          db.query("select declared_language from segments where path = 'docs/guide.md' and language = 'rust'"));
    }
  }

  @Test
  void chunksAndSymbolsOfFencesCarryTheMarkdownFilesLines() throws Exception {
    String guide = EmbeddedFixtures.GUIDE;
    Path md = repo.resolve("docs/guide.md");
    List<String> lines = Files.readAllLines(md);
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      for (String[] def : new String[][] {
          {"parse_config", "python", "def parse_config"}, {"checksum", "rust", "pub fn checksum"},
          {"render", "javascript", "function render"}, {"greet", "java", "static String greet"}}) {
        List<List<Object>> rows = db.query("select s.start_line, s.start_column, s.start_byte, c.start_line,"
            + " c.end_line from symbols s join chunks c on c.chunk_uid = s.chunk_uid"
            + " where s.path = 'docs/guide.md' and s.name = '" + def[0] + "' and s.role = 'definition'"
            + " and s.language = '" + def[1] + "'");
        assertEquals(1, rows.size(), def[0] + ": " + rows);
        int line = ((Number) rows.get(0).get(0)).intValue();
        assertEquals(lineOf(guide, def[2]), line, def[0] + " is defined on that line of the .md file");
        int column = ((Number) rows.get(0).get(1)).intValue();
        assertEquals(def[0], lines.get(line - 1).substring(column - 1, column - 1 + def[0].length()),
            "the column points at the name in the .md file");
        long start = ((Number) rows.get(0).get(2)).longValue();
        byte[] bytes = Files.readAllBytes(md);
        assertEquals(def[0], new String(bytes, (int) start, def[0].length(), StandardCharsets.UTF_8),
            "start_byte points at the name in the .md file");
        assertTrue(((Number) rows.get(0).get(3)).intValue() <= line && line <= ((Number) rows.get(0).get(4)).intValue(),
            "the chunk holding it spans that line: " + rows);
      }
      // Chunks tile every parsed segment, embedded ones included, and local offsets are segment-relative.
      List<List<Object>> gaps = db.query("""
          select s.segment_uid from segments s left join chunks c on c.segment_uid = s.segment_uid
          where s.status = 'parsed'
          group by s.segment_uid, s.start_byte, s.end_byte
          having coalesce(sum(c.end_byte - c.start_byte), 0) <> s.end_byte - s.start_byte
              or coalesce(min(c.start_byte - c.local_start_byte), s.start_byte) <> s.start_byte
          """);
      assertEquals(List.of(), gaps);
    }
  }

  @Test
  void everyVueScriptIsASegmentInItsLanguage() throws Exception {
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      assertEquals(List.of(List.of("ui/Counter.vue", "typescript", "ts"), List.of("ui/Legacy.vue", "javascript", "null")),
          db.query("""
              select path, language, coalesce(declared_language, 'null') from segments
              where container_kind = 'vue' and language in ('typescript', 'javascript') order by path
              """));
      List<List<Object>> increment = db.query("""
          select start_line, start_column, language from symbols
          where path = 'ui/Counter.vue' and name = 'increment' and role = 'definition'
          """);
      assertEquals(List.of(List.of(9, 10, "typescript")), increment, "line 9 of the .vue file, after 'function '");
      assertEquals(List.of(List.of("scss", "skipped", "no_grammar")), db.query(
          "select language, status, reason from segments where path = 'ui/Counter.vue' and wasm_key is null"));
      assertEquals(List.of(List.of("typescript"), List.of("css")), db.query(
          "select language from segments where path = 'ui/Badge.svelte' and container_kind = 'svelte'"
              + " order by start_byte"));
    }
  }

  @Test
  void htmlScriptsAndStylesAndJoblessSegments() throws Exception {
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      assertEquals(
          List.of(List.of("css", "null"), List.of("json", "null"), List.of("javascript", "null"),
              List.of("javascript", "null"), List.of("null", "unsupported_type")),
          db.query("select coalesce(language, 'null'), coalesce(reason, 'null') from segments"
              + " where path = 'web/index.html' and container_kind = 'html' order by start_byte"));
      assertEquals(List.of(List.of(lineOf(Files.readString(repo.resolve("web/index.html")), "function boot"))),
          db.query("select start_line from symbols where path = 'web/index.html' and name = 'boot'"
              + " and role = 'definition'"));
      List<List<Object>> jobless = db.query("""
          select path, coalesce(language, 'null'), reason from segments where reason is not null order by path, start_byte
          """);
      assertEquals(List.of(
          List.of("docs/book/ch1.md", "text", "no_grammar"),
          List.of("docs/guide.md", "mermaid", "no_grammar"),
          List.of("docs/guide.md", "null", "no_language"),
          List.of("ui/Counter.vue", "scss", "no_grammar"),
          List.of("web/index.html", "null", "unsupported_type")), jobless);
      // Files count all their segments, and every container is extracted.
      assertEquals(List.of(List.of(8L)), db.query(
          "select segment_count::bigint from files where path = 'docs/guide.md'"));
      assertFalse(db.query("select 1 from files where status <> 'extracted'").size() > 0);
    }
  }
}
