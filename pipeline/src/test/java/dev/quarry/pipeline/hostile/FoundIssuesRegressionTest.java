package dev.quarry.pipeline.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.quarry.pipeline.ExtractionRun;
import dev.quarry.pipeline.Manifests;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.plan.PlanConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile-input behaviour found wrong while building the bad-input corpus, kept as regression tests. */
class FoundIssuesRegressionTest {
  @TempDir Path tmp;

  private ExtractionRun.Outcome run(Manifests.Source source, PlanConfig config) throws Exception {
    return ExtractionRun.run(new ExtractionRun.Request(source, tmp.resolve("out"), config, 1, List.of(), false,
        new PrintStream(OutputStream.nullOutputStream()), false));
  }

  /**
   * {@code files.detail} is "the reason explained for humans"; for {@code outside_root} it is null ({@code
   * Planner.detail} has no case for it), and the diagnostic's message is only the code. Owner: plan/Planner.
   */
  @Test
  void outsideRootRowsExplainThemselves() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    ManifestRow row = ManifestRow.newBuilder().setRepo("r").setPath("../elsewhere.py")
        .setSourceRoot(root.toString()).setSizeBytes(1).setMtimeNs(0).setFileSha256("00").setLanguage("python")
        .build();
    Path manifest = tmp.resolve("manifest.parquet");
    Manifests.write(manifest, List.of(row));
    ExtractionRun.Outcome o = run(new Manifests.File(manifest), PlanConfig.defaults());
    try (SnapshotSql sql = SnapshotSql.open(o.snapshotDir())) {
      Map<String, Object> f = sql.rows("select reason, detail from files").get(0);
      assertEquals(Reasons.OUTSIDE_ROOT, f.get("reason"));
      assertNotNull(f.get("detail"), "outside_root without a detail");
    }
  }

  /**
   * A container whose whole-file parse timed out is {@code failed parse_timeout} with the detail "no rows were
   * kept", yet the chunks, symbols and diagnostics of its embedded segments are kept (BucketTables voids them only
   * for changed/deleted/unreadable). Either the rows go, or status and detail say what was kept. Owner:
   * write/BucketTables (and docs/tables.md).
   */
  @Test
  void aContainerWhoseWholeFileParseTimedOutKeepsNoRows() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("site"));
    // 10 MB of markup takes the HTML grammar well over 200 ms; the one small script parses in microseconds.
    String html = "<html><body>\n<script>function kept() { return 1; }</script>\n"
        + "<div class=\"row\"><p>some text</p></div>\n".repeat(250_000) + "</body></html>\n";
    Files.writeString(root.resolve("page.html"), html, StandardCharsets.UTF_8);
    PlanConfig d = PlanConfig.defaults();
    PlanConfig config = new PlanConfig(16L << 20, d.maxTotalBytes(), 200, d.maxChunkBytes(),
        d.minChunkBytes(), d.shardTargetBytes(), d.maxShardsPerKey(), d.bucketTargetBytes(), false);
    ExtractionRun.Outcome o = run(new Manifests.Scan(
        List.of(dev.quarry.transforms.scan.SourceRoot.parse(root.toString())), List.of(), false), config);
    try (SnapshotSql sql = SnapshotSql.open(o.snapshotDir())) {
      Map<String, Object> f = sql.rows("select status, reason from files").get(0);
      assertEquals(FileStatus.FAILED, f.get("status"));
      assertEquals(Reasons.PARSE_TIMEOUT, f.get("reason"));
      assertEquals(0L, sql.count("select count(*) from chunks"), "a failed file keeps chunks");
      assertEquals(0L, sql.count("select count(*) from symbols"), "a failed file keeps symbols");
    }
  }
}
