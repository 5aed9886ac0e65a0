package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same inputs and config give byte-identical Parquet files and the same planHash, whatever the parallelism. */
class DeterminismTest {
  @TempDir Path tmp;

  @Test
  void twoRunsAtDifferentParallelismAreByteIdentical() throws Exception {
    Path repo = Fixtures.mixedRepo(tmp.resolve("corpus"));
    ExtractionRun.Outcome a = Runs.extract(repo, tmp.resolve("a"), "--targetParallelism=1");
    ExtractionRun.Outcome b = Runs.extract(repo, tmp.resolve("b"), "--targetParallelism=4");
    assertEquals(a.planHash(), b.planHash());
    assertEquals(Files.readString(a.snapshotDir().resolve("plan.json")), Files.readString(b.snapshotDir().resolve("plan.json")));
    List<String> filesA = parquetFiles(a.snapshotDir());
    assertEquals(filesA, parquetFiles(b.snapshotDir()));
    assertFalse(filesA.isEmpty());
    for (String f : filesA) {
      assertArrayEquals(Files.readAllBytes(a.snapshotDir().resolve(f)), Files.readAllBytes(b.snapshotDir().resolve(f)), f);
    }
    a.tables().forEach((table, digest) -> assertEquals(digest.digest(), b.tables().get(table).digest(), table));
  }

  static List<String> parquetFiles(Path snapshot) throws IOException {
    try (Stream<Path> walk = Files.walk(snapshot)) {
      return walk.filter(p -> p.toString().endsWith(".parquet")).map(p -> snapshot.relativize(p).toString()).sorted().toList();
    }
  }
}
