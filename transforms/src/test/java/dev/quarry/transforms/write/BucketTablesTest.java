package dev.quarry.transforms.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketTablesTest {
  static PlannedFile planned(String path, int jobs, String reason) {
    FileRow file = FileRow.newBuilder().setRepo("r").setPath(path).setSizeBytes(1).setMtimeNs(1)
        .setStatus(reason == null ? FileStatus.EXTRACTED : FileStatus.SKIPPED).setReason(reason)
        .setDetail(reason == null ? null : "why").setSegmentCount(jobs).build();
    return new PlannedFile(file, jobs, 0, 1);
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
}
