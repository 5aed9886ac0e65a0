package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.io.ParquetFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One extraction of a corpus full of bad inputs: the accounting invariant and a reason for every file. */
class ExtractEndToEndTest {
  @TempDir static Path tmp;
  static ExtractionRun.Outcome outcome;
  static Map<String, FileRow> files = new HashMap<>();

  @BeforeAll
  static void extract() throws Exception {
    Path repo = Fixtures.mixedRepo(tmp.resolve("corpus"));
    outcome = Runs.extract(repo, tmp.resolve("out"));
    for (String f : outcome.tables().get("files").files()) {
      for (FileRow row : ParquetFiles.readAll(outcome.snapshotDir().resolve(f), FileRow.class)) {
        files.put(row.getPath(), row);
      }
    }
  }

  @Test
  void everyListedFileHasExactlyOneRow() {
    List<String> expected = List.of("src/Main.java", "tools/report.py", "web/app.js", "lib/lib.rs",
        "broken/Broken.java", "empty.go", "crlf.c", "bom.ts", "blob.c", "latin1.java", "big.go", "notes.txt",
        "name with spaces.py", "scripts/run", "escape.py", "alias.java", "dangling.rs");
    assertEquals(expected.size(), outcome.tables().get("files").rows());
    assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(files.keySet()));
  }

  @Test
  void goodFilesAreExtracted() {
    for (String p : List.of("src/Main.java", "tools/report.py", "web/app.js", "lib/lib.rs", "broken/Broken.java",
        "empty.go", "crlf.c", "bom.ts", "name with spaces.py", "scripts/run")) {
      FileRow row = files.get(p);
      assertEquals(FileStatus.EXTRACTED, row.getStatus(), p + ": " + row);
      assertEquals(null, row.getReason(), p);
    }
    assertEquals("python", files.get("scripts/run").getLanguage(), "shebang detection");
  }

  @Test
  void badFilesHaveTheirReason() {
    assertReason("blob.c", FileStatus.SKIPPED, Reasons.BINARY);
    assertReason("latin1.java", FileStatus.SKIPPED, Reasons.NOT_UTF8);
    assertReason("big.go", FileStatus.SKIPPED, Reasons.OVER_FILE_CAP);
    assertReason("notes.txt", FileStatus.SKIPPED, Reasons.NO_GRAMMAR);
    assertReason("escape.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT);
    assertReason("alias.java", FileStatus.SKIPPED, Reasons.SYMLINK);
    assertReason("dangling.rs", FileStatus.SKIPPED, Reasons.SYMLINK_BROKEN);
  }

  private static void assertReason(String path, String status, String reason) {
    FileRow row = files.get(path);
    assertEquals(status, row.getStatus(), path);
    assertEquals(reason, row.getReason(), path);
    assertTrue(row.getDetail() != null && !row.getDetail().isBlank(), path + " has a human-readable detail");
  }

  @Test
  void publishedWithPlanAndRunJson() throws Exception {
    Path out = tmp.resolve("out");
    assertEquals(outcome.snapshotId(), Files.readString(out.resolve("CURRENT")).trim());
    ObjectMapper json = new ObjectMapper();
    JsonNode plan = json.readTree(outcome.snapshotDir().resolve("plan.json").toFile());
    assertEquals(outcome.planHash(), plan.get("planHash").asText());
    assertTrue(plan.get("wasmKeys").size() >= 6);
    JsonNode run = json.readTree(outcome.snapshotDir().resolve("run.json").toFile());
    assertEquals(17, run.get("tables").get("files").get("rows").asLong());
    // A run inside a JVM that goes on (this test runner, an embedding application) leaves the JIT alone.
    assertEquals("tiered", run.get("jit").asText());
    assertFalse(Files.exists(outcome.snapshotDir().resolve("_plan")), "plan work files are not published");
    // One parse path: one grammar load per (wasmKey, shard) group of the plan.
    long groups = plan.get("counts").get("grammarBatches").asLong();
    assertEquals(groups, outcome.report().metric("grammar_loads"));
    assertTrue(groups > plan.get("wasmKeys").size(), "the small shard target splits hot grammars: " + groups);
  }

  @Test
  void containerAbsoluteRowsPointIntoTheFile() throws Exception {
    try (var db = DuckDb.open(outcome.snapshotDir())) {
      // The syntax error in Broken.java is on line 3 ("int x = ;").
      List<List<Object>> rows = db.query(
          "select start_line, code from diagnostics where path = 'broken/Broken.java' and code <> 'missing_node'"
              + " order by start_byte");
      assertFalse(rows.isEmpty(), "Broken.java has a syntax diagnostic");
      assertEquals(3, ((Number) rows.get(0).get(0)).intValue());
      List<List<Object>> binary = db.query("select code, start_byte from diagnostics where path = 'blob.c'");
      assertEquals(List.of(List.of("binary", 3L)), binary);
    }
  }
}
