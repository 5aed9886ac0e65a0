package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's determinism test for embedded segments: the same corpus gives the same planHash, plan.json and
 * byte-identical Parquet files (segment ids, virtual paths and the execution ledger included) whatever the
 * parallelism, and wherever the corpus lives on disk.
 */
class SegmentDeterminismTest {
  @TempDir Path tmp;

  @Test
  void sameCorpusSameSegmentsAcrossParallelismAndLocation() throws Exception {
    Path repo = EmbeddedFixtures.docsRepo(tmp.resolve("corpus"));
    Path moved = copy(repo, tmp.resolve("elsewhere").resolve("deeper").resolve(repo.getFileName()));
    ExtractionRun.Outcome a = Runs.extract(repo, tmp.resolve("a"), "--targetParallelism=1");
    ExtractionRun.Outcome b = Runs.extract(repo, tmp.resolve("b"), "--targetParallelism=4");
    ExtractionRun.Outcome c = Runs.extract(moved, tmp.resolve("c"), "--targetParallelism=2");
    for (ExtractionRun.Outcome other : List.of(b, c)) {
      assertEquals(a.planHash(), other.planHash());
      assertEquals(Files.readString(a.snapshotDir().resolve("plan.json")),
          Files.readString(other.snapshotDir().resolve("plan.json")));
      List<String> files = parquetFiles(a.snapshotDir());
      assertFalse(files.isEmpty());
      assertEquals(files, parquetFiles(other.snapshotDir()));
      for (String f : files) {
        assertArrayEquals(Files.readAllBytes(a.snapshotDir().resolve(f)), Files.readAllBytes(other.snapshotDir().resolve(f)), f);
      }
    }
    try (DuckDb db = DuckDb.open(a.snapshotDir())) {
      // The ids really are content hashes of the segments: distinct, and embedded ones are the majority here.
      assertEquals(List.of(List.of(true, true)), db.query("""
          select count(distinct segment_uid) = count(*), count(*) filter (where container_kind <> 'file') > 10
          from segments
          """));
    }
  }

  /** A copy with the same modification times (they are in the files table), under another absolute path. */
  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }

  static List<String> parquetFiles(Path snapshot) throws IOException {
    try (Stream<Path> walk = Files.walk(snapshot)) {
      return walk.filter(p -> p.toString().endsWith(".parquet")).map(p -> snapshot.relativize(p).toString()).sorted()
          .toList();
    }
  }
}
