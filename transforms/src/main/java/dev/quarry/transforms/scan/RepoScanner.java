package dev.quarry.transforms.scan;

import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.io.ConfinedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    Listing listing = listPaths(root);
    long count = 0;
    for (String rel : listing.paths()) {
      if (isExcluded(rel)) {
        continue;
      }
      sink.accept(listing.unlistable().contains(rel)
          ? unreadable(source.repo(), root, rel)
          : describe(source.repo(), root, rel));
      count++;
    }
    return count;
  }

  /**
   * The paths of a root, sorted. {@code unlistable} are paths that get a row but can never be read by path: a name
   * that is not UTF-8 (shown with its bad bytes as {@code \xHH}, so no two collapse into one row), a directory that
   * could not be listed.
   */
  private record Listing(TreeSet<String> paths, Set<String> unlistable) {}

  private static ManifestRow unreadable(String repo, Path root, String rel) {
    return ManifestRow.newBuilder().setRepo(repo).setPath(rel).setSourceRoot(root.toString()).setSizeBytes(0)
        .setMtimeNs(0).setScanReason(Reasons.UNREADABLE).build();
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

  private static Listing listPaths(Path root) throws IOException {
    return Files.isDirectory(root.resolve(".git"), LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(root.resolve(".git"))
        ? gitPaths(root)
        : walkPaths(root);
  }

  /** git reports directories it could not open (and lists nothing inside them) only as warnings. */
  private static final Pattern GIT_UNOPENABLE = Pattern.compile("could not open directory '(.+?)/?': ");

  private static Listing gitPaths(Path root) throws IOException {
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
    Set<String> unlistable = new HashSet<>();
    int start = 0;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0) {
        byte[] raw = Arrays.copyOfRange(out, start, i);
        start = i + 1;
        String rel = PathNames.display(raw);
        if (rel == null) {
          rel = PathNames.escaped(raw);
          unlistable.add(rel);
          paths.add(rel);
          continue;
        }
        // Tracked files deleted from the work tree are not files of the corpus any more. Anything else that stops
        // lstat (a directory without permission) keeps the row, which then says the file is unreadable.
        try {
          Files.readAttributes(root.resolve(rel), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          paths.add(rel);
        } catch (NoSuchFileException e) {
          // deleted
        } catch (IOException e) {
          paths.add(rel);
        }
      }
    }
    Matcher m = GIT_UNOPENABLE.matcher(new String(err, StandardCharsets.UTF_8));
    while (m.find()) {
      paths.add(m.group(1));
      unlistable.add(m.group(1));
    }
    return new Listing(paths, unlistable);
  }

  private static Listing walkPaths(Path root) throws IOException {
    TreeSet<String> paths = new TreeSet<>();
    Set<String> unlistable = new HashSet<>();
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
            add(file, false);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            // An unreadable directory or file still gets a row that says so.
            if (!(exc instanceof FileSystemLoopException)) {
              add(file, true);
            }
            return FileVisitResult.CONTINUE;
          }

          private void add(Path file, boolean failed) {
            String rel = relative(root, file);
            if (!root.resolve(rel).equals(file)) {
              // The name is not UTF-8: its string form lost bytes and names another file (or none).
              rel = PathNames.escaped(PathNames.rawBytes(root, file));
              unlistable.add(rel);
            } else if (failed) {
              unlistable.add(rel);
            }
            paths.add(rel);
          }
        });
    return new Listing(paths, unlistable);
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
      Hashed hashed = hash(root, rel);
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

  private static Hashed hash(Path root, String rel) throws IOException {
    MessageDigest digest = StableIds.sha256();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    byte[] head = new byte[HEAD_BYTES];
    int headLength = 0;
    long size = 0;
    // Confined: a directory or file swapped for a link or a FIFO since the listing is refused, never followed or opened.
    try (SeekableByteChannel ch = ConfinedFiles.open(root, rel)) {
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
