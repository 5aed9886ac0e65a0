package dev.quarry.runners;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Helpers to build corpora and compare published snapshots. */
final class Snapshots {
  private Snapshots() {}

  static Path current(Path out) throws IOException {
    return out.resolve("snapshots").resolve(Files.readString(out.resolve("CURRENT")).trim());
  }

  static String planHash(Path snapshot) throws IOException {
    return new ObjectMapper().readTree(snapshot.resolve("plan.json").toFile()).get("planHash").asText();
  }

  static List<String> parquetFiles(Path snapshot) throws IOException {
    try (Stream<Path> walk = Files.walk(snapshot)) {
      return walk.filter(p -> p.toString().endsWith(".parquet")).map(p -> snapshot.relativize(p).toString())
          .sorted().toList();
    }
  }

  /** Same planHash, same Parquet file names and byte-identical contents. */
  static void assertIdentical(Path expected, Path actual) throws IOException {
    assertEquals(planHash(expected), planHash(actual), "planHash");
    List<String> files = parquetFiles(expected);
    assertFalse(files.isEmpty());
    assertEquals(files, parquetFiles(actual), "Parquet file names");
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)),
          "bytes of " + f + " in " + actual);
    }
  }

  /** Copies a directory tree (files, directories; keeps modification times); returns {@code target}. */
  static Path copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return target;
  }

  /** Real code from the JDK's own sources ({@code lib/src.zip}): the first {@code limit} files under a prefix. */
  static Path jdkSources(Path dir, String prefix, int limit) throws IOException {
    Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    List<String> written = new ArrayList<>();
    try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e = z.getNextEntry(); e != null && written.size() < limit; e = z.getNextEntry()) {
        if (!e.isDirectory() && e.getName().startsWith(prefix) && e.getName().endsWith(".java")) {
          Path target = dir.resolve(e.getName());
          Files.createDirectories(target.getParent());
          Files.write(target, z.readAllBytes());
          written.add(e.getName());
        }
      }
    }
    if (written.isEmpty()) {
      throw new IllegalStateException("no " + prefix + " sources in " + zip);
    }
    return dir;
  }
}
