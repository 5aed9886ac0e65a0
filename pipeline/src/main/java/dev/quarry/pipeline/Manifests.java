package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.scan.LanguageDetector;
import dev.quarry.transforms.scan.RepoScanner;
import dev.quarry.transforms.scan.SourceRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a run's manifest comes from: a scan of source directories, or a manifest Parquet file. */
public final class Manifests {
  private static final Comparator<ManifestRow> ORDER =
      Comparator.comparing(ManifestRow::getRepo).thenComparing(ManifestRow::getPath);

  private Manifests() {}

  /** A source of manifest rows. */
  public sealed interface Source permits Scan, File {
    /**
     * @param previous the previous snapshot's files by {@code RepoScanner.previousKey}: a scan reuses the hash of a
     *     file whose size and mtime are unchanged (unless it verifies hashes); a manifest file has its own hashes
     */
    List<ManifestRow> load(GrammarRegistry grammars, Map<String, ManifestRow> previous) throws IOException;
  }

  /** Scan directories. */
  public record Scan(List<SourceRoot> roots, List<String> excludes, boolean verifyHashes) implements Source {
    public Scan {
      Set<String> names = new HashSet<>();
      for (SourceRoot r : roots) {
        if (!names.add(r.repo())) {
          throw new IllegalArgumentException(
              "two --source directories are both named '" + r.repo() + "'; name them apart with --source NAME=DIR");
        }
      }
    }

    @Override
    public List<ManifestRow> load(GrammarRegistry grammars, Map<String, ManifestRow> previous) throws IOException {
      return scan(this, grammars, previous);
    }
  }

  /** Read an existing manifest; rows whose path leaves their root are refused (nothing outside a root is read). */
  public record File(Path manifest) implements Source {
    @Override
    public List<ManifestRow> load(GrammarRegistry grammars, Map<String, ManifestRow> previous) throws IOException {
      if (!Files.isRegularFile(manifest)) {
        throw new IOException("--manifest " + manifest + " does not exist; create one with: quarry scan --source DIR --out FILE.parquet");
      }
      List<ManifestRow> rows = new ArrayList<>();
      ParquetFiles.read(manifest, ManifestRow.class, row -> rows.add(confine(row)));
      rows.sort(ORDER);
      return distinct(rows);
    }
  }

  /**
   * A file listed twice (a hand-edited or concatenated manifest) is one file: the first row of each (repo, path) in
   * manifest order is kept, so it gets exactly one {@code files} row instead of failing the run's accounting.
   */
  static List<ManifestRow> distinct(List<ManifestRow> sorted) {
    List<ManifestRow> out = new ArrayList<>(sorted.size());
    ManifestRow previous = null;
    for (ManifestRow row : sorted) {
      if (previous == null || ORDER.compare(previous, row) != 0) {
        out.add(row);
      }
      previous = row;
    }
    return out;
  }

  static List<ManifestRow> scan(Scan scan, GrammarRegistry grammars) throws IOException {
    return scan(scan, grammars, Map.of());
  }

  static List<ManifestRow> scan(Scan scan, GrammarRegistry grammars, Map<String, ManifestRow> previous)
      throws IOException {
    RepoScanner scanner =
        new RepoScanner(new LanguageDetector(grammars.all()), scan.excludes(), previous, scan.verifyHashes());
    List<ManifestRow> rows = scanner.scanAll(scan.roots());
    rows.sort(ORDER);
    return rows;
  }

  /**
   * A manifest row whose path leaves its source root keeps its row but is never read: a path that is not plain
   * ({@code ..}, {@code .}, empty elements, absolute, a NUL) or a relative root is {@code outside_root}; a path that
   * leads through a symbolic link is refused like the link itself ({@code symlink} when it resolves inside the root,
   * {@code symlink_outside_root}, {@code symlink_broken}). Only {@code lstat} is used: nothing is opened.
   */
  static ManifestRow confine(ManifestRow row) {
    if (row.getScanReason() != null) {
      return row;
    }
    String reason = confinement(row.getSourceRoot(), row.getPath());
    if (reason == null) {
      return row;
    }
    return ManifestRow.newBuilder(row).setScanReason(reason).setFileSha256(null).build();
  }

  /** Why {@code path} cannot be read under {@code sourceRoot}, or null when it can be (as far as lstat tells now). */
  static String confinement(String sourceRoot, String path) {
    Path root;
    try {
      root = Path.of(sourceRoot);
    } catch (InvalidPathException e) {
      return Reasons.OUTSIDE_ROOT;
    }
    if (!root.isAbsolute()) {
      return Reasons.OUTSIDE_ROOT;
    }
    root = root.normalize();
    String[] names = path.split("/", -1);
    for (String name : names) {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
        return Reasons.OUTSIDE_ROOT;
      }
    }
    Path current = root;
    for (String name : names) {
      try {
        current = current.resolve(name);
      } catch (InvalidPathException e) {
        return Reasons.OUTSIDE_ROOT;
      }
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        return null; // missing or unreadable: the executor reports it (deleted_during_run, unreadable)
      }
      if (attributes.isSymbolicLink()) {
        try {
          return current.toRealPath().startsWith(root.toRealPath()) ? Reasons.SYMLINK : Reasons.SYMLINK_OUTSIDE_ROOT;
        } catch (IOException e) {
          return Reasons.SYMLINK_BROKEN;
        }
      }
    }
    return null;
  }

  public static void write(Path file, List<ManifestRow> rows) throws IOException {
    ParquetFiles.write(file.toAbsolutePath(), ManifestRow.getClassSchema(), rows,
        Map.of("quarry.table", "manifest", "quarry.sort_order", "repo,path"));
  }
}
