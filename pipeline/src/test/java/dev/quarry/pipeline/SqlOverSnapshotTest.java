package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analysts' view: DuckDB reads every table with hive partitioning, and joins across them make sense. */
class SqlOverSnapshotTest {
  @TempDir Path tmp;

  @Test
  void joinsChunksSymbolsAndFiles() throws Exception {
    Path repo = Fixtures.mixedRepo(tmp.resolve("corpus"));
    ExtractionRun.Outcome o = Runs.extract(repo, tmp.resolve("out"));
    try (DuckDb db = DuckDb.open(o.snapshotDir())) {
      assertEquals(List.of(List.of("demo")), db.query("select distinct repo from files"));
      // Where is Main.twice defined, in which chunk, and what file status?
      List<List<Object>> rows = db.query("""
          select f.status, s.kind, s.start_line, c.kind as chunk_kind, c.start_line <= s.start_line
          from symbols s
          join chunks c on c.chunk_uid = s.chunk_uid
          join files f on f.repo = s.repo and f.path = s.path
          where s.path = 'src/Main.java' and s.name = 'twice' and s.role = 'definition'
          """);
      assertEquals(1, rows.size(), rows.toString());
      assertEquals("extracted", rows.get(0).get(0));
      assertEquals(11, ((Number) rows.get(0).get(2)).intValue());
      assertEquals(true, rows.get(0).get(4));
      // Chunks tile every parsed segment exactly.
      List<List<Object>> gaps = db.query("""
          select s.path, s.end_byte - s.start_byte as seg_len, sum(c.end_byte - c.start_byte) as chunk_len
          from segments s left join chunks c on c.segment_uid = s.segment_uid
          where s.status = 'parsed'
          group by all having coalesce(sum(c.end_byte - c.start_byte), 0) <> s.end_byte - s.start_byte
          """);
      assertTrue(gaps.isEmpty(), "chunks tile segments: " + gaps);
      // Every table has its partition column and rows.
      for (String t : List.of("files", "segments", "chunks", "symbols", "diagnostics")) {
        assertFalse(db.query("select count(*) from " + t + " where repo = 'demo'").isEmpty());
      }
    }
  }
}
