package dev.quarry.pipeline.hostile;

import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The bad-input corpus: every class of hostile input issue 8 lists, written into two source roots (a git
 * repository, listed with {@code git ls-files -z}, and a plain directory, walked), next to an {@code outside}
 * directory that no run may read. Each file is registered with the {@code files} row it must get.
 *
 * <p>Three steps, in this order: {@link #create} writes the corpus; the test scans it ({@code quarry scan});
 * {@link #afterScan} changes, deletes, locks and swaps files, the way a corpus changes between the scan and the
 * parse of a nightly run; {@link #hostileRows} adds manifest rows pointing outside the roots. Then the test extracts
 * from the edited manifest and checks every file against {@link #expected()}.
 */
final class HostileCorpus {
  static final String GIT = "hostile-git";
  static final String WALK = "hostile-walk";

  /** 10.5 MB on one line: over the default 4 MiB file cap. */
  static final int MINIFIED_BYTES = 10_500_000;
  static final int DEPTH = 100_000;
  static final int IDENTIFIER_BYTES = 1 << 20;
  static final int FENCES = 2000;
  static final int UNCLOSED_SCRIPTS = 2000;
  /** The bytes of race/swapdir/inner.py, and of the outside file its directory is swapped for. */
  private static final String SWAPPED = "def swapped_in():\n    return 'same bytes inside and outside'\n";

  /** Where a file-level diagnostic must point (container-absolute byte offset), when it has one. */
  record Expected(String repo, String path, String status, String reason, String what, Long diagnosticAt) {
    String key() {
      return repo + '\0' + path;
    }
  }

  final Path gitRoot;
  final Path walkRoot;
  final Path outside;
  /** A string that exists only outside the roots: it must appear nowhere in a snapshot. */
  final String secret;
  final boolean locking;
  private final Map<String, Expected> expected = new TreeMap<>();

  private HostileCorpus(Path dir, boolean locking) {
    this.gitRoot = dir.resolve(GIT);
    this.walkRoot = dir.resolve(WALK);
    this.outside = dir.resolve("outside");
    this.secret = "QUARRY_SECRET_" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    this.locking = locking;
  }

  /**
   * @param locking whether {@code chmod 000} makes files unreadable for the runs (see {@link Unprivileged});
   *     without it the permission cases are left out
   */
  static HostileCorpus create(Path dir, boolean locking) throws IOException, InterruptedException {
    HostileCorpus c = new HostileCorpus(dir, locking);
    Files.createDirectories(c.gitRoot);
    Files.createDirectories(c.walkRoot);
    Files.createDirectories(c.outside);
    c.writeOutside();
    for (String repo : List.of(GIT, WALK)) {
      c.writeCommon(repo);
    }
    c.writeGitOnly();
    c.writeWalkOnly();
    c.git("init", "-q", "-b", "main");
    c.git("add", "-A");
    c.git("-c", "user.name=quarry", "-c", "user.email=quarry@example.invalid", "commit", "-q", "-m", "corpus");
    // Untracked but not ignored: listed by `git ls-files --others --exclude-standard`.
    c.write(GIT, "untracked/new file.py", "def fresh():\n    return 1\n");
    c.expect(GIT, "untracked/new file.py", FileStatus.EXTRACTED, null, "untracked, not ignored");
    if (locking) {
      // git only warns about an untracked directory it cannot open, and lists nothing in it.
      c.write(GIT, "untracked/locked/hidden.py", "hidden = 4\n");
      c.lock(GIT, "untracked/locked");
      c.expect(GIT, "untracked/locked", FileStatus.FAILED, Reasons.UNREADABLE, "untracked directory of mode 000");
      for (String repo : List.of(GIT, WALK)) {
        c.lock(repo, "perm/locked-at-scan.py");
        c.lock(repo, "perm/locked-dir");
      }
    }
    return c;
  }

  Map<String, Expected> expected() {
    return Collections.unmodifiableMap(expected);
  }

  Path root(String repo) {
    return repo.equals(GIT) ? gitRoot : walkRoot;
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void writeOutside() throws IOException, InterruptedException {
    // Were it ever read, the secret would show: as a symbol name, and in the snippet of its syntax error.
    Files.writeString(outside.resolve("secret.py"), "def " + secret + "():\n    return (\n");
    Files.createDirectories(outside.resolve("swap"));
    Files.writeString(outside.resolve("swap/inner.py"), SWAPPED);
    // Opening a FIFO for reading blocks until someone writes: any attempt to read it would hang the run.
    mkfifo(outside.resolve("trap.py"));
  }

  /** Files written into both roots: what does not depend on how the root is listed. */
  private void writeCommon(String repo) throws IOException, InterruptedException {
    write(repo, "ok/hello.py", "def hello(name):\n    return 'hello ' + name\n");
    expect(repo, "ok/hello.py", FileStatus.EXTRACTED, null, "good file");

    // Names: spaces, non-ASCII, newlines, tabs, quotes, backslashes, a leading dash, things that look like syntax.
    for (String name : List.of("name with spaces.py", "café ünïcödé.py", "日本語.js", "emoji 🙂.rs", "new\nline.py",
        "tab\tname.go", "back\\slash.c", "-dash.py", "quote\"s'.py", "hash#seg:x.py", "dir with space/in side.py")) {
      String path = "names/" + name;
      write(repo, path, contentFor(name));
      expect(repo, path, FileStatus.EXTRACTED, null, "file name");
    }

    // Names that are not UTF-8 (Latin-1 bytes): no path string can name them exactly.
    run(root(repo).resolve("names"), List.of("bash", "-c", "printf 'x = 1\\n' > $'caf\\xe9.py'; printf 'x = 2\\n' > $'caf\\xe8.py'"));
    expect(repo, "names/caf\\xE9.py", FileStatus.FAILED, Reasons.UNREADABLE, "file name not UTF-8 (Latin-1 \u00e9)");
    expect(repo, "names/caf\\xE8.py", FileStatus.FAILED, Reasons.UNREADABLE, "file name not UTF-8 (Latin-1 \u00e8)");

    // Binary and encodings.
    writeBytes(repo, "enc/blob.c", new byte[] {'i', 'n', 't', 0, 1, 2, 3, '\n'});
    expect(repo, "enc/blob.c", FileStatus.SKIPPED, Reasons.BINARY, "NUL byte", 3L);
    byte[] lateNul = ("let a = 1;\n".repeat(500) + "\0tail\n").getBytes(StandardCharsets.UTF_8);
    writeBytes(repo, "enc/late-nul.js", lateNul);
    expect(repo, "enc/late-nul.js", FileStatus.SKIPPED, Reasons.BINARY, "NUL byte after 5500 good bytes", 5500L);
    writeBytes(repo, "enc/latin1.java", "class Caf\u00e9 {}\n".getBytes(StandardCharsets.ISO_8859_1));
    expect(repo, "enc/latin1.java", FileStatus.SKIPPED, Reasons.NOT_UTF8, "Latin-1", 9L);
    writeBytes(repo, "enc/truncated.py", concat("x = 'abc".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE2,
        (byte) 0x82}));
    expect(repo, "enc/truncated.py", FileStatus.SKIPPED, Reasons.NOT_UTF8, "truncated UTF-8 sequence at the end", 8L);
    writeBytes(repo, "enc/surrogate.rs", concat("fn a() {}\n".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    expect(repo, "enc/surrogate.rs", FileStatus.SKIPPED, Reasons.NOT_UTF8, "UTF-8-encoded surrogate (CESU)", 10L);
    writeBytes(repo, "enc/overlong.go", concat("package a // ".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xC0, (byte) 0xAF}));
    expect(repo, "enc/overlong.go", FileStatus.SKIPPED, Reasons.NOT_UTF8, "overlong encoding", 13L);
    writeBytes(repo, "enc/utf16le.py", "\uFEFFprint('hi')\n".getBytes(StandardCharsets.UTF_16LE));
    expect(repo, "enc/utf16le.py", FileStatus.SKIPPED, Reasons.NOT_UTF8, "UTF-16 LE with BOM", 0L);
    writeBytes(repo, "enc/utf16be.js", "\uFEFFlet a = 1;\n".getBytes(StandardCharsets.UTF_16BE));
    expect(repo, "enc/utf16be.js", FileStatus.SKIPPED, Reasons.NOT_UTF8, "UTF-16 BE with BOM", 0L);
    writeBytes(repo, "enc/utf16-nobom.py", "print('hi')\n".getBytes(StandardCharsets.UTF_16LE));
    expect(repo, "enc/utf16-nobom.py", FileStatus.SKIPPED, Reasons.BINARY, "UTF-16 without BOM (NUL bytes)", 1L);
    writeBytes(repo, "enc/bom.ts", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "export function bom(): number { return 1; }\n".getBytes(StandardCharsets.UTF_8)));
    expect(repo, "enc/bom.ts", FileStatus.EXTRACTED, null, "UTF-8 BOM (blanked for the parser, offsets kept)");

    // Line endings.
    write(repo, "lines/crlf.c", "int a(void) {\r\n  return 0;\r\n}\r\n\r\nint b(void) { return 1; }\r\n");
    expect(repo, "lines/crlf.c", FileStatus.EXTRACTED, null, "CRLF");
    write(repo, "lines/mixed.py", "def a():\n    return 1\r\n\r\ndef b():\r    return 2\n\ndef c():\n    return 3\r\n");
    expect(repo, "lines/mixed.py", FileStatus.EXTRACTED, null, "LF, CRLF and lone CR mixed");
    write(repo, "lines/cr-only.js", "function a() {}\rfunction b() {}\r");
    expect(repo, "lines/cr-only.js", FileStatus.EXTRACTED, null, "lone CR only (one line for tree-sitter)");
    write(repo, "lines/no-final-newline.rs", "fn main() {}");
    expect(repo, "lines/no-final-newline.rs", FileStatus.EXTRACTED, null, "no final newline");

    // Empty and blank.
    write(repo, "empty/empty.go", "");
    expect(repo, "empty/empty.go", FileStatus.EXTRACTED, null, "empty (no chunks)");
    write(repo, "empty/blank.py", "  \n\t\n\n");
    expect(repo, "empty/blank.py", FileStatus.EXTRACTED, null, "whitespace only (one chunk, no tokens)");

    // Nothing claims it.
    write(repo, "notes.txt", "plain text\n");
    expect(repo, "notes.txt", FileStatus.SKIPPED, Reasons.NO_GRAMMAR, "no grammar");

    // Symbolic links: never followed.
    Path links = Files.createDirectories(root(repo).resolve("links"));
    Files.createSymbolicLink(links.resolve("alias.py"), Path.of("../ok/hello.py"));
    expect(repo, "links/alias.py", FileStatus.SKIPPED, Reasons.SYMLINK, "link inside the root");
    Files.createSymbolicLink(links.resolve("up"), Path.of(".."));
    expect(repo, "links/up", FileStatus.SKIPPED, Reasons.SYMLINK, "link to the root itself (a directory cycle)");
    Files.createSymbolicLink(links.resolve("escape.py"), Path.of("../../outside/secret.py"));
    expect(repo, "links/escape.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT, "relative link leaving the root");
    Files.createSymbolicLink(links.resolve("escape-abs.py"), outside.resolve("secret.py").toAbsolutePath());
    expect(repo, "links/escape-abs.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT, "absolute link outside");
    Files.createSymbolicLink(links.resolve("trap.py"), Path.of("../../outside/trap.py"));
    expect(repo, "links/trap.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT, "link to a FIFO outside");
    Files.createSymbolicLink(links.resolve("outdir"), Path.of("../../outside"));
    expect(repo, "links/outdir", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT, "link to a directory outside");
    Files.createSymbolicLink(links.resolve("dev-zero.js"), Path.of("/dev/zero"));
    expect(repo, "links/dev-zero.js", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT, "link to a device");
    Files.createSymbolicLink(links.resolve("dangling.rs"), Path.of("nope.rs"));
    expect(repo, "links/dangling.rs", FileStatus.SKIPPED, Reasons.SYMLINK_BROKEN, "dangling link");
    Files.createSymbolicLink(links.resolve("loop-a.py"), Path.of("loop-b.py"));
    Files.createSymbolicLink(links.resolve("loop-b.py"), Path.of("loop-a.py"));
    expect(repo, "links/loop-a.py", FileStatus.SKIPPED, Reasons.SYMLINK_BROKEN, "link loop");
    expect(repo, "links/loop-b.py", FileStatus.SKIPPED, Reasons.SYMLINK_BROKEN, "link loop");
    Files.createSymbolicLink(links.resolve("self.py"), Path.of("self.py"));
    expect(repo, "links/self.py", FileStatus.SKIPPED, Reasons.SYMLINK_BROKEN, "link to itself");

    // Files that change between the scan and the parse (see afterScan).
    write(repo, "race/changed-same-size.py", "value = 'aaaa'\n");
    expect(repo, "race/changed-same-size.py", FileStatus.FAILED, Reasons.CHANGED_DURING_RUN, "rewritten, same size");
    write(repo, "race/changed-grown.py", "value = 1\n");
    expect(repo, "race/changed-grown.py", FileStatus.FAILED, Reasons.CHANGED_DURING_RUN, "appended to");
    write(repo, "race/deleted.py", "gone = True\n");
    expect(repo, "race/deleted.py", FileStatus.FAILED, Reasons.DELETED_DURING_RUN, "deleted");
    write(repo, "race/changed.md", "# Doc\n\n```python\nx = 1\n```\n");
    expect(repo, "race/changed.md", FileStatus.FAILED, Reasons.CHANGED_DURING_RUN, "container rewritten (plan reads it)");
    write(repo, "race/deleted.md", "# Doc\n\n```js\nlet y;\n```\n");
    expect(repo, "race/deleted.md", FileStatus.FAILED, Reasons.DELETED_DURING_RUN, "container deleted (plan reads it)");
    write(repo, "race/became-symlink.py", "value = 2\n");
    // The manifest is loaded after these changes: the driver sees the link (lstat) and refuses the row. Swaps after
    // loading are refused by the executor (changed_during_run; SegmentBytesConfinementTest).
    expect(repo, "race/became-symlink.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT,
        "replaced by a link to a file outside the root");
    write(repo, "race/became-fifo.py", "value = 3\n");
    expect(repo, "race/became-fifo.py", FileStatus.FAILED, Reasons.CHANGED_DURING_RUN,
        "replaced by a FIFO (opening it would block)");
    write(repo, "race/swapdir/inner.py", SWAPPED);
    write(repo, "race/grew-huge.py", "value = 4\n");
    expect(repo, "race/grew-huge.py", FileStatus.FAILED, Reasons.CHANGED_DURING_RUN, "grew to 1.5 GB (sparse)");
    expect(repo, "race/swapdir/inner.py", FileStatus.SKIPPED, Reasons.SYMLINK_OUTSIDE_ROOT,
        "its directory replaced by a link to an outside directory holding the same bytes");

    // Permissions (see Unprivileged).
    if (locking) {
      write(repo, "perm/locked-at-scan.py", "hidden = 1\n");
      expect(repo, "perm/locked-at-scan.py", FileStatus.FAILED, Reasons.UNREADABLE, "mode 000 before the scan");
      write(repo, "perm/locked-after-scan.py", "hidden = 2\n");
      expect(repo, "perm/locked-after-scan.py", FileStatus.FAILED, Reasons.UNREADABLE, "mode 000 after the scan");
      write(repo, "perm/locked-dir/inner.py", "hidden = 3\n");
      // The directory cannot be listed: it gets a row of its own (untracked files in it would be missing). git
      // also lists the tracked file from its index; the file cannot be reached.
      expect(repo, "perm/locked-dir", FileStatus.FAILED, Reasons.UNREADABLE, "a directory of mode 000");
      if (repo.equals(GIT)) {
        expect(repo, "perm/locked-dir/inner.py", FileStatus.FAILED, Reasons.UNREADABLE, "in a directory of mode 000");
      }
    }
  }

  private void writeGitOnly() throws IOException {
    String repo = GIT;
    writeBytes(repo, "big/minified.min.js", HostileFiles.minifiedJs(MINIFIED_BYTES));
    expect(repo, "big/minified.min.js", FileStatus.SKIPPED, Reasons.OVER_FILE_CAP, "10.5 MB on one line", 0L);
    write(repo, "deep/deep.json", HostileFiles.deepJson(DEPTH));
    expect(repo, "deep/deep.json", FileStatus.EXTRACTED, null, "100,000 nested arrays");
    write(repo, "deep/deep.js", HostileFiles.deepJs(DEPTH));
    expect(repo, "deep/deep.js", FileStatus.EXTRACTED, null, "100,000 nested parentheses");
    write(repo, "deep/deep.c", HostileFiles.deepC(DEPTH));
    expect(repo, "deep/deep.c", FileStatus.EXTRACTED, null, "100,000 nested blocks");
    write(repo, "ident/huge.js", HostileFiles.hugeIdentifierJs(IDENTIFIER_BYTES));
    expect(repo, "ident/huge.js", FileStatus.EXTRACTED, null, "1 MB identifier");
    write(repo, "containers/fences.md", HostileFiles.manyFences(FENCES));
    expect(repo, "containers/fences.md", FileStatus.EXTRACTED, null, "2,000 fenced blocks");
    write(repo, "containers/unclosed.html", HostileFiles.unclosedScripts(UNCLOSED_SCRIPTS));
    expect(repo, "containers/unclosed.html", FileStatus.EXTRACTED, null, "2,000 unclosed <script tags");
    write(repo, ".gitignore", "build/\n");
    expect(repo, ".gitignore", FileStatus.SKIPPED, Reasons.NO_GRAMMAR, "no grammar");
    write(repo, "build/ignored.py", "ignored = True\n"); // ignored by git: no row at all
    write(repo, "scripts/tool", "#!/usr/bin/env -S python3 -u\nprint('tool')\n");
    expect(repo, "scripts/tool", FileStatus.EXTRACTED, null, "shebang with env -S and flags");
    writeBytes(repo, "scripts/garbage-shebang", new byte[] {'#', '!', (byte) 0xFF, (byte) 0xFE, ' ', '\n'});
    expect(repo, "scripts/garbage-shebang", FileStatus.SKIPPED, Reasons.NO_GRAMMAR, "shebang of invalid UTF-8");
  }

  private void writeWalkOnly() throws IOException, InterruptedException {
    String repo = WALK;
    Path special = Files.createDirectories(walkRoot.resolve("special"));
    mkfifo(special.resolve("pipe.py"));
    expect(repo, "special/pipe.py", FileStatus.SKIPPED, Reasons.NOT_REGULAR, "FIFO (never opened)");
    // A nested .git directory is pruned by the walk: none of its files get a row.
    write(repo, "vendor/dep/.git/HEAD", "ref: refs/heads/main\n");
    write(repo, "vendor/dep/lib.py", "def dep():\n    return 0\n");
    expect(repo, "vendor/dep/lib.py", FileStatus.EXTRACTED, null, "next to a pruned nested .git");
  }

  /**
   * Between the scan and the parse: rewrite, grow, delete, lock, and swap files for links and FIFOs. The manifest
   * still holds what the scan saw.
   */
  void afterScan() throws IOException, InterruptedException {
    for (String repo : List.of(GIT, WALK)) {
      Path r = root(repo);
      Files.writeString(r.resolve("race/changed-same-size.py"), "value = 'bbbb'\n");
      Files.writeString(r.resolve("race/changed-grown.py"), "value = 1\nmore = 2\n");
      Files.delete(r.resolve("race/deleted.py"));
      Files.writeString(r.resolve("race/changed.md"), "# Doc\n\n```python\nx = 2\n```\n");
      Files.delete(r.resolve("race/deleted.md"));
      Files.delete(r.resolve("race/became-symlink.py"));
      Files.createSymbolicLink(r.resolve("race/became-symlink.py"), outside.resolve("secret.py"));
      Files.delete(r.resolve("race/became-fifo.py"));
      mkfifo(r.resolve("race/became-fifo.py"));
      Files.move(r.resolve("race/swapdir"), r.resolve("race/swapdir-moved"));
      Files.createSymbolicLink(r.resolve("race/swapdir"), outside.resolve("swap"));
      try (RandomAccessFile f = new RandomAccessFile(r.resolve("race/grew-huge.py").toFile(), "rw")) {
        f.setLength(1_500_000_000L); // sparse: costs no disk; reading it whole would need 1.5 GB of heap
      }
      if (locking) {
        lock(repo, "perm/locked-after-scan.py");
      }
    }
  }

  /**
   * Manifest rows no scan produces, as a hand-edited or hostile manifest could hold: paths that leave the root
   * lexically, absolutely, through a link inside the root, or that cannot be paths at all. Each must be refused
   * without being read.
   */
  List<ManifestRow> hostileRows() throws IOException {
    String root = walkRoot.toAbsolutePath().toString();
    String secretSha = StableIds.sha256Hex(Files.readAllBytes(outside.resolve("secret.py")));
    long secretSize = Files.size(outside.resolve("secret.py"));
    List<ManifestRow> rows = new ArrayList<>();
    String[][] cases = {
      {"../outside/secret.py", Reasons.OUTSIDE_ROOT, "dot-dot out of the root"},
      {"names/../../outside/secret.py", Reasons.OUTSIDE_ROOT, "dot-dot through a real directory"},
      {outside.resolve("secret.py").toAbsolutePath().toString(), Reasons.OUTSIDE_ROOT, "absolute path"},
      {"../outside/trap.py", Reasons.OUTSIDE_ROOT, "dot-dot to a FIFO (reading it would hang)"},
      {"ok/./hello.py", Reasons.OUTSIDE_ROOT, "not a plain path (a '.' element)"},
      {"", Reasons.OUTSIDE_ROOT, "the root itself"},
      {"bad\u0000name.py", Reasons.OUTSIDE_ROOT, "a NUL character (no such path can exist)"},
      {"links/outdir/secret.py", Reasons.SYMLINK_OUTSIDE_ROOT, "through a link inside the root that points outside"},
      {"links/outdir/trap.py", Reasons.SYMLINK_OUTSIDE_ROOT, "through a link to a FIFO outside"},
      {"links/up/ok/hello.py", Reasons.SYMLINK, "through a link inside the root that points inside"},
      {"links/dangling.rs/x.py", Reasons.SYMLINK_BROKEN, "through a dangling link"},
    };
    for (String[] c : cases) {
      rows.add(row(root, c[0], secretSha, secretSize));
      expect(WALK, c[0], FileStatus.SKIPPED, c[1], "manifest row: " + c[2]);
    }
    ManifestRow relativeRoot = ManifestRow.newBuilder(row("relative/root", "secret.py", secretSha, secretSize))
        .setRepo("hostile-relative").build();
    rows.add(relativeRoot);
    expect("hostile-relative", "secret.py", FileStatus.SKIPPED, Reasons.OUTSIDE_ROOT,
        "manifest row with a relative source root");
    return rows;
  }

  private static ManifestRow row(String root, String path, String sha, long size) {
    return ManifestRow.newBuilder().setRepo(WALK).setPath(path).setSourceRoot(root).setSizeBytes(size)
        .setMtimeNs(0).setFileSha256(sha).setLanguage("python").setScanReason(null).build();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void expect(String repo, String path, String status, String reason, String what) {
    expect(repo, path, status, reason, what, null);
  }

  private void expect(String repo, String path, String status, String reason, String what, Long diagnosticAt) {
    Expected e = new Expected(repo, path, status, reason, what, diagnosticAt);
    if (expected.put(e.key(), e) != null) {
      throw new IllegalStateException("two expectations for " + repo + "/" + path);
    }
  }

  private static String contentFor(String name) {
    if (name.endsWith(".py")) {
      return "def f():\n    return " + name.length() + "\n";
    } else if (name.endsWith(".js")) {
      return "function f() { return " + name.length() + "; }\n";
    } else if (name.endsWith(".rs")) {
      return "fn f() -> usize { " + name.length() + " }\n";
    } else if (name.endsWith(".go")) {
      return "package p\n\nfunc F() int { return " + name.length() + " }\n";
    } else if (name.endsWith(".c")) {
      return "int f(void) { return " + name.length() + "; }\n";
    }
    throw new IllegalArgumentException(name);
  }

  private void write(String repo, String rel, String text) throws IOException {
    writeBytes(repo, rel, text.getBytes(StandardCharsets.UTF_8));
  }

  private void writeBytes(String repo, String rel, byte[] bytes) throws IOException {
    Path file = root(repo).resolve(rel);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private void lock(String repo, String rel) throws IOException {
    Files.setPosixFilePermissions(root(repo).resolve(rel), PosixFilePermissions.fromString("---------"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    run(path.getParent(), List.of("mkfifo", path.getFileName().toString()));
  }

  private void git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    run(gitRoot, command);
  }

  private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command + " failed in " + dir + ": " + out);
    }
  }
}
