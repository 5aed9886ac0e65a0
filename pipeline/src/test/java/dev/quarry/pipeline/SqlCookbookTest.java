package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every query of docs/sql-cookbook.md runs against a real snapshot, so the cookbook cannot rot. */
class SqlCookbookTest {
  @TempDir Path tmp;

  @Test
  void everyCookbookQueryRuns() throws Exception {
    Path cookbook = Path.of("..", "docs", "sql-cookbook.md");
    List<String> queries = new ArrayList<>();
    Matcher m = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(cookbook));
    while (m.find()) {
      queries.add(m.group(1).strip());
    }
    assertTrue(queries.size() >= 6, "cookbook has queries: " + queries.size());
    ExtractionRun.Outcome o = Runs.extract(Fixtures.mixedRepo(tmp.resolve("corpus")), tmp.resolve("out"));
    try (DuckDb db = DuckDb.open(o.snapshotDir())) {
      for (String q : queries) {
        String sql = q.replace("out/snapshots/*/run.json", o.snapshotDir().resolve("run.json").toString())
            .replace(";", "");
        List<List<Object>> rows = db.query(sql);
        if (!q.contains("'parse'")) {
          assertFalse(rows.isEmpty(), "query returned rows: " + q);
        }
      }
    }
  }
}
