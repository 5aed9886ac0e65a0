package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.incremental.PreviousSnapshot;
import dev.quarry.transforms.incremental.Worklists;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.publish.TableDigests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental runs: a run that builds on the published snapshot writes exactly the tables a full run on the same
 * tree writes (byte for byte, {@code files.status} aside), while parsing only its worklists.
 */
class IncrementalRunTest {
  @TempDir Path tmp;

  private List<Path> corpus() throws Exception {
    Path parent = tmp.resolve("corpus");
    return List.of(Fixtures.mixedRepo(parent), EmbeddedFixtures.docsRepo(parent));
  }

  @Test
  void anIncrementalRunEqualsAFullRunAfterEditsAdditionsDeletionsAndARename() throws Exception {
    List<Path> roots = corpus();
    Path demo = roots.get(0);
    Path site = roots.get(1);
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    assertEquals("full", first.worklists().mode());

    Fixtures.write(demo, "src/Main.java", Files.readString(demo.resolve("src/Main.java"))
        .replace("return x + 1;", "return x + 2; // edited"));
    Fixtures.write(demo, "web/new.ts", "export function added(n: number): number { return n * 3; }\n");
    Files.delete(demo.resolve("tools/report.py"));
    Files.move(demo.resolve("lib/lib.rs"), demo.resolve("lib/point.rs"));
    Fixtures.write(site, "docs/book/ch1.md", Files.readString(site.resolve("docs/book/ch1.md"))
        .replace("range(10)", "range(12)"));
    // Touched, same bytes: the scan re-hashes it (mtime changed) and finds it unchanged.
    Path crlf = demo.resolve("crlf.c");
    Files.setLastModifiedTime(crlf, FileTime.fromMillis(Files.getLastModifiedTime(crlf).toMillis() + 60_000));

    ExtractionRun.Outcome inc = Incremental.run(roots, out, false);
    ExtractionRun.Outcome full = Incremental.run(roots, tmp.resolve("fresh"), false);
    assertEquals("incremental", inc.worklists().mode());
    assertEquals("full", full.worklists().mode());
    Incremental.assertSameTables(full.snapshotDir(), inc.snapshotDir());
    assertEquals(full.planHash(), inc.planHash(), "an incremental run has the full plan");
    assertEquals(Files.readString(full.snapshotDir().resolve("plan.json")),
        Files.readString(inc.snapshotDir().resolve("plan.json")));

    Worklists.FileCounts c = inc.worklists().counts();
    assertEquals(2, c.added(), "web/new.ts and lib/point.rs");
    assertEquals(2, c.deleted(), "tools/report.py and lib/lib.rs");
    assertEquals(2, c.changed(), "src/Main.java and docs/book/ch1.md");
    assertEquals(first.tables().get("files").rows() - 4, c.unchanged());
    assertEquals(0, c.reparsed());
    // Main.java, new.ts, point.rs, and ch1.md with its python, java and js fences.
    assertEquals(7, inc.worklists().executedJobs());
    assertEquals(7, inc.report().metric("jobs"));
    assertEquals(inc.worklists().work().stream().map(Planner::batchKey).distinct().count(),
        inc.report().metric("grammar_loads"), "one grammar load per group of the worklist");
    assertTrue(inc.worklists().executedBytes() < inc.worklists().plannedBytes() / 4, inc.worklists().report().toString());
    // Row groups of untouched files are copied from the previous snapshot, and the bytes still equal a full run's.
    assertTrue(inc.report().metric("file_groups_copied") > 0, "row groups copied");
    assertTrue(inc.report().metric("file_groups_copied") < inc.report().metric("file_groups"), "row groups encoded");
    assertEquals(0, full.report().metric("file_groups_copied"));

    Map<String, FileRow> rows = byPath(Incremental.allFileRows(inc.snapshotDir()));
    assertEquals(FileStatus.EXTRACTED, rows.get("demo/src/Main.java").getStatus());
    assertEquals(FileStatus.EXTRACTED, rows.get("demo/lib/point.rs").getStatus());
    assertEquals(FileStatus.UNCHANGED, rows.get("demo/web/app.js").getStatus());
    assertEquals(null, rows.get("demo/web/app.js").getReason());
    assertEquals(FileStatus.UNCHANGED, rows.get("demo/crlf.c").getStatus());
    assertEquals(FileStatus.SKIPPED, rows.get("demo/blob.c").getStatus(), "a carried skip keeps its status");
    assertEquals(Reasons.BINARY, rows.get("demo/blob.c").getReason());
    assertFalse(rows.containsKey("demo/tools/report.py"));
    assertFalse(rows.containsKey("demo/lib/lib.rs"));

    JsonNode report = PlanJson.MAPPER.readTree(inc.snapshotDir().resolve("run.json").toFile());
    assertEquals("incremental", report.path("incremental").path("mode").asText());
    assertEquals(2, report.path("incremental").path("files").path("deleted").asLong());
    assertEquals(inc.worklists().plannedBytes() - inc.worklists().executedBytes(),
        report.path("incremental").path("bytes").path("saved").asLong());
    assertTrue(report.path("versions").path("tables").has("chunks"));
  }

