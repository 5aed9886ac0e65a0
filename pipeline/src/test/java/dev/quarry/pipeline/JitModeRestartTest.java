package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run the launcher started with C1 alone ({@link JitMode}) is handed back before anything is written when it turns
 * out big, and runs to the end when it is small.
 */
class JitModeRestartTest {
  @TempDir Path tmp;

  @Test
  void aBigRunIsHandedBackBeforeAnythingIsWrittenAndASmallOneIsNot() throws Exception {
    Path repo = Fixtures.mixedRepo(tmp.resolve("corpus"));
    Path out = tmp.resolve("out");
    Incremental.run(List.of(repo), out, false);

    append(repo.resolve("tools/report.py"), "\n# edited\n");
    ExtractionRun.Outcome small = run(repo, out, false);
    long executed = small.worklists().executedBytes();
    assertTrue(executed > 0 && executed <= JitMode.MAX_C1_SHARE * small.worklists().plannedBytes(),
        executed + " of " + small.worklists().plannedBytes() + " bytes");
    assertEquals(small.snapshotId(), Files.readString(out.resolve("CURRENT")).trim());

    // Main.java becomes most of the repo's bytes.
    append(repo.resolve("src/Main.java"), "// a long comment\n".repeat(500));
    List<String> before = listing(out);
    JitMode.Restart big = assertThrows(JitMode.Restart.class, () -> run(repo, out, false));
    assertTrue(big.getMessage().matches("[0-9.]+ of [0-9.]+ MB to parse \\(more than 40 %\\): run again with the"
        + " optimizing JIT compiler \\(C2\\); nothing was written"), big.getMessage());
    assertEquals(before, listing(out), "nothing is written, nothing is published");

    JitMode.Restart full = assertThrows(JitMode.Restart.class, () -> run(repo, out, true));
    assertTrue(full.getMessage().startsWith("a full run (--full): run again"), full.getMessage());
    assertEquals(before, listing(out));

    // The launcher's second attempt, with C2: the same run publishes.
    ExtractionRun.Outcome again = Incremental.run(List.of(repo), out, false);
    assertEquals(again.snapshotId(), Files.readString(out.resolve("CURRENT")).trim());
    assertTrue(again.worklists().executedBytes() > JitMode.MAX_C1_SHARE * again.worklists().plannedBytes());
  }

  private static ExtractionRun.Outcome run(Path repo, Path out, boolean full) throws Exception {
    return Incremental.run(List.of(repo), out, full, false, 3, Runs.CONFIG, true, true);
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
