package dev.quarry.transforms.scan;

import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Lists one source root into manifest rows: git-aware where the root holds {@code .git} (tracked plus
 * untracked-not-ignored files), else a walk that prunes {@code .git} and the configured excludes. Symbolic links
 * are never followed; each becomes a row with a reason. Rows come out sorted by path.
 */
public final class RepoScanner {
  private static final int HEAD_BYTES = 256;

  private final LanguageDetector languages;
  private final List<PathMatcher> excludes;
  private final Map<String, ManifestRow> previous;
  private final boolean verifyHashes;

  /**
   * @param excludes glob patterns matched against repo-relative paths (e.g. {@code node_modules/**})
   * @param previous the previous manifest by {@code repo + '\0' + path}: a file whose size and mtime are
   *     unchanged reuses its hash without being read, unless {@code verifyHashes}
   */
  public RepoScanner(
      LanguageDetector languages, List<String> excludes, Map<String, ManifestRow> previous, boolean verifyHashes) {
    this.languages = languages;
    this.excludes = excludes.stream().map(g -> Path.of("").getFileSystem().getPathMatcher("glob:" + g)).toList();
    this.previous = previous;
    this.verifyHashes = verifyHashes;
  }

  public static String previousKey(String repo, String path) {
    return repo + '\0' + path;
  }

  /** Scans {@code source}, handing rows to {@code sink} in path order. Returns the number of rows. */
  public long scan(SourceRoot source, Consumer<ManifestRow> sink) throws IOException {
    Path root = source.root().toRealPath();
    long count = 0;
    for (String rel : listPaths(root)) {
      if (isExcluded(rel)) {
        continue;
      }
      sink.accept(describe(source.repo(), root, rel));
      count++;
    }
    return count;
  }

  private boolean isExcluded(String rel) {
    Path p = Path.of(rel);
    for (PathMatcher m : excludes) {
      if (m.matches(p)) {
        return true;
      }
    }
    return false;
  }

  private static TreeSet<String> listPaths(Path root) throws IOException {
    return Files.isDirectory(root.resolve(".git"), LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(root.resolve(".git"))
        ? gitPaths(root)
        : walkPaths(root);
  }

  private static TreeSet<String> gitPaths(Path root) throws IOException {
    Process git =
        new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard")
            .redirectErrorStream(false)
            .start();
    TreeSet<String> paths = new TreeSet<>();
    byte[] out;
    byte[] err;
    try (InputStream in = git.getInputStream(); InputStream es = git.getErrorStream()) {
      out = in.readAllBytes();
      err = es.readAllBytes();
    }
    int exit;
    try {
      exit = git.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing " + root + " with git", e);
    }
    if (exit != 0) {
      throw new IOException(
          "git ls-files failed in " + root + " (exit " + exit + "): "
              + new String(err, StandardCharsets.UTF_8).trim()
              + ". Fix the repository, or remove its .git to have Quarry walk the directory instead.");
    }
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        String rel = new String(out, start, i - start, StandardCharsets.UTF_8);
        start = i + 1;
        // Tracked files deleted from the work tree are not files of the corpus any more.
        if (Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
          paths.add(rel);
        }
      }
    }
    return paths;
  }

  private static TreeSet<String> walkPaths(Path root) throws IOException {
    TreeSet<String> paths = new TreeSet<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root) && dir.getFileName().toString().equals(".git")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            paths.add(relative(root, file));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            // An unreadable directory or file still gets a row: describe() reports why.
            if (!(exc instanceof FileSystemLoopException)) {
              paths.add(relative(root, file));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return paths;
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  private ManifestRow describe(String repo, Path root, String rel) {
    Path file = root.resolve(rel);
    String name = file.getFileName().toString();
    ManifestRow.Builder row =
        ManifestRow.newBuilder().setRepo(repo).setPath(rel).setSourceRoot(root.toString()).setSizeBytes(0).setMtimeNs(0);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return row.setScanReason(Reasons.UNREADABLE).build();
    }
    row.setSizeBytes(attrs.size()).setMtimeNs(attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    if (attrs.isSymbolicLink()) {
      row.setLanguage(languages.detect(name, new byte[0], 0).orElse(null));
      return row.setScanReason(symlinkReason(root, file)).build();
    }
    if (!attrs.isRegularFile()) {
      return row.setScanReason(Reasons.NOT_REGULAR).build();
    }
    ManifestRow before = previous.get(previousKey(repo, rel));
    if (!verifyHashes
        && before != null
        && before.getFileSha256() != null
        && before.getScanReason() == null
        && before.getSizeBytes() == attrs.size()
        && before.getMtimeNs() == row.getMtimeNs()) {
      String byName = languages.detect(name, new byte[0], 0).orElse(before.getLanguage());
      return row.setFileSha256(before.getFileSha256()).setLanguage(byName).build();
    }
    try {
      Hashed hashed = hash(file);
      return row.setFileSha256(hashed.sha256)
          .setSizeBytes(hashed.size)
          .setLanguage(languages.detect(name, hashed.head, hashed.headLength).orElse(null))
          .build();
    } catch (IOException | UncheckedIOException e) {
      return row.setScanReason(Reasons.UNREADABLE).build();
    }
  }

  private static String symlinkReason(Path root, Path link) {
    try {
      Path target = link.toRealPath();
      return target.startsWith(root) ? Reasons.SYMLINK : Reasons.SYMLINK_OUTSIDE_ROOT;
    } catch (IOException e) {
      return Reasons.SYMLINK_BROKEN;
    }
  }

  private record Hashed(String sha256, long size, byte[] head, int headLength) {}

  private static Hashed hash(Path file) throws IOException {
    MessageDigest digest = StableIds.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    byte[] head = new byte[HEAD_BYTES];
    int headLength = 0;
    long size = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        if (headLength < HEAD_BYTES) {
          int n = Math.min(HEAD_BYTES - headLength, buffer.remaining());
          System.arraycopy(buffer.array(), 0, head, headLength, n);
          headLength += n;
        }
        size += buffer.remaining();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return new Hashed(HexFormat.of().formatHex(digest.digest()), size, head, headLength);
  }

  /** Convenience for tests and the scan command: all rows of the given sources, in (repo, path) order. */
  public List<ManifestRow> scanAll(List<SourceRoot> sources) throws IOException {
    List<ManifestRow> rows = new ArrayList<>();
    for (SourceRoot s : sources.stream().sorted((a, b) -> a.repo().compareTo(b.repo())).toList()) {
      scan(s, rows::add);
    }
    return rows;
  }
}
