package dev.quarry.transforms.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.Reasons;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final GrammarRegistry GRAMMARS = GrammarRegistry.get();

  static ManifestRow row(String path, String language, long size) {
    return ManifestRow.newBuilder()
        .setRepo("r").setPath(path).setSourceRoot("/src/r").setSizeBytes(size).setMtimeNs(1)
        .setFileSha256("h-" + path).setLanguage(language).build();
  }

  static PlanConfig config(long maxFile, long maxTotal, long shardTarget) {
    return new PlanConfig(maxFile, maxTotal, 1000, 512, 64, shardTarget, 8, 1 << 20, false);
  }

  @Test
  void everyManifestRowIsPlannedOnceWithAReasonWhenItHasNoJob() {
    List<ManifestRow> manifest = List.of(
        row("a.java", "java", 100), row("b.txt", null, 10), row("c.py", "python", 5000),
        row("d.go", "go", 100), row("e.java", "java", 100));
    Plan plan = new Planner(config(1000, 150, 1 << 20), GRAMMARS).plan(manifest);
    assertEquals(5, plan.files().size());
    assertEquals(List.of("a.java"), plan.jobs().stream().map(Job::getPath).toList());
    assertEquals(Reasons.NO_GRAMMAR, reason(plan, "b.txt"));
    assertEquals(Reasons.OVER_FILE_CAP, reason(plan, "c.py"));
    // The total cap is spent by a.java in plan order; d.go and e.java come after it.
    assertEquals(Reasons.OVER_TOTAL_CAP, reason(plan, "d.go"));
    assertEquals(Reasons.OVER_TOTAL_CAP, reason(plan, "e.java"));
  }

  private static String reason(Plan plan, String path) {
    return plan.files().stream().map(PlannedFile::getFile).filter(f -> f.getPath().equals(path)).findFirst()
        .orElseThrow().getReason();
  }

  @Test
  void planIsIndependentOfManifestOrderAndHashChangesWithContent() {
    List<ManifestRow> manifest = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      manifest.add(row("f" + i + ".java", "java", 100 + i));
      manifest.add(row("g" + i + ".py", "python", 50 + i));
    }
    Plan a = new Planner(config(1 << 20, Long.MAX_VALUE, 1000), GRAMMARS).plan(manifest);
    List<ManifestRow> shuffled = new ArrayList<>(manifest);
    Collections.shuffle(shuffled, new java.util.Random(7));
    Plan b = new Planner(config(1 << 20, Long.MAX_VALUE, 1000), GRAMMARS).plan(shuffled);
    assertEquals(a.summary(), b.summary());
    assertEquals(a.jobs(), b.jobs());
    manifest.set(0, ManifestRow.newBuilder(manifest.get(0)).setFileSha256("changed").build());
    Plan c = new Planner(config(1 << 20, Long.MAX_VALUE, 1000), GRAMMARS).plan(manifest);
    assertNotEquals(a.summary().planHash(), c.summary().planHash());
  }

  @Test
  void hotGrammarIsShardedByBytesAndKeysRunLargestFirst() {
    List<ManifestRow> manifest = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      manifest.add(row(String.format("src/F%02d.java", i), "java", 1000));
    }
    manifest.add(row("x.py", "python", 10));
    Plan plan = new Planner(config(1 << 20, Long.MAX_VALUE, 10_000), GRAMMARS).plan(manifest);
    PlanSummary.KeyPlan java = plan.summary().wasmKeys().get(0);
    assertEquals("java", java.language());
    assertEquals(4, java.shards());
    assertTrue(plan.summary().wasmKeys().get(1).wasmKey().startsWith("python-"));
    // Shards are contiguous runs of the execution order with balanced bytes.
    List<Integer> shards = plan.jobs().stream().filter(j -> j.getLanguage().equals("java")).map(Job::getShard).toList();
    assertEquals(List.of(0, 1, 2, 3), shards.stream().distinct().toList());
    assertEquals(10, Collections.frequency(shards, 0));
  }

  @Test
  void aSmallWorklistIsSpreadOverTheCoresAndAFewJobsStayOneGroup() {
    List<ManifestRow> manifest = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      manifest.add(row(String.format("src/F%02d.java", i), "java", 100_000));
    }
    manifest.add(row("x.py", "python", 10));
    Planner planner = new Planner(config(1 << 20, Long.MAX_VALUE, 8L << 20), GRAMMARS);
    List<Job> jobs = planner.plan(manifest).jobs();
    // 4 MB with an 8 MiB target: one group of the full plan, but on 2 cores about 4 groups of 1 MB.
    assertEquals(List.of(0), shardsOf(planner.shard(new ArrayList<>(jobs)), "java"));
    assertEquals(List.of(0, 1, 2, 3), shardsOf(planner.shardWorklist(new ArrayList<>(jobs), 2), "java"));
    assertEquals(List.of(0), shardsOf(planner.shardWorklist(new ArrayList<>(jobs), 2), "python"));
    // A worklist of a few files is not cut below the smallest group.
    List<Job> few = new ArrayList<>(jobs.subList(0, 2));
    assertEquals(List.of(0), shardsOf(planner.shardWorklist(few, 2), "java"));
    // A big one gets the configured groups: 40 MB, 5 of 8 MiB.
    List<ManifestRow> big = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      big.add(row(String.format("src/G%02d.java", i), "java", 1_000_000));
    }
    Planner bigPlanner = new Planner(config(2_000_000, Long.MAX_VALUE, 8L << 20), GRAMMARS);
    assertEquals(5, shardsOf(bigPlanner.shardWorklist(new ArrayList<>(bigPlanner.plan(big).jobs()), 2), "java").size());
  }

  private static List<Integer> shardsOf(List<Job> jobs, String language) {
    return jobs.stream().filter(j -> j.getLanguage().equals(language)).map(Job::getShard).distinct().toList();
  }

  @Test
  void everyPlannedShardHoldsJobs() {
    // The big middle job spans several shard widths; the shards it skips over must not be planned as groups.
    List<ManifestRow> manifest = List.of(row("a.java", "java", 10), row("b.java", "java", 10_000),
        row("c.java", "java", 10));
    Plan plan = new Planner(config(1 << 20, Long.MAX_VALUE, 1000), GRAMMARS).plan(manifest);
    assertEquals(List.of(0, 1, 2), plan.jobs().stream().map(Job::getShard).toList());
    assertEquals(3, plan.summary().wasmKeys().get(0).shards());
    assertEquals(3, plan.summary().grammarBatches());
  }

  @Test
  void invalidRangesFailWithFileSegmentRangeAndSize() {
    Job job = Job.newBuilder()
        .setRepo("r").setPath("docs/a.md").setSourceRoot("/src/r").setFileSha256("h").setFileSize(10)
        .setSegmentUid("seg-1").setVirtualPath("docs/a.md#seg:seg-1.rs").setStartByte(8).setEndByte(12)
        .setBaseRow(0).setBaseColumn(0).setContainerKind("markdown").setLanguage("rust").setWasmKey("rust-x")
        .setContentHash("c").setShard(0).setBucket(0).setBucketCount(1).build();
    InvalidVirtualRangeException e = assertThrows(InvalidVirtualRangeException.class, () -> VirtualRanges.validate(job, 10));
    assertTrue(e.getMessage().contains("docs/a.md"), e.getMessage());
    assertTrue(e.getMessage().contains("seg-1"), e.getMessage());
    assertTrue(e.getMessage().contains("[8, 12)"), e.getMessage());
    assertTrue(e.getMessage().contains("file size 10"), e.getMessage());
    byte[] utf8 = "aé b".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Job mid = Job.newBuilder(job).setStartByte(2).setEndByte(4).setFileSize(utf8.length).build();
    assertThrows(InvalidVirtualRangeException.class, () -> VirtualRanges.validateBoundaries(mid, utf8));
  }
}
