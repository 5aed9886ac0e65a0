package dev.quarry.transforms.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.segment.Segment;
import dev.quarry.transforms.segment.Segmenter;
import dev.quarry.transforms.segment.Segmenters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers in the planner: their jobs, their job-less segments, the hash check, caps and strict ranges. */
class SegmentPlanningTest {
  private static final GrammarRegistry GRAMMARS = GrammarRegistry.get();
  static final String DOC = """
      # Doc

      ```rust
      fn a() {}
      ```

      ```mermaid
      graph;
      ```

      ```python
      x = 1
      ```
      """;

  @TempDir Path root;

  ManifestRow write(String path, String language, byte[] bytes) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return ManifestRow.newBuilder().setRepo("r").setPath(path).setSourceRoot(root.toString())
        .setSizeBytes(bytes.length).setMtimeNs(1).setFileSha256(StableIds.sha256Hex(bytes)).setLanguage(language)
        .build();
  }

  ManifestRow write(String path, String language, String text) throws IOException {
    return write(path, language, text.getBytes(StandardCharsets.UTF_8));
  }

  static PlanConfig config(long maxTotal) {
    return new PlanConfig(1 << 20, maxTotal, 1000, 512, 64, 1 << 20, 8, 1 << 20, false);
  }

  static PlannedFile planned(Plan plan, String path) {
    return plan.files().stream().filter(f -> f.getFile().getPath().equals(path)).findFirst().orElseThrow();
  }

  @Test
  void containerGetsAJobPerEmbeddedSegmentAndRowsForTheRest() throws IOException {
    Plan plan = new Planner(config(Long.MAX_VALUE), GRAMMARS).plan(List.of(write("docs/a.md", "markdown", DOC)));
    PlannedFile file = planned(plan, "docs/a.md");
    assertEquals(3, file.getExpectedJobs(), "the whole file, the rust and the python fence");
    assertEquals(4, file.getFile().getSegmentCount(), "jobs plus the mermaid fence without one");
    assertEquals(FileStatus.EXTRACTED, file.getFile().getStatus());
    List<String> languages = plan.jobs().stream().map(Job::getLanguage).sorted().toList();
    assertEquals(List.of("markdown", "python", "rust"), languages);

    Job rust = plan.jobs().stream().filter(j -> j.getLanguage().equals("rust")).findFirst().orElseThrow();
    int fenceLineEnd = DOC.indexOf("```rust\n") + "```rust\n".length();
    assertEquals(fenceLineEnd, rust.getStartByte(), "the range starts right after the fence line");
    assertEquals(DOC.indexOf("```\n", fenceLineEnd), rust.getEndByte(), "and ends where the closing fence starts");
    assertEquals(3, rust.getBaseRow());
    assertEquals(0, rust.getBaseColumn());
    assertEquals("markdown", rust.getContainerKind());
    assertEquals("rust", rust.getDeclaredLanguage());
    assertEquals("docs/a.md#seg:" + rust.getSegmentUid() + ".rs", rust.getVirtualPath());
    byte[] bytes = DOC.getBytes(StandardCharsets.UTF_8);
    assertEquals(StableIds.sha256Hex(bytes, (int) rust.getStartByte(), (int) (rust.getEndByte() - rust.getStartByte())),
        rust.getContentHash());

    SegmentRow mermaid = file.getUnparsedSegments().get(0);
    assertEquals(Reasons.NO_GRAMMAR, mermaid.getReason());
    assertEquals("mermaid", mermaid.getLanguage());
    assertEquals(null, mermaid.getWasmKey());
    assertEquals(FileStatus.SKIPPED, mermaid.getStatus());
    assertEquals(8, mermaid.getStartLine());

    PlanSummary.ContainerPlan md = plan.summary().segmentsByContainer().get("markdown");
    assertEquals(new PlanSummary.ContainerPlan(1, 2, rust.getEndByte() - rust.getStartByte() + "x = 1\n".length(),
        Map.of("python", 1L, "rust", 1L), 1, Map.of(Reasons.NO_GRAMMAR, 1L)), md);
    assertEquals(2, plan.summary().embeddedJobs());
    assertEquals(1, plan.summary().unparsedSegments());
  }

  @Test
  void embeddedJobsShareTheBatchesOfTheirGrammar() throws IOException {
    Plan plan = new Planner(config(Long.MAX_VALUE), GRAMMARS).plan(List.of(
        write("a.md", "markdown", DOC), write("lib/b.rs", "rust", "fn b() {}\n"), write("z.py", "python", "y = 2\n")));
    PlanSummary.KeyPlan rust = plan.summary().wasmKeys().stream().filter(k -> k.language().equals("rust"))
        .findFirst().orElseThrow();
    assertEquals(2, rust.jobs());
    assertEquals(1, rust.embeddedJobs());
    // Execution order inside a key: path, start, end, segmentUid, whatever the container.
    List<String> rustPaths = plan.jobs().stream().filter(j -> j.getLanguage().equals("rust")).map(Job::getPath).toList();
    assertEquals(List.of("a.md", "lib/b.rs"), rustPaths);
  }

  @Test
  void aContainerThatChangedAfterTheScanIsNotPlanned() throws IOException {
    ManifestRow row = write("a.md", "markdown", DOC);
    Files.writeString(root.resolve("a.md"), DOC.replace("rust", "rusty"));
    ManifestRow gone = write("gone.md", "markdown", DOC);
    Files.delete(root.resolve("gone.md"));
    ManifestRow escape = ManifestRow.newBuilder(row).setPath("../outside.md").build();
    Plan plan = new Planner(config(Long.MAX_VALUE), GRAMMARS).plan(List.of(row, gone, escape));
    assertEquals(List.of(), plan.jobs());
    assertEquals(Reasons.CHANGED_DURING_RUN, planned(plan, "a.md").getFile().getReason());
    assertEquals(FileStatus.FAILED, planned(plan, "a.md").getFile().getStatus());
    assertEquals(0, planned(plan, "a.md").getExpectedJobs());
    assertEquals(Reasons.DELETED_DURING_RUN, planned(plan, "gone.md").getFile().getReason());
    assertEquals(Reasons.OUTSIDE_ROOT, planned(plan, "../outside.md").getFile().getReason());
  }

  @Test
  void aContainerThatIsNotUtf8KeepsOnlyItsWholeFileJob() throws IOException {
    byte[] latin1 = ("```rust\n// caf\u00e9\n```\n").getBytes(StandardCharsets.ISO_8859_1);
    Plan plan = new Planner(config(Long.MAX_VALUE), GRAMMARS).plan(List.of(write("l.md", "markdown", latin1)));
    assertEquals(1, plan.jobs().size(), "the executor reports not_utf8 for the whole file");
    assertEquals(Planner.FILE, plan.jobs().get(0).getContainerKind());
  }

  @Test
  void theTotalCapCountsEmbeddedBytesInPlanOrder() throws IOException {
    ManifestRow a = write("a.md", "markdown", DOC);
    ManifestRow b = write("b.md", "markdown", DOC);
    ManifestRow c = write("c.rs", "rust", "fn c() {}\n");
    long embedded = "fn a() {}\n".length() + "x = 1\n".length();
    // a.md fits with its embedded bytes; b.md would fit on its own size alone but not with its fences.
    long cap = a.getSizeBytes() + embedded + b.getSizeBytes() + embedded - 1;
    Plan plan = new Planner(config(cap), GRAMMARS).plan(List.of(c, b, a));
    assertEquals(3, planned(plan, "a.md").getExpectedJobs());
    PlannedFile over = planned(plan, "b.md");
    assertEquals(Reasons.OVER_TOTAL_CAP, over.getFile().getReason());
    assertTrue(over.getFile().getDetail().contains("in 2 embedded segments"), over.getFile().getDetail());
    assertEquals(List.of(), over.getUnparsedSegments());
    assertEquals(1, planned(plan, "c.rs").getExpectedJobs(), "a later, smaller file still fits");
    assertEquals(a.getSizeBytes() + embedded + c.getSizeBytes(), plan.summary().plannedBytes());
  }

  /** A segmenter that returns whatever ranges it is given, to prove the planner checks them. */
  static Segmenters faulty(int[]... ranges) {
    Segmenter segmenter = new Segmenter() {
      @Override
      public String containerKind() {
        return "markdown";
      }

      @Override
      public List<Segment> segments(byte[] container) {
        List<Segment> out = new ArrayList<>();
        for (int[] r : ranges) {
          out.add(new Segment("fence", r[0], r[1], "rust", "rust", null));
        }
        return out;
      }
    };
    return new Segmenters(Map.of("markdown", segmenter));
  }

  @Test
  void invalidRangesFailThePlanWithFileSegmentRangeAndSize() throws IOException {
    String text = "# caf\u00e9\n```rust\nfn a() {}\n```\n";
    ManifestRow row = write("docs/bad.md", "markdown", text);
    long size = row.getSizeBytes();
    Map<String, int[][]> cases = Map.of(
        "end is beyond the end of the file", new int[][] {{10, (int) size + 5}},
        "start is after end", new int[][] {{12, 11}},
        "an end falls inside a UTF-8 character", new int[][] {{6, 12}},
        "it overlaps segment", new int[][] {{10, 20}, {15, 25}});
    cases.forEach((why, ranges) -> {
      InvalidVirtualRangeException e = assertThrows(InvalidVirtualRangeException.class,
          () -> new Planner(config(Long.MAX_VALUE), GRAMMARS, faulty(ranges)).plan(List.of(row)));
      String m = e.getMessage();
      assertTrue(m.contains(why), m);
      assertTrue(m.contains("file r/docs/bad.md"), m);
      assertTrue(m.contains("segment seg-"), m);
      int[] last = ranges[ranges.length - 1];
      assertTrue(m.contains("range [" + last[0] + ", " + last[1] + ")"), m);
      assertTrue(m.contains("file size " + size + " bytes"), m);
    });
  }
}
