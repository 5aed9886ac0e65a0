package dev.quarry.pipeline.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quarry.pipeline.Manifests;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.io.ParquetFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run over the whole bad-input corpus ({@link HostileCorpus}), the way a nightly run meets it: {@code quarry
 * scan} lists both roots, the corpus changes under it, a hostile hand adds manifest rows pointing outside the roots,
 * and {@code quarry extract --manifest} runs in a child JVM with a 512 MiB heap (and, where the machine allows,
 * without the privilege to read mode-000 files). The run must publish; every file must have exactly one
 * {@code files} row with the status and the specific reason of its class; nothing outside a root may be read.
 * docs/hostile-inputs.md lists the classes and what each yields.
 */
class HostileInputsEndToEndTest {
  /** Peak resident memory allowed to the child: 512 MiB of heap plus the JVM, Beam's threads and tree-sitter. */
  static final long MAX_RSS_KIB = 1_500_000;
  private static final Set<String> QUIET = Set.of(Reasons.NO_GRAMMAR, Reasons.SYMLINK);
  private static final long DEFAULT_FILE_CAP = 4L << 20;

  // Kept when a test fails, to look at the corpus, the logs and the snapshot.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) static Path tmp;
  static HostileCorpus corpus;
  static QuarryChild.Result scan;
  static QuarryChild.Result extract;
  static Path snapshot;
  static SnapshotSql sql;
  /** files rows by repo + NUL + path (a list, so duplicates show). */
  static final Map<String, List<Map<String, Object>>> files = new TreeMap<>();

