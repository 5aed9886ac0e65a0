package dev.quarry.transforms.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.PlannedJob;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketTablesTest {
  static PlannedFile planned(String path, int jobs, String reason) {
    FileRow file = FileRow.newBuilder().setRepo("r").setPath(path).setSizeBytes(1).setMtimeNs(1)
        .setStatus(reason == null ? FileStatus.EXTRACTED : FileStatus.SKIPPED).setReason(reason)
        .setDetail(reason == null ? null : "why").setSegmentCount(jobs).build();
    return new PlannedFile(file, jobs, 0, 1, List.of(), List.of(), false);
  }

  static JobResult result(String path, String problem) {
    SegmentRow seg = SegmentRow.newBuilder().setRepo("r").setPath(path).setSegmentUid("s-" + path)
        .setVirtualPath(path + "#seg:s.x").setStartByte(0).setEndByte(1).setStartLine(1).setEndLine(1)
        .setContainerKind("file").setLanguage("java").setWasmKey("java-x").setContentHash("h").setStatus("parsed")
        .setNodeCount(1).setErrorCount(0).build();
    return JobResult.newBuilder().setVirtualPath(path + "#seg:s.x").setRepo("r").setPath(path).setBucket(0)
        .setBucketCount(1).setSegment(seg).setFileProblem(problem).setFileProblemDetail(problem == null ? null : "d")
        .setChunks(List.of()).setSymbols(List.of()).setDiagnostics(List.of()).build();
  }

  @Test
  void missingResultFailsLoudly() {
    MissingResultsException e = assertThrows(MissingResultsException.class,
        () -> BucketTables.join("b", List.of(planned("a.java", 1, null)), List.of()));
    assertTrue(e.getMessage().contains("r/a.java"), e.getMessage());
    assertTrue(e.getMessage().contains("planned with 1 job(s) but 0 result(s)"), e.getMessage());
  }

  @Test
  void unplannedResultFailsLoudly() {
    assertThrows(MissingResultsException.class,
        () -> BucketTables.join("b", List.of(), List.of(result("ghost.java", null))));
  }

  @Test
  void filesGetTheirFinalStatusAndSkippedOnesADiagnostic() {
    BucketTables t = BucketTables.join("b",
        List.of(planned("b.java", 1, null), planned("a.java", 1, null), planned("c.bin", 0, Reasons.OVER_FILE_CAP),
            planned("d.txt", 0, Reasons.NO_GRAMMAR)),
        List.of(result("a.java", null), result("b.java", Reasons.BINARY)));
    assertEquals(List.of("a.java", "b.java", "c.bin", "d.txt"), t.files.stream().map(FileRow::getPath).toList());
    assertEquals(FileStatus.EXTRACTED, t.files.get(0).getStatus());
    assertEquals(Reasons.BINARY, t.files.get(1).getReason());
    assertEquals(FileStatus.SKIPPED, t.files.get(1).getStatus());
    assertEquals(1, t.diagnostics.size(), "over-cap gets a diagnostic; no_grammar is routine and gets none");
    assertEquals(Reasons.OVER_FILE_CAP, t.diagnostics.get(0).getCode());
  }

  static JobResult embedded(String path, String uid, long start, String problem, int chunks) {
    JobResult r = result(path, problem);
    r.getSegment().setSegmentUid(uid);
    r.getSegment().setStartByte(start);
    r.getSegment().setContainerKind("markdown");
    r.setVirtualPath(path + "#seg:" + uid + ".rs");
    List<ChunkRow> rows = new java.util.ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      rows.add(ChunkRow.newBuilder().setRepo("r").setPath(path).setSegmentUid(uid).setChunkUid(uid + "-c" + i)
          .setStartByte(start + i).setEndByte(start + i + 1).setLocalStartByte(i).setLocalEndByte(i + 1)
          .setStartLine(1).setEndLine(1).setKind("code").setName(null).setLanguage("rust").setTokenBuckets(List.of())
          .build());
    }
    r.setChunks(rows);
    return r;
  }

  @Test
  void segmentsWithoutAJobAreWrittenWithTheirPlannedFile() {
    SegmentRow unparsed = SegmentRow.newBuilder(result("a.md", null).getSegment()).setSegmentUid("s-mermaid")
        .setStartByte(5).setContainerKind("markdown").setLanguage("mermaid").setWasmKey(null).setStatus("skipped")
        .setReason(Reasons.NO_GRAMMAR).build();
    PlannedFile file = planned("a.md", 1, null);
    file.setUnparsedSegments(List.of(unparsed));
    BucketTables t = BucketTables.join("b", List.of(file), List.of(result("a.md", null)));
    assertEquals(List.of("s-a.md", "s-mermaid"), t.segments.stream().map(SegmentRow::getSegmentUid).toList());
  }

  @Test
  void anEmbeddedSegmentThatTimesOutDoesNotFailItsContainer() {
    BucketTables t = BucketTables.join("b", List.of(planned("a.md", 2, null)),
        List.of(result("a.md", null), embedded("a.md", "s-rust", 10, Reasons.PARSE_TIMEOUT, 0)));
    assertEquals(FileStatus.EXTRACTED, t.files.get(0).getStatus());
    assertEquals(2, t.segments.size());
  }

  @Test
  void aContainerThatChangedKeepsNoRowsFromItsOtherJobs() {
    BucketTables t = BucketTables.join("b", List.of(planned("a.md", 3, null)),
        List.of(result("a.md", null), embedded("a.md", "s-ok", 10, null, 2),
            embedded("a.md", "s-changed", 20, Reasons.CHANGED_DURING_RUN, 0)));
    assertEquals(Reasons.CHANGED_DURING_RUN, t.files.get(0).getReason());
    assertEquals(FileStatus.FAILED, t.files.get(0).getStatus());
    assertEquals(List.of(), t.chunks, "chunks read before the change are not kept");
    assertEquals(3, t.segments.size(), "the ledger keeps every job");
  }

  static PlannedJob job(String uid, boolean run, List<String> tables) {
    return PlannedJob.newBuilder().setSegmentUid(uid).setWasmKey("java-x").setContentHash("h").setBatch("java-x#0")
        .setBatchPosition(7).setRun(run).setTables(tables).build();
  }

  static SegmentRow carriedSegment(String path, String uid, String batch) {
    return SegmentRow.newBuilder(result(path, null).getSegment()).setSegmentUid(uid).setBatch(batch)
        .setBatchPosition(0).build();
  }

  static ChunkRow carriedChunk(String path, String uid, String name) {
    ChunkRow chunk = embedded(path, uid, 0, null, 1).getChunks().get(0);
    chunk.setName(name);
    return chunk;
  }

  static BucketTables.Carried carried(Object... rows) {
    BucketTables.Carried c = new BucketTables.Carried();
    for (Object r : rows) {
      if (r instanceof SegmentRow s) {
        c.add(s);
      } else {
        c.add((ChunkRow) r);
      }
    }
    return c;
  }

  @Test
  void carriedJobsTakeThePreviousRowsWithThePlansLedger() {
    PlannedFile file = planned("a.java", 0, null);
    file.getFile().setStatus(FileStatus.UNCHANGED);
    file.setJobs(List.of(job("s-a.java", false, List.of())));
    BucketTables t = BucketTables.join("b", List.of(file), List.of(),
        carried(carriedSegment("a.java", "s-a.java", "java-old#3"), carriedChunk("a.java", "s-a.java", "old"),
            carriedSegment("gone.java", "s-gone", "java-x#0"), carriedChunk("gone.java", "s-gone", "gone")));
    assertEquals(FileStatus.UNCHANGED, t.files.get(0).getStatus());
    assertEquals(1, t.segments.size(), "rows of a file that is gone are dropped");
    assertEquals("java-x#0", t.segments.get(0).getBatch(), "the ledger is the plan's");
    assertEquals(7, t.segments.get(0).getBatchPosition());
    assertEquals(List.of("old"), t.chunks.stream().map(ChunkRow::getName).toList());
  }

  @Test
  void aJobRunForOneTableKeepsTheOtherTablesCarriedRows() {
    PlannedFile file = planned("a.java", 1, null);
    file.setJobs(List.of(job("s-a.java", true, List.of("symbols"))));
    JobResult fresh = embedded("a.java", "s-a.java", 0, null, 1);
    fresh.getChunks().get(0).setName("fresh");
    BucketTables t = BucketTables.join("b", List.of(file), List.of(fresh),
        carried(carriedSegment("a.java", "s-a.java", "x"), carriedChunk("a.java", "s-a.java", "carried")));
    assertEquals(List.of("carried"), t.chunks.stream().map(ChunkRow::getName).toList(), "chunks were not redone");
    assertEquals(FileStatus.EXTRACTED, t.files.get(0).getStatus());

    // A job that did not parse has no rows but its problem: nothing is carried for it.
    PlannedFile timedOut = planned("a.java", 1, null);
    timedOut.setJobs(List.of(job("s-a.java", true, List.of("symbols"))));
    JobResult timeout = embedded("a.java", "s-a.java", 0, Reasons.PARSE_TIMEOUT, 0);
    t = BucketTables.join("b", List.of(timedOut), List.of(timeout),
        carried(carriedChunk("a.java", "s-a.java", "carried")));
    assertEquals(List.of(), t.chunks);
  }

  @Test
  void aCarriedJobWithoutItsPreviousRowFailsLoudly() {
    PlannedFile file = planned("a.java", 0, null);
    file.setJobs(List.of(job("s-a.java", false, List.of())));
    MissingResultsException e = assertThrows(MissingResultsException.class,
        () -> BucketTables.join("b", List.of(file), List.of(), carried(carriedChunk("a.java", "s-a.java", "x"))));
    assertTrue(e.getMessage().contains("--full"), e.getMessage());
  }
}
