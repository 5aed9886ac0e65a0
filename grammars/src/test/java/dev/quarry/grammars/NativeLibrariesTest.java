package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
  private static final GrammarSpec JSON = GrammarRegistry.get().byName("json").orElseThrow();

  @TempDir Path cache;

  // Held strongly: JUL keeps loggers only weakly, and the handler must outlive this test's calls.
  private final Logger julLogger = Logger.getLogger(NativeLibraries.class.getName());
  private final List<String> warnings = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(new SimpleFormatter().formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureWarnings() {
    julLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    julLogger.removeHandler(capture);
  }

  @Test
  void extractsIntoAContentAddressedFile() throws IOException {
    Path file = new NativeLibraries(cache).file(JSON.library(), JSON.librarySha256());
    assertEquals(cache.resolve(JSON.librarySha256()).resolve("libtree-sitter-json.so"), file);
    assertArrayEquals(resourceBytes(JSON.library()), Files.readAllBytes(file));
    assertEquals(List.of(file), listDir(file.getParent()), "no temp files left behind");
  }

  @Test
  void corruptCachedFileIsReportedAndReplaced() throws IOException {
    Path file = new NativeLibraries(cache).file(JSON.library(), JSON.librarySha256());
    Files.write(file, new byte[] {0x7f, 'E', 'L', 'F', 0});
    String corruptHash = NativeLibraries.sha256(Files.readAllBytes(file));

    // A new instance stands for the next JVM: the current one trusts what it has verified.
    Path repaired = new NativeLibraries(cache).file(JSON.library(), JSON.librarySha256());

    assertEquals(file, repaired);
    assertEquals(JSON.librarySha256(), NativeLibraries.sha256(Files.readAllBytes(repaired)));
    assertEquals(1, warnings.size(), warnings.toString());
    String warning = warnings.get(0);
    assertTrue(warning.contains(file.toString()), warning);
    assertTrue(warning.contains("expected sha256 " + JSON.librarySha256()), warning);
    assertTrue(warning.contains("actual " + corruptHash), warning);
  }

  @Test
  void jarResourceNotMatchingTheIndexIsAnIntegrityError() throws IOException {
    String recorded = "0".repeat(64);
    String actual = NativeLibraries.sha256(resourceBytes(JSON.library()));
    NativeIntegrityException e =
        assertThrows(NativeIntegrityException.class, () -> new NativeLibraries(cache).file(JSON.library(), recorded));
    assertTrue(e.getMessage().contains(JSON.library()), e.getMessage());
    assertTrue(e.getMessage().contains("has sha256 " + actual), e.getMessage());
    assertTrue(e.getMessage().contains("expects " + recorded), e.getMessage());
    assertTrue(e.getMessage().contains("rebuild"), e.getMessage());
  }

  @Test
  void missingResourceIsAnIntegrityError() {
    NativeIntegrityException e =
        assertThrows(
            NativeIntegrityException.class,
            () -> new NativeLibraries(cache).file("quarry/natives/nowhere/libnothing.so", JSON.librarySha256()));
    assertTrue(e.getMessage().contains("quarry/natives/nowhere/libnothing.so"), e.getMessage());
  }

  @Test
  void concurrentExtractionsAgree() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Path>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        // Separate instances share nothing in memory, like separate JVMs sharing the cache directory.
        tasks.add(() -> new NativeLibraries(cache).file(JSON.library(), JSON.librarySha256()));
      }
      for (Future<Path> f : pool.invokeAll(tasks)) {
        assertEquals(JSON.librarySha256(), NativeLibraries.sha256(Files.readAllBytes(f.get())));
      }
    } finally {
      pool.shutdownNow();
    }
    Path dir = cache.resolve(JSON.librarySha256());
    assertEquals(List.of(dir.resolve("libtree-sitter-json.so")), listDir(dir), "no temp files left behind");
    assertEquals(List.of(), warnings);
  }

  private static List<Path> listDir(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  private static byte[] resourceBytes(String resource) throws IOException {
    try (InputStream in = NativeLibrariesTest.class.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }
}