  @BeforeAll
  static void runTheCorpus() throws Exception {
    boolean locking = Unprivileged.canProduceUnreadableFiles(tmp);
    if (!locking) {
      System.out.println("hostile corpus: this machine cannot make a file unreadable to a child process (root"
          + " without setpriv): the permission cases are left out");
    }
    corpus = HostileCorpus.create(tmp.resolve("corpus"), locking);
    Path manifest = tmp.resolve("manifest.parquet");
    scan = QuarryChild.run(tmp.resolve("logs/scan.log"), locking, 300, List.of(
        "scan", "--source", corpus.gitRoot.toString(), "--source", corpus.walkRoot.toString(),
        "--out", manifest.toString()));
    assertEquals(0, scan.exitCode(), "quarry scan failed:\n" + scan.output());

    List<ManifestRow> rows = new ArrayList<>(ParquetFiles.readAll(manifest, ManifestRow.class));
    rows.addAll(corpus.hostileRows());
    Path edited = tmp.resolve("edited-manifest.parquet");
    Manifests.write(edited, rows);
    corpus.afterScan();

    Path out = tmp.resolve("out");
    extract = QuarryChild.run(tmp.resolve("logs/extract.log"), locking, 600,
        List.of("extract", "--manifest", edited.toString(), "--out", out.toString()));
    assertEquals(0, extract.exitCode(), "quarry extract failed:\n" + QuarryChild.tail(tmp.resolve("logs/extract.log")));
    snapshot = SnapshotSql.current(out);
    sql = SnapshotSql.open(snapshot);
    for (Map<String, Object> f : sql.rows("select * from files")) {
      files.computeIfAbsent(key(f), k -> new ArrayList<>()).add(f);
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (sql != null) {
      sql.close();
    }
  }

  @Test
  void theRunPublishesWithoutRunningOutOfStackOrMemory() throws Exception {
    assertTrue(Files.isRegularFile(snapshot.resolve("run.json")), "published: " + snapshot);
    System.out.println("hostile corpus: " + files.size() + " files; peak RSS of the scan " + scan.peakRssKiB()
        + " KiB, of the extraction " + extract.peakRssKiB() + " KiB (" + QuarryChild.HEAP + ")");
    for (String bad : List.of("StackOverflowError", "OutOfMemoryError", "Exception in thread")) {
      assertFalse(extract.output().contains(bad), bad + " in the run's output:\n" + extract.output());
    }
    // -XX:+ExitOnOutOfMemoryError turns any OOM into a failed run; the resident set is bounded as well.
    assertTrue(extract.peakRssKiB() < MAX_RSS_KIB,
        "peak RSS " + extract.peakRssKiB() + " KiB is over " + MAX_RSS_KIB + " KiB");
  }

  @Test
  void everyFileHasExactlyOneRowWithTheReasonOfItsClass() {
    List<String> problems = new ArrayList<>();
    files.forEach((k, rows) -> {
      if (rows.size() != 1) {
        problems.add(rows.size() + " rows for " + k.replace('\0', '/'));
      }
    });
    for (HostileCorpus.Expected e : corpus.expected().values()) {
      List<Map<String, Object>> rows = files.get(e.key());
      if (rows == null) {
        problems.add("no row for " + e.repo() + "/" + e.path() + " (" + e.what() + "), expected " + e.status() + " "
            + e.reason());
        continue;
      }
      Map<String, Object> f = rows.get(0);
      if (!e.status().equals(f.get("status")) || !Objects.equals(e.reason(), f.get("reason"))) {
        problems.add(e.repo() + "/" + e.path() + " (" + e.what() + "): expected " + e.status() + " " + e.reason()
            + ", got " + f.get("status") + " " + f.get("reason") + " (" + f.get("detail") + ")");
      }
    }
    for (String k : files.keySet()) {
      if (!corpus.expected().containsKey(k)) {
        Map<String, Object> f = files.get(k).get(0);
        problems.add("unexpected row " + k.replace('\0', '/') + ": " + f.get("status") + " " + f.get("reason"));
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " problems:\n  " + String.join("\n  ", problems));
    }
  }

  /** Every problem is a diagnostic too, pointing at the first offending byte where there is one. */
  @Test
  void everyProblemHasADiagnosticAtItsFirstBadByte() throws Exception {
    Map<String, List<Map<String, Object>>> byFile = new HashMap<>();
    for (Map<String, Object> d : sql.rows("select * from diagnostics where code not in ('syntax_error', 'missing_node')")) {
      byFile.computeIfAbsent(key(d), k -> new ArrayList<>()).add(d);
    }
    List<String> problems = new ArrayList<>();
    for (HostileCorpus.Expected e : corpus.expected().values()) {
      if (e.reason() == null || QUIET.contains(e.reason())) {
        continue;
      }
      List<Map<String, Object>> ds = byFile.getOrDefault(e.key(), List.of()).stream()
          .filter(d -> e.reason().equals(d.get("code"))).toList();
      if (ds.size() != 1) {
        problems.add(e.repo() + "/" + e.path() + ": " + ds.size() + " diagnostics with code " + e.reason());
        continue;
      }
      Map<String, Object> d = ds.get(0);
      String severity = e.status().equals(FileStatus.FAILED) ? "error" : "warning";
      if (!severity.equals(d.get("severity"))) {
        problems.add(e.repo() + "/" + e.path() + ": severity " + d.get("severity") + ", expected " + severity);
      }
      if (e.diagnosticAt() != null && e.diagnosticAt() != ((Number) d.get("start_byte")).longValue()) {
        problems.add(e.repo() + "/" + e.path() + ": diagnostic at byte " + d.get("start_byte") + ", expected "
            + e.diagnosticAt());
      }
      Object message = d.get("message");
      if (message == null || message.toString().isBlank()) {
        problems.add(e.repo() + "/" + e.path() + ": a diagnostic without a message");
      }
    }
    if (!problems.isEmpty()) {
      fail(problems.size() + " problems:\n  " + String.join("\n  ", problems));
    }
  }

  /** A file that failed keeps no parsed rows: never a mix of the scanned bytes and the changed ones. */
  @Test
  void failedFilesKeepNoParsedRows() throws Exception {
    List<Map<String, Object>> mixed = sql.rows("""
        select f.repo, f.path, f.reason,
               (select count(*) from chunks c where c.repo = f.repo and c.path = f.path) as chunks,
               (select count(*) from symbols s where s.repo = f.repo and s.path = f.path) as symbols,
               (select count(*) from segments s where s.repo = f.repo and s.path = f.path and s.status = 'parsed')
                 as parsed_segments
        from files f
        where f.status = 'failed'
          and f.reason in ('changed_during_run', 'deleted_during_run', 'unreadable')
        """);
    assertFalse(mixed.isEmpty());
    for (Map<String, Object> row : mixed) {
      assertEquals(0L, ((Number) row.get("chunks")).longValue(), row.toString());
      assertEquals(0L, ((Number) row.get("symbols")).longValue(), row.toString());
      assertEquals(0L, ((Number) row.get("parsed_segments")).longValue(), row.toString());
    }
  }

  /**
   * The secret lives only outside the roots, as a function name and inside a syntax error: any read of it would
   * put it in {@code symbols} or in a diagnostic's snippet. It appears nowhere, and no refused row was parsed.
   */
  @Test
  void nothingOutsideARootIsRead() throws Exception {
    for (String table : SnapshotSql.TABLES) {
      long hits = sql.count("select count(*) from " + table + " t where cast(t as varchar) like "
          + SnapshotSql.literal("%" + corpus.secret + "%"));
      assertEquals(0, hits, table + " holds bytes from outside the roots");
    }
    for (String json : List.of("plan.json", "run.json")) {
      assertFalse(Files.readString(snapshot.resolve(json), StandardCharsets.UTF_8).contains(corpus.secret), json);
    }
    Set<String> withSegments = new java.util.HashSet<>();
    sql.rows("select distinct repo, path from segments").forEach(s -> withSegments.add(key(s)));
    Set<String> refused = Set.of(Reasons.OUTSIDE_ROOT, Reasons.SYMLINK_OUTSIDE_ROOT, Reasons.SYMLINK_BROKEN,
        Reasons.SYMLINK);
    for (HostileCorpus.Expected e : corpus.expected().values()) {
      if (e.reason() != null && refused.contains(e.reason())) {
        Map<String, Object> f = files.get(e.key()).get(0);
        assertEquals(null, f.get("file_sha256"), e.path() + ": a refused row carries no hash");
        assertFalse(withSegments.contains(e.key()), e.path() + " has segments");
      }
    }
  }

  @Test
  void pathologicalFilesAreParsedWholeAndTiled() throws Exception {
    // Nesting 100,000 levels deep: every level is a node, no stack overflow, no truncated tree.
    for (String path : List.of("deep/deep.json", "deep/deep.js", "deep/deep.c")) {
      Map<String, Object> seg = sql.rows("select node_count, error_count, status from segments where repo = 'hostile-git'"
          + " and path = " + SnapshotSql.literal(path)).get(0);
      assertEquals("parsed", seg.get("status"), path);
      assertTrue(((Number) seg.get("node_count")).longValue() > 2L * HostileCorpus.DEPTH, path + ": " + seg);
    }
    assertEquals(0L, ((Number) sql.value("select error_count from segments where path = 'deep/deep.json'")).longValue());
    // The 1 MB identifier is one token: its chunk is over max-chunk-bytes because tokens are never split.
    Map<String, Object> big = sql.rows("""
        select end_byte - start_byte as bytes, len(token_buckets) as buckets from chunks
        where path = 'ident/huge.js' order by bytes desc limit 1""").get(0);
    assertTrue(((Number) big.get("bytes")).longValue() >= HostileCorpus.IDENTIFIER_BYTES, big.toString());
    assertEquals(1L, ((Number) big.get("buckets")).longValue(), big.toString());
    // Chunks tile every parsed whole file exactly: contiguous from 0 to its size.
    List<Map<String, Object>> gaps = sql.rows("""
        with c as (
          select c.repo, c.path, c.start_byte, c.end_byte,
                 lag(c.end_byte, 1, 0) over (partition by c.repo, c.path order by c.start_byte) as previous_end
          from chunks c join segments s on s.repo = c.repo and s.path = c.path and s.segment_uid = c.segment_uid
          where s.container_kind = 'file')
        select repo, path, start_byte, previous_end from c where start_byte <> previous_end""");
    assertEquals(List.of(), gaps, "chunks leave gaps or overlap");
    List<Map<String, Object>> untiled = sql.rows("""
        select f.repo, f.path, f.size_bytes, max(c.end_byte) as covered
        from files f join segments s on s.repo = f.repo and s.path = f.path and s.container_kind = 'file'
        left join chunks c on c.repo = s.repo and c.path = s.path and c.segment_uid = s.segment_uid
        where f.status = 'extracted'
        group by all
        having coalesce(max(c.end_byte), 0) <> f.size_bytes""");
    assertEquals(List.of(), untiled, "chunks must end where the file ends");
    // Pathological containers: every fence is a segment (with a job or a reason), nothing overlaps.
    long fences = sql.count("select count(*) from segments where path = 'containers/fences.md'"
        + " and container_kind = 'markdown'");
    assertEquals(HostileCorpus.FENCES, fences);
  }

  @Test
  void bomAndLineEndingsKeepOffsetsAndLines() throws Exception {
    for (String repo : List.of(HostileCorpus.GIT, HostileCorpus.WALK)) {
      String r = SnapshotSql.literal(repo);
      // "\uFEFFexport function bom()": the BOM's three bytes stay in the offsets.
      assertEquals(19L, sql.count("select start_byte from symbols where repo = " + r
          + " and path = 'enc/bom.ts' and name = 'bom' and role = 'definition'"));
      // CRLF: one line per \r\n.
      assertEquals(5L, sql.count("select start_line from symbols where repo = " + r
          + " and path = 'lines/crlf.c' and name = 'b' and role = 'definition'"));
      // Mixed: a lone \r does not end a line (as tree-sitter counts).
      assertEquals(6L, sql.count("select start_line from symbols where repo = " + r
          + " and path = 'lines/mixed.py' and name = 'c' and role = 'definition'"));
      assertEquals(1L, sql.count("select start_line from symbols where repo = " + r
          + " and path = 'lines/cr-only.js' and name = 'b' and role = 'definition'"));
      assertEquals(0L, sql.count("select count(*) from chunks where repo = " + r + " and path = 'empty/empty.go'"));
      assertEquals(1L, sql.count("select count(*) from chunks where repo = " + r + " and path = 'empty/blank.py'"));
    }
  }

  @Test
  void namesArriveExactlyAsWritten() throws Exception {
    List<Map<String, Object>> named = sql.rows("""
        select f.repo, f.path, count(s.name) as definitions from files f
        left join symbols s on s.repo = f.repo and s.path = f.path and s.role = 'definition'
        where f.path like 'names/%' and f.status = 'extracted' group by all""");
    assertEquals(2 * 11, named.size(), named.toString());
    for (Map<String, Object> row : named) {
      assertEquals(1L, ((Number) row.get("definitions")).longValue(), row.toString());
    }
    assertTrue(files.containsKey(HostileCorpus.GIT + "\0names/new\nline.py"), "a newline in a name (git ls-files -z)");
    assertTrue(files.containsKey(HostileCorpus.WALK + "\0names/new\nline.py"), "a newline in a name (walk)");
  }

  @Test
  void capsAndBudgetsHold() throws Exception {
    JsonNode plan = new ObjectMapper().readTree(snapshot.resolve("plan.json").toFile());
    assertEquals(DEFAULT_FILE_CAP, plan.get("config").get("maxFileBytes").asLong());
    JsonNode run = new ObjectMapper().readTree(snapshot.resolve("run.json").toFile());
    assertEquals(0, run.get("metrics").get("timeouts").asLong(), "no parse of this corpus needs the 10 s budget");
    assertEquals(0L, sql.count("select count(*) from files where status = 'extracted' and size_bytes > "
        + DEFAULT_FILE_CAP));
    assertEquals(0L, sql.count("select count(*) from segments where path = 'big/minified.min.js'"),
        "a file over the cap is never read");
  }

  private static String key(Map<String, Object> row) {
    return row.get("repo") + "\0" + row.get("path");
  }
}
