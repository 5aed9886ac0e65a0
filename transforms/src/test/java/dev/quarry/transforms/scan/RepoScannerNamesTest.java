package dev.quarry.transforms.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.Reasons;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File names that are not UTF-8 have no exact string form. Each still gets its own row (bad bytes as {@code \xHH})
 * saying it cannot be read, in a walked directory and in a git repository alike; none vanishes, none merges with
 * another.
 */
class RepoScannerNamesTest {
  @TempDir Path tmp;

  private static void sh(Path dir, String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(script + ": " + out);
    }
  }

  private List<ManifestRow> scan(Path root) throws Exception {
    RepoScanner scanner = new RepoScanner(new LanguageDetector(GrammarRegistry.get().all()), List.of(), Map.of(), true);
    return scanner.scanAll(List.of(SourceRoot.parse(root.toString())));
  }

  @Test
  void latin1NamesKeepOneRowEachInAWalk() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("walk"));
    sh(root, "printf 'x = 1\\n' > $'caf\\xe9.py'; printf 'x = 2\\n' > $'caf\\xe8.py'; printf 'y = 1\\n' > ok.py");
    check(scan(root));
  }

  @Test
  void latin1NamesKeepOneRowEachInAGitRepository() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("git"));
    sh(root, "git init -q && printf 'x = 1\\n' > $'caf\\xe9.py' && printf 'x = 2\\n' > $'caf\\xe8.py'"
        + " && printf 'y = 1\\n' > ok.py && git add -A"
        + " && git -c user.name=q -c user.email=q@example.invalid commit -qm x");
    check(scan(root));
  }

  private static void check(List<ManifestRow> rows) {
    assertEquals(List.of("caf\\xE8.py", "caf\\xE9.py", "ok.py"), rows.stream().map(ManifestRow::getPath).toList());
    for (ManifestRow r : rows.subList(0, 2)) {
      assertEquals(Reasons.UNREADABLE, r.getScanReason(), r.toString());
      assertNull(r.getFileSha256());
    }
    assertNull(rows.get(2).getScanReason());
  }

  @Test
  void escapingKeepsValidUtf8AndMarksEveryBadByte() {
    assertEquals("café", PathNames.escaped("café".getBytes(StandardCharsets.UTF_8)));
    assertEquals("caf\\xE9\\xFF/\u00e9", PathNames.escaped(new byte[] {'c', 'a', 'f', (byte) 0xE9, (byte) 0xFF, '/',
        (byte) 0xC3, (byte) 0xA9}));
    assertNull(PathNames.display(new byte[] {(byte) 0xC0, (byte) 0xAF}));
    assertEquals("\\xC0\\xAF", PathNames.escaped(new byte[] {(byte) 0xC0, (byte) 0xAF}));
  }
}
