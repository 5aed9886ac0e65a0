package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.scan.SourceRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Runs over several source roots into one output directory, and comparisons of snapshots. */
final class Incremental {
  private Incremental() {}

  static ExtractionRun.Outcome run(List<Path> roots, Path out, boolean full) throws Exception {
    return run(roots, out, full, false, 3, Runs.CONFIG);
  }

  static ExtractionRun.Outcome run(List<Path> roots, Path out, boolean full, boolean verifyHashes, int keep,
      PlanConfig config) throws Exception {
    return run(roots, out, full, verifyHashes, keep, config, true);
  }

  /** @param strict keep DirectRunner's per-element checks (slow on bigger corpora) */
  static ExtractionRun.Outcome run(List<Path> roots, Path out, boolean full, boolean verifyHashes, int keep,
      PlanConfig config, boolean strict) throws Exception {
    return run(roots, out, full, verifyHashes, keep, config, strict, false);
  }

  /** @param restartable as the CLI run by the launcher with C1 alone ({@link JitMode}) */
  static ExtractionRun.Outcome run(List<Path> roots, Path out, boolean full, boolean verifyHashes, int keep,
      PlanConfig config, boolean strict, boolean restartable) throws Exception {
    Manifests.Source scan = new Manifests.Scan(
        roots.stream().map(r -> SourceRoot.parse(r.toString())).toList(), List.of(), verifyHashes);
    return ExtractionRun.run(new ExtractionRun.Request(
        scan, out, config, keep, full, List.of(), strict, new PrintStream(new ByteArrayOutputStream()), false,
        restartable));
  }

  /**
   * Every table of {@code actual} has exactly the rows of {@code expected}: byte-identical files for segments,
   * chunks, symbols and diagnostics; for files the same rows, where {@code unchanged} (carried) counts as
   * {@code extracted}.
   */
  static void assertSameTables(Path expected, Path actual) throws IOException {
    for (Table table : List.of(Table.SEGMENTS, Table.CHUNKS, Table.SYMBOLS, Table.DIAGNOSTICS)) {
      List<String> files = parquetFiles(expected, table);
      assertEquals(files, parquetFiles(actual, table), table.dirName() + " files");
      for (String f : files) {
        assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
            f + " differs from a full run's");
      }
    }
    List<String> files = parquetFiles(expected, Table.FILES);
    assertEquals(files, parquetFiles(actual, Table.FILES), "files files");
    for (String f : files) {
      assertEquals(fileRows(expected.resolve(f)), fileRows(actual.resolve(f)), f);
    }
  }

  /** The rows of a files table file, status {@code unchanged} read as {@code extracted}. */
  static List<FileRow> fileRows(Path file) throws IOException {
    List<FileRow> rows = new ArrayList<>();
    for (FileRow r : ParquetFiles.readAll(file, FileRow.class)) {
      rows.add(FileStatus.UNCHANGED.equals(r.getStatus())
          ? FileRow.newBuilder(r).setStatus(FileStatus.EXTRACTED).build() : r);
    }
    return rows;
  }

  static List<FileRow> allFileRows(Path snapshot) throws IOException {
    List<FileRow> rows = new ArrayList<>();
    for (String f : parquetFiles(snapshot, Table.FILES)) {
      rows.addAll(ParquetFiles.readAll(snapshot.resolve(f), FileRow.class));
    }
    return rows;
  }

  static List<String> parquetFiles(Path snapshot, Table table) throws IOException {
    Path dir = snapshot.resolve(table.dirName());
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".parquet")).map(p -> snapshot.relativize(p).toString()).sorted()
          .toList();
    }
  }
}
