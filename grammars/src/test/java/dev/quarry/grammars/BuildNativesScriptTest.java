package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs build/build-natives.mjs the way Maven does, against the build cache the module build just
 * filled (so nothing is compiled; at most one small tarball is re-fetched through npm's cache).
 */
class BuildNativesScriptTest {
  private static final Path MODULE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
  private static final Path STAGED = MODULE.resolve("target/generated-resources/natives");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void integrityMismatchFailsNamingPackageAndBothHashes() throws Exception {
    ArrayNode lock = (ArrayNode) JSON.readTree(MODULE.resolve("grammars.lock.json").toFile());
    ObjectNode regex = (ObjectNode) entry(lock, "regex");
    String actual = regex.get("integrity").asText();
    String wrong = entry(lock, "json").get("integrity").asText();
    regex.put("integrity", wrong);
    Path badLock = temp.resolve("lock.json");
    JSON.writeValue(badLock.toFile(), JSON.createArrayNode().add(regex));

    Result result = run(badLock, temp.resolve("out"));

    assertNotEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("tree-sitter-regex@0.25.0"), result.stderr());
    assertTrue(result.stderr().contains("expected " + wrong), result.stderr());
    assertTrue(result.stderr().contains("actual " + actual), result.stderr());
    assertFalse(Files.exists(temp.resolve("out/quarry/grammars.json")), "nothing staged after a failure");
  }

  @Test
  void rebuildIsCachedAndByteIdentical() throws Exception {
    Path out = temp.resolve("out");
    Result result = run(MODULE.resolve("grammars.lock.json"), out);

    assertEquals(0, result.exitCode(), result.toString());
    assertTrue(result.stdout().contains("42 cached, 0 compiled"), result.stdout());
    List<Path> staged = files(STAGED);
    assertEquals(staged, files(out));
    for (Path file : staged) {
      assertEquals(-1L, Files.mismatch(STAGED.resolve(file), out.resolve(file)), file.toString());
    }
  }

  private static JsonNode entry(ArrayNode lock, String name) {
    for (JsonNode e : lock) {
      if (e.get("name").asText().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("no " + name + " in the lock");
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result run(Path lock, Path out) throws Exception {
    Path stdout = temp.resolve("stdout.txt");
    Path stderr = temp.resolve("stderr.txt");
    Process p =
        new ProcessBuilder("node", "build/build-natives.mjs", "--lock", lock.toString(), "--out", out.toString())
            .directory(MODULE.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("build-natives.mjs did not finish in 5 minutes");
    }
    return new Result(
        p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
