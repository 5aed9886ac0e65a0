package dev.quarry.pipeline.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.pipeline.ExtractionRun;
import dev.quarry.pipeline.Manifests;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.plan.PlanConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manifest is input too: a hand-edited one with the same file twice must not stop the run. */
class HostileManifestTest {
  @TempDir Path tmp;

  @Test
  void aFileListedTwiceGetsOneRow() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    byte[] bytes = "x = 1\n".getBytes();
    Files.write(root.resolve("a.py"), bytes);
    ManifestRow row = ManifestRow.newBuilder().setRepo("r").setPath("a.py").setSourceRoot(root.toString())
        .setSizeBytes(bytes.length).setMtimeNs(0).setFileSha256(StableIds.sha256Hex(bytes)).setLanguage("python")
        .build();
    Path manifest = tmp.resolve("manifest.parquet");
    Manifests.write(manifest, List.of(row, row));
    ExtractionRun.Outcome o = ExtractionRun.run(new ExtractionRun.Request(new Manifests.File(manifest),
        tmp.resolve("out"), PlanConfig.defaults(), 1, List.of(), false, new PrintStream(OutputStream.nullOutputStream()),
        false));
    try (SnapshotSql sql = SnapshotSql.open(o.snapshotDir())) {
      assertEquals(List.of(java.util.Map.of("path", "a.py", "status", FileStatus.EXTRACTED)),
          sql.rows("select path, status from files"));
    }
  }
}