  @Test
  void aRerunWithoutChangesParsesNothingAndReusesEveryBucketWhole() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    ExtractionRun.Outcome again = Incremental.run(roots, out, false);
    assertEquals(0, again.worklists().executedJobs());
    assertEquals(0, again.report().metric("jobs"));
    assertEquals(0, again.report().metric("grammar_loads"));
    assertEquals(first.worklists().plannedBytes(), again.worklists().plannedBytes());
    int buckets = Incremental.parquetFiles(first.snapshotDir(), Table.FILES).size();
    assertEquals(buckets, again.worklists().linkedBuckets().size(), "every bucket is reused whole");
    assertEquals(Map.of(), again.worklists().carried(), "nothing is read row by row");
    assertEquals(buckets, again.report().metric("parquet_files"), "only the files tables are written");
    Incremental.assertSameTables(first.snapshotDir(), again.snapshotDir());
    for (Table table : List.of(Table.SEGMENTS, Table.CHUNKS, Table.SYMBOLS, Table.DIAGNOSTICS)) {
      for (String f : Incremental.parquetFiles(first.snapshotDir(), table)) {
        assertTrue(Files.isSameFile(first.snapshotDir().resolve(f), again.snapshotDir().resolve(f)), f + " is linked");
      }
    }
    for (FileRow r : Incremental.allFileRows(again.snapshotDir())) {
      assertTrue(List.of(FileStatus.UNCHANGED, FileStatus.SKIPPED).contains(r.getStatus()), r.toString());
    }
    assertEquals(first.tables().get("chunks").digest(), again.tables().get("chunks").digest());
    assertEquals(TableDigests.of(again.snapshotDir()), again.tables(),
        "the digests taken from the previous run.json for the linked files are the ones their bytes have");
  }

  @Test
  void anUnchangedContainerIsPlannedFromTheSnapshotWithoutBeingRead() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    assertTrue(Files.isRegularFile(first.snapshotDir().resolve(PreviousSnapshot.CONTAINERS)));
    // The bytes of a Markdown file change behind the scan's back: same size, same mtime, so its hash is reused. A
    // planner that read the file would find bytes that are not the scanned ones (changed_during_run); one that plans
    // it from the snapshot's segments carries it.
    Path ch1 = roots.get(1).resolve("docs/book/ch1.md");
    FileTime mtime = Files.getLastModifiedTime(ch1);
    Files.writeString(ch1, Files.readString(ch1).replace("chapter_one", "chapter_two"));
    Files.setLastModifiedTime(ch1, mtime);
    ExtractionRun.Outcome again = Incremental.run(roots, out, false);
    assertEquals(0, again.worklists().executedJobs());
    assertEquals(FileStatus.UNCHANGED, byPath(Incremental.allFileRows(again.snapshotDir())).get("site/docs/book/ch1.md")
        .getStatus());
    Incremental.assertSameTables(first.snapshotDir(), again.snapshotDir());
    assertEquals(Files.readString(first.snapshotDir().resolve("plan.json")),
        Files.readString(again.snapshotDir().resolve("plan.json")));
    assertEquals(Files.readAllBytes(first.snapshotDir().resolve(PreviousSnapshot.CONTAINERS)).length,
        Files.readAllBytes(again.snapshotDir().resolve(PreviousSnapshot.CONTAINERS)).length);
  }

  @Test
  void linkedFilesTakeTheirDigestsFromThePreviousRunJsonUnlessItsEntriesDoNotFit() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    List<String> chunks = first.tables().get("chunks").files();
    assertTrue(chunks.size() >= 2, chunks.toString());

    // The seam: the published snapshot's run.json is edited; its table files are not.
    Path runJson = first.snapshotDir().resolve("run.json");
    ObjectNode run = (ObjectNode) PlanJson.MAPPER.readTree(runJson.toFile());
    ObjectNode tables = (ObjectNode) run.path("tables");
    // Well-formed and the file's size: taken as it is, which shows that the file is not read.
    String notRead = "0".repeat(64);
    ((ObjectNode) tables.path("chunks").path("fileDigests").get(0)).put("sha256", notRead);
    // Another size than the file's: the file is read.
    ObjectNode stale = (ObjectNode) tables.path("chunks").path("fileDigests").get(1);
    stale.put("sha256", notRead).put("bytes", stale.path("bytes").asLong() + 1);
    // Not a sha256: the file is read.
    ((ObjectNode) tables.path("segments").path("fileDigests").get(0)).put("sha256", "not a sha256");
    // No per-file digests (a run.json of an older Quarry): the files are read.
    ((ObjectNode) tables.path("symbols")).remove("fileDigests");
    Files.writeString(runJson, PlanJson.MAPPER.writeValueAsString(run));

    ExtractionRun.Outcome again = Incremental.run(roots, out, false);
    assertEquals(first.tables().keySet(), again.tables().keySet());
    Map<String, TableDigests.TableDigest> read = TableDigests.of(again.snapshotDir());
    again.tables().forEach((table, d) -> d.byFile().forEach((f, digest) -> {
      assertTrue(again.worklists().linkedFiles().contains(f) || table.equals("files"), f);
      assertEquals(f.equals(chunks.get(0)) ? notRead : read.get(table).byFile().get(f).sha256(), digest.sha256(), f);
      assertEquals(read.get(table).byFile().get(f).rows(), digest.rows(), f);
    }));
  }

  @Test
  void bumpingOneConsumersVersionRerunsOnlyThatConsumer() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false, false, 100, Runs.CONFIG);
    // Jobs that parsed; the others are of files skipped as binary or not UTF-8, which have no consumer rows.
    long parsed = segments(first.snapshotDir()).stream().filter(s -> s.getStatus().equals("parsed")).count();
    assertTrue(parsed < first.report().metric("jobs"));

    for (String table : List.of("symbols", "chunks", "diagnostics")) {
      Path previous = Path.of(Files.readString(out.resolve("CURRENT")).trim());
      // The seam: the published snapshot says it was made with another version of this consumer.
      setTableVersion(out.resolve("snapshots").resolve(previous), table, table + "-0");
      ExtractionRun.Outcome bumped = Incremental.run(roots, out, false, false, 100, Runs.CONFIG);
      assertEquals(parsed, bumped.report().metric("jobs"), table + ": every job that parses is parsed once");
      for (String consumer : List.of("chunks", "symbols", "diagnostics")) {
        assertEquals(consumer.equals(table) ? parsed : 0, bumped.report().metric("consumer_" + consumer),
            table + " bumped: jobs that ran the " + consumer + " consumer");
      }
      assertEquals(Map.of(table, parsed), nonZero(bumped.worklists().jobsByTable()));
      Incremental.assertSameTables(first.snapshotDir(), bumped.snapshotDir());
      // The new snapshot records the current version again: the next run parses nothing.
      assertEquals(0, Incremental.run(roots, out, false, false, 100, Runs.CONFIG).worklists().executedJobs());
    }
  }

  @Test
  void aGrammarUpgradeReparsesOnlyThatGrammarsJobs() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    String python = GrammarRegistry.get().byName("python").orElseThrow().wasmKey();
    List<SegmentRow> pythonJobs = segments(first.snapshotDir()).stream()
        .filter(s -> python.equals(s.getWasmKey())).toList();
    assertTrue(pythonJobs.stream().anyMatch(s -> !s.getContainerKind().equals("file")), "python fences are jobs too");

    // The seam: the published snapshot says its python rows came from an older build of the grammar.
    String older = "python-0000000000000000";
    rewrite(first.snapshotDir(), Table.SEGMENTS, SegmentRow.class,
        s -> python.equals(s.getWasmKey()) ? SegmentRow.newBuilder(s).setWasmKey(older).build() : s);
    rewrite(first.snapshotDir(), Table.FILES, FileRow.class,
        f -> python.equals(f.getWasmKey()) ? FileRow.newBuilder(f).setWasmKey(older).build() : f);

    ExtractionRun.Outcome upgraded = Incremental.run(roots, out, false);
    assertEquals(pythonJobs.size(), upgraded.report().metric("jobs"), "exactly the python jobs are parsed");
    assertEquals(pythonJobs.size(), upgraded.worklists().executedJobs());
    ExtractionRun.Outcome full = Incremental.run(roots, tmp.resolve("fresh"), false);
    Incremental.assertSameTables(full.snapshotDir(), upgraded.snapshotDir());
    Map<String, FileRow> rows = byPath(Incremental.allFileRows(upgraded.snapshotDir()));
    assertEquals(FileStatus.EXTRACTED, rows.get("demo/tools/report.py").getStatus());
    assertEquals(FileStatus.EXTRACTED, rows.get("site/docs/book/ch1.md").getStatus(), "its python fence was parsed");
    assertEquals(FileStatus.UNCHANGED, rows.get("demo/src/Main.java").getStatus());
  }

  @Test
  void fullRebuildsEveryTableAndAFailedFileIsRetried() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome first = Incremental.run(roots, out, false);
    ExtractionRun.Outcome full = Incremental.run(roots, out, true);
    assertEquals("full", full.worklists().mode());
    assertEquals("--full", full.worklists().fullReason());
    assertEquals(first.report().metric("jobs"), full.report().metric("jobs"));
    assertEquals(0, full.worklists().linkedBuckets().size());
    DeterminismTest.parquetFiles(first.snapshotDir()).forEach(f -> {
      try {
        assertFalse(Files.isSameFile(first.snapshotDir().resolve(f), full.snapshotDir().resolve(f)), f);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Incremental.assertSameTables(first.snapshotDir(), full.snapshotDir());

    // A file the previous snapshot has as failed is parsed again, even with the same bytes.
    rewrite(full.snapshotDir(), Table.FILES, FileRow.class, f -> (f.getRepo() + "/" + f.getPath()).equals("demo/web/app.js")
        ? FileRow.newBuilder(f).setStatus(FileStatus.FAILED).setReason(Reasons.PARSE_TIMEOUT).build() : f);
    ExtractionRun.Outcome retried = Incremental.run(roots, out, false);
    assertEquals(1, retried.report().metric("jobs"));
    assertEquals(1, retried.worklists().counts().reparsed());
    assertEquals(FileStatus.EXTRACTED,
        byPath(Incremental.allFileRows(retried.snapshotDir())).get("demo/web/app.js").getStatus());
  }

  @Test
  void hashesAreReusedWhenSizeAndMtimeMatchUnlessVerified() throws Exception {
    List<Path> roots = corpus();
    Path demo = roots.get(0);
    Path out = tmp.resolve("out");
    Incremental.run(roots, out, false);
    // Same size, same mtime, other bytes: only --verify-hashes can see it.
    Path app = demo.resolve("web/app.js");
    FileTime mtime = Files.getLastModifiedTime(app);
    String text = Files.readString(app);
    Files.writeString(app, text.replace("hello", "howdy"));
    Files.setLastModifiedTime(app, mtime);

    ExtractionRun.Outcome trusting = Incremental.run(roots, out, false);
    assertEquals(0, trusting.worklists().counts().changed());
    assertEquals(0, trusting.report().metric("jobs"));
    ExtractionRun.Outcome verified = Incremental.run(roots, out, false, true, 3, Runs.CONFIG);
    assertEquals(1, verified.worklists().counts().changed());
    assertEquals(1, verified.report().metric("jobs"));
    Incremental.assertSameTables(Incremental.run(roots, tmp.resolve("fresh"), false).snapshotDir(),
        verified.snapshotDir());
  }

  @Test
  void retentionRemovesOldSnapshotsAndLeavesTheLinkedFilesOfTheCurrentOneWhole() throws Exception {
    List<Path> roots = corpus();
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome last = null;
    for (int i = 0; i < 4; i++) {
      last = Incremental.run(roots, out, false, false, 2, Runs.CONFIG);
    }
    List<String> snapshots;
    try (Stream<Path> s = Files.list(out.resolve("snapshots"))) {
      snapshots = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(2, snapshots.size(), snapshots.toString());
    assertEquals(last.snapshotId(), snapshots.get(1));
    // The current snapshot's files were linked from snapshots that are gone now; they are still whole.
    JsonNode runJson = PlanJson.MAPPER.readTree(last.snapshotDir().resolve("run.json").toFile());
    TableDigests.of(last.snapshotDir()).forEach((table, d) ->
        assertEquals(runJson.path("tables").path(table).path("digest").asText(), d.digest(), table));
    assertNotEquals(0, last.tables().get("chunks").rows());
  }

  private static Map<String, Long> nonZero(Map<String, Long> m) {
    Map<String, Long> out = new java.util.TreeMap<>();
    m.forEach((k, v) -> {
      if (v != 0) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Rows by {@code repo/path}. */
  static Map<String, FileRow> byPath(List<FileRow> rows) {
    Map<String, FileRow> m = new java.util.HashMap<>();
    rows.forEach(r -> m.put(r.getRepo() + "/" + r.getPath(), r));
    return m;
  }

  static List<SegmentRow> segments(Path snapshot) throws Exception {
    List<SegmentRow> rows = new ArrayList<>();
    for (String f : Incremental.parquetFiles(snapshot, Table.SEGMENTS)) {
      rows.addAll(ParquetFiles.readAll(snapshot.resolve(f), SegmentRow.class));
    }
    return rows;
  }

  static void setTableVersion(Path snapshot, String table, String version) throws Exception {
    Path plan = snapshot.resolve("plan.json");
    ObjectNode root = (ObjectNode) PlanJson.MAPPER.readTree(plan.toFile());
    ((ObjectNode) root.path("config").path("tableVersions")).put(table, version);
    Files.writeString(plan, PlanJson.MAPPER.writeValueAsString(root));
  }

  /** Rewrites every file of a published table in place (a test seam: production never modifies a snapshot). */
  static <T extends org.apache.avro.specific.SpecificRecord> void rewrite(Path snapshot, Table table, Class<T> type,
      java.util.function.UnaryOperator<T> change) throws Exception {
    for (String f : Incremental.parquetFiles(snapshot, table)) {
      List<T> rows = new ArrayList<>();
      for (T row : ParquetFiles.readAll(snapshot.resolve(f), type)) {
        rows.add(change.apply(row));
      }
      ParquetFiles.write(snapshot.resolve(f), table.schema(), rows, ParquetFiles.tableMetadata(table));
    }
  }
}
