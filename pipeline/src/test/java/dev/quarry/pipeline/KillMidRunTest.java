package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.publish.TableDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quarry extract} in a child JVM killed with SIGKILL: while it parses, and in the middle of writing the
 * tables of an incremental run. Each time the published snapshot stays published and readable, and the next run
 * succeeds and writes what an uninterrupted run writes.
 */
class KillMidRunTest {
  /** Small buckets, so the write stage writes many files and lasts long enough to be killed in. */
  static final long BUCKET_BYTES = 16_384;
  static final PlanConfig CONFIG;

  static {
    PlanConfig d = PlanConfig.defaults();
    CONFIG = new PlanConfig(d.maxFileBytes(), d.maxTotalBytes(), d.parseTimeoutMs(), d.maxChunkBytes(),
        d.minChunkBytes(), d.shardTargetBytes(), d.maxShardsPerKey(), BUCKET_BYTES, false);
  }

  @TempDir Path tmp;

  @Test
  void aKilledRunLeavesThePublishedSnapshotAndTheNextRunEqualsAnUninterruptedOne() throws Exception {
    Path repo = corpus(tmp.resolve("corpus").resolve("gen"), 600);
    Path out = tmp.resolve("out");
    long t0 = System.nanoTime();

    // Killed during its first run: nothing is published.
    kill(repo, out, staging -> exists(staging, p -> p.endsWith("_plan/files.avro")), "planning or parsing");
    assertFalse(Files.exists(out.resolve("CURRENT")), "a killed first run publishes nothing");

    System.out.printf("killed first run after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    ExtractionRun.Outcome first = Incremental.run(List.of(repo), out, false, false, 3, CONFIG, false);
    assertEquals("full", first.worklists().mode());
    String current = Files.readString(out.resolve("CURRENT"));
    System.out.printf("full run done at %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    for (int i = 0; i < 600; i += 20) {
      Path f = repo.resolve(String.format(Locale.ROOT, "pkg%02d/Gen%04d.java", i % 40, i));
      Files.writeString(f, Files.readString(f) + "\nclass Extra" + i + " { int v = " + i + "; }\n");
    }
    Files.delete(repo.resolve("pkg01/Gen0001.java"));
    Fixtures.write(repo, "pkg01/Added.java", "class Added { void a() {} }\n");

    // The files table is always written by the pipeline (never linked from the previous snapshot): once one of
    // its files is in the staging directory, the write stage is under way.
    kill(repo, out, staging -> exists(staging, p -> p.toString().endsWith(".parquet") && p.toString().contains("/files/")),
        "writing the tables of an incremental run");
    System.out.printf("killed incremental run at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertEquals(current, Files.readString(out.resolve("CURRENT")), "CURRENT is untouched");
    assertReadable(first.snapshotDir());
    assertTrue(stagingDirs(out).size() == 1, "the killed run's staging directory is still there: " + stagingDirs(out));

    ExtractionRun.Outcome next = Incremental.run(List.of(repo), out, false, false, 3, CONFIG, false);
    assertEquals("incremental", next.worklists().mode());
    assertEquals(first.snapshotId(), next.worklists().previousId());
    assertEquals(List.of(), stagingDirs(out), "the next run removed the killed run's staging directory");
    System.out.printf("incremental run done at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    ExtractionRun.Outcome uninterrupted = Incremental.run(List.of(repo), tmp.resolve("fresh"), false, false, 3, CONFIG, false);
    Incremental.assertSameTables(uninterrupted.snapshotDir(), next.snapshotDir());
    assertReadable(next.snapshotDir());
  }

  /** Starts {@code quarry extract} in a child JVM and kills it with SIGKILL once its staging directory shows {@code when}. */
  private void kill(Path repo, Path out, Predicate<Path> when, String phase) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "-Xmx1g",
        "-cp", System.getProperty("java.class.path"),
        "dev.quarry.pipeline.QuarryCli", "extract",
        "--source", repo.toString(),
        "--out", out.toString(),
        "--bucket-target-bytes=" + BUCKET_BYTES));
    Path log = tmp.resolve("child-" + System.nanoTime() + ".log");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    try {
      while (true) {
        Optional<Path> staging = stagingDirs(out).stream().findFirst();
        if (staging.isPresent() && when.test(staging.get())) {
          break;
        }
        if (!child.isAlive()) {
          throw new AssertionError("the child finished (exit " + child.exitValue() + ") before it was killed while "
              + phase + "; make the corpus bigger. Log:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the child never reached " + phase + ". Log:\n" + Files.readString(log));
        }
        Thread.sleep(2);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
      child.waitFor();
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL while " + phase);
  }

  /** Every table file of the snapshot still hashes to the digest its run.json recorded. */
  private static void assertReadable(Path snapshot) throws IOException {
    JsonNode run = PlanJson.MAPPER.readTree(snapshot.resolve("run.json").toFile());
    TableDigests.of(snapshot).forEach((table, d) -> {
      assertEquals(run.path("tables").path(table).path("digest").asText(), d.digest(), table);
      assertEquals(run.path("tables").path(table).path("rows").asLong(), d.rows(), table);
    });
    try (DuckDb db = DuckDb.open(snapshot)) {
      assertEquals(run.path("tables").path("chunks").path("rows").asLong(),
          ((Number) db.query("select count(*) from chunks").get(0).get(0)).longValue());
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }
  }

  private static List<Path> stagingDirs(Path out) throws IOException {
    Path snapshots = out.resolve("snapshots");
    if (!Files.isDirectory(snapshots)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(snapshots)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".staging-")).toList();
    }
  }

  private static boolean exists(Path dir, Predicate<Path> match) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.anyMatch(match);
    } catch (IOException | UncheckedIOException e) {
      return false; // the tree changes while it is walked
    }
  }

  /** {@code files} Java files of a few hundred lines in 40 packages. */
  static Path corpus(Path root, int files) throws IOException {
    for (int i = 0; i < files; i++) {
      StringBuilder b = new StringBuilder("package pkg" + (i % 40) + ";\n\n/** Generated " + i + ". */\npublic class Gen"
          + i + " {\n");
      for (int m = 0; m < 12; m++) {
        b.append("  /** Method ").append(m).append(". */\n  public int method").append(m).append("(int x) {\n")
            .append("    int y = x * ").append(i + m).append(";\n    if (y > ").append(m).append(") {\n")
            .append("      return helper(y - 1) + \"").append(i).append("\".length();\n    }\n    return y;\n  }\n\n");
      }
      b.append("  static int helper(int v) { return v + 1; }\n}\n");
      Fixtures.write(root, String.format(Locale.ROOT, "pkg%02d/Gen%04d.java", i % 40, i), b.toString());
    }
    return root;
  }
}
