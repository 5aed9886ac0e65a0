package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Per-language golden files: {@code src/test/resources/golden/<grammar>/input.<ext>} and the rendering of its
 * chunks, token buckets, symbols and diagnostics in {@code expected.txt}. After an intended change, regenerate
 * with {@code -Dquarry.updateGoldens=true}, read the diff, and run again without the flag: while it is set the
 * test fails, so it cannot be left on.
 */
class GoldenTest {
  static final String UPDATE_PROPERTY = "quarry.updateGoldens";
  static final Path GOLDEN_DIR = Path.of("src", "test", "resources", "golden");
  /** Small limits, so that the short inputs are split and merged. */
  static final ChunkingConfig CONFIG = new ChunkingConfig(512, 128);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "java, java",
    "python, py",
    "javascript, js",
    "typescript, ts",
    "go, go",
    "rust, rs",
    "c, c"
  })
  void matchesGolden(String grammar, String extension) throws IOException {
    String input = "input." + extension;
    byte[] content = ConsumerFixtures.resource("golden/" + grammar + "/" + input);
    SegmentContext context = SegmentContext.wholeFile("repo", input, "seg-1", grammar, content);
    String actual;
    try (SegmentConsumers consumers = ConsumerFixtures.consumers(grammar, CONFIG)) {
      actual = GoldenRenderer.render(grammar + "/" + input, context, CONFIG, ConsumerFixtures.run(consumers, context));
    }
    Path expected = GOLDEN_DIR.resolve(grammar).resolve("expected.txt");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
      fail("regenerated " + expected + " because -D" + UPDATE_PROPERTY + "=true; review the diff and run the tests"
          + " again without the flag");
    }
    if (!Files.exists(expected)) {
      fail(expected + " does not exist; generate it with -D" + UPDATE_PROPERTY + "=true and review it");
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual,
        "output for " + grammar + " differs from " + expected + " (regenerate with -D" + UPDATE_PROPERTY + "=true"
            + " if the change is intended)");
  }
}
