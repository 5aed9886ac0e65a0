package dev.quarry.pipeline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Benchmark corpora built from real code already on the machine, nothing downloaded: the JDK's {@code lib/src.zip},
 * Python's standard library, npm's own package directory, or a mix of the three. A corpus is the sorted-path prefix
 * of its source that reaches the byte budget, materialized once under the cache directory as {@code copy-1}; the
 * 4x corpus adds {@code copy-2..4}, hard links of {@code copy-1} (each scanned as its own repo), so 1x and 4x differ
 * only in size. A {@code copy-N.complete} marker next to each copy makes reruns reuse it.
 */
final class BenchCorpus {
  enum Kind {
    JDK, PYTHON, NPM, MIXED, DIR;

    static Kind parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** A materialized corpus: {@code copies.get(i)} is the root of copy {@code i + 1}. */
  record Materialized(String name, Path base, List<Path> copies, long filesPerCopy, long bytesPerCopy) {
    /** {@code name-N=dir} source specs of the first {@code scale} copies. */
    List<String> sources(int scale) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < scale; i++) {
        out.add(name + "-" + (i + 1) + "=" + copies.get(i));
      }
      return out;
    }
  }

  private static final String MARKER = ".complete";

  private BenchCorpus() {}

  /**
   * The corpus with at least {@code scale} copies, built (or completed) under {@code cache}.
   *
   * @param dir the source directory when {@code kind} is {@link Kind#DIR} (copied whole, no budget)
   */
  static Materialized prepare(Kind kind, Path dir, long budgetBytes, int scale, Path cache, PrintStream log)
      throws IOException, InterruptedException {
    String name = kind == Kind.DIR
        ? "dir-" + Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode())
        : kind.name().toLowerCase(Locale.ROOT) + "-" + (budgetBytes >> 20) + "mb";
    Path base = cache.resolve("corpora").resolve(name);
    Path first = base.resolve("copy-1");
    if (!Files.isRegularFile(marker(first))) {
      deleteTree(first);
      Files.createDirectories(first);
      log.printf(Locale.ROOT, "bench: building corpus %s in %s%n", name, first);
      switch (kind) {
        case JDK -> fromJdkSources(first, budgetBytes);
        case PYTHON -> fromTree(pythonStdlib(), first, budgetBytes, BenchCorpus::isPythonSource);
        case NPM -> fromTree(npmPackage(), first, budgetBytes, p -> true);
        case MIXED -> {
          long third = budgetBytes / 3;
          fromJdkSources(first.resolve("jdk"), third);
          fromTree(pythonStdlib(), first.resolve("python"), third, BenchCorpus::isPythonSource);
          fromTree(npmPackage(), first.resolve("npm"), budgetBytes - 2 * third, p -> true);
        }
        case DIR -> fromTree(dir, first, Long.MAX_VALUE, p -> true);
      }
      long[] size = measure(first);
      Files.writeString(marker(first), size[0] + " files, " + size[1] + " bytes\n");
    }
    long[] size = measure(first);
    List<Path> copies = new ArrayList<>(List.of(first));
    for (int i = 2; i <= scale; i++) {
      Path copy = base.resolve("copy-" + i);
      if (!Files.isRegularFile(marker(copy))) {
        deleteTree(copy);
        log.printf(Locale.ROOT, "bench: linking copy %d of %s%n", i, name);
        linkTree(first, copy);
        Files.copy(marker(first), marker(copy), StandardCopyOption.REPLACE_EXISTING);
      }
      copies.add(copy);
    }
    return new Materialized(name, base, copies, size[0], size[1]);
  }

  /** The marker next to a copy (not inside it: the copy is scanned whole). */
  private static Path marker(Path copy) {
    return copy.resolveSibling(copy.getFileName() + MARKER);
  }

  /** Files and bytes under {@code root}. */
  static long[] measure(Path root) throws IOException {
    long[] out = new long[2];
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> {
            out[0]++;
            out[1] += p.toFile().length();
          });
    }
    return out;
  }

  /** Reads every file once so the first timed phase does not pay for a cold page cache. */
  static void warm(List<Path> roots) throws IOException {
    byte[] buffer = new byte[1 << 16];
    for (Path root : roots) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : (Iterable<Path>) walk.filter(q -> Files.isRegularFile(q, LinkOption.NOFOLLOW_LINKS))::iterator) {
          try (InputStream in = Files.newInputStream(p)) {
            while (in.read(buffer) > 0) {}
          }
        }
      }
    }
  }

  private static void fromJdkSources(Path into, long budget) throws IOException {
    Path zip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    if (!Files.isRegularFile(zip)) {
      throw new IOException("the JDK running the bench has no " + zip + "; use --corpus python|npm or --corpus-dir DIR");
    }
    try (ZipFile z = new ZipFile(zip.toFile())) {
      Map<String, ZipEntry> sorted = new TreeMap<>();
      z.stream().filter(e -> !e.isDirectory() && e.getName().endsWith(".java")).forEach(e -> sorted.put(e.getName(), e));
      long total = 0;
      for (ZipEntry e : sorted.values()) {
        if (total >= budget) {
          break;
        }
        Path target = into.resolve(e.getName()).normalize();
        if (!target.startsWith(into)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = z.getInputStream(e)) {
          total += Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void fromTree(Path source, Path into, long budget, java.util.function.Predicate<Path> include)
      throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !source.relativize(p).toString().contains(".git/"))
          .filter(include)
          .sorted(Comparator.comparing(p -> source.relativize(p).toString()))
          .toList();
    }
    long total = 0;
    for (Path p : files) {
      if (total >= budget) {
        break;
      }
      Path target = into.resolve(source.relativize(p).toString());
      Files.createDirectories(target.getParent());
      Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
      total += Files.size(target);
    }
  }

  private static boolean isPythonSource(Path p) {
    String s = p.toString();
    return s.endsWith(".py") && !s.contains("/site-packages/") && !s.contains("/__pycache__/");
  }

  private static Path pythonStdlib() throws IOException, InterruptedException {
    String out = command("python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])");
    return existingDir(out, "Python's standard library (python3 -c 'import sysconfig; ...')");
  }

  private static Path npmPackage() throws IOException, InterruptedException {
    String root = command("npm", "root", "-g");
    return existingDir(root + "/npm", "npm's package directory ($(npm root -g)/npm)");
  }

  private static Path existingDir(String dir, String what) throws IOException {
    Path p = Path.of(dir.trim());
    if (!Files.isDirectory(p)) {
      throw new IOException(what + " not found at " + p);
    }
    return p.toRealPath();
  }

  private static String command(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
      throw new IOException(String.join(" ", cmd) + " failed; is it installed?");
    }
    return out.lines().reduce((a, b) -> b).orElse(out);
  }

  private static void linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          try {
            Files.createLink(target, p);
          } catch (UnsupportedOperationException | IOException e) {
            if (e instanceof FileAlreadyExistsException) {
              throw e;
            }
            Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
