package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.treesitter.jtreesitter.Language;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar alone is enough: a fresh JVM with no library path and an empty native cache parses
 * Java through the natives inside the jar.
 */
class GrammarsJarIT {
  private static final Path JAR = Path.of(System.getProperty("quarry.grammars.jar", "target/missing.jar"));

  @TempDir Path temp;

  @Test
  void jarContainsIndexNativesQueriesAndServiceRegistration() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "run after `package`: " + JAR);
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertNotNull(jar.getEntry("quarry/grammars.json"));
      assertNotNull(jar.getEntry("META-INF/services/io.github.treesitter.jtreesitter.NativeLibraryLookup"));
      for (GrammarSpec spec : GrammarRegistry.get().all()) {
        assertNotNull(jar.getEntry(spec.library()), spec.library());
      }
      assertNotNull(jar.getEntry("quarry/queries/java/tags.scm"));
    }
  }

  @Test
  void freshJvmParsesJavaFromTheJarAlone() throws Exception {
    Path nativeCache = temp.resolve("natives");
    String classPath =
        Stream.of(JAR, jarOf(Language.class), jarOf(ObjectMapper.class), jarOf(JsonFactory.class), jarOf(JsonProperty.class))
            .map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator));
    Path probe = Path.of(GrammarsJarIT.class.getResource("/it/ParseProbe.java").toURI());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
                java.toString(), "--enable-native-access=ALL-UNNAMED", "-Djava.library.path=", "-cp", classPath,
                probe.toString(), "java", "class A { int f() { return 1; } }")
            .redirectOutput(temp.resolve("out.txt").toFile())
            .redirectError(temp.resolve("err.txt").toFile());
    Map<String, String> env = pb.environment();
    env.remove("LD_LIBRARY_PATH");
    env.put("QUARRY_NATIVE_CACHE", nativeCache.toString());

    Process p = pb.start();
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM timed out");
    String out = Files.readString(temp.resolve("out.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(temp.resolve("err.txt"), StandardCharsets.UTF_8);

    assertEquals(0, p.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
    assertEquals(
        List.of(
            "verified " + GrammarRegistry.get().all().size() + " grammars",
            "(program (class_declaration name: (identifier) body: (class_body (method_declaration type:"
                + " (integral_type) name: (identifier) parameters: (formal_parameters) body: (block"
                + " (return_statement (decimal_integer_literal)))))))"),
        out.lines().toList());
    String core = GrammarRegistry.get().coreLibrarySha256();
    assertTrue(Files.isRegularFile(nativeCache.resolve(core).resolve("libtree-sitter.so")), "core extracted from the jar");
  }

  private static Path jarOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
