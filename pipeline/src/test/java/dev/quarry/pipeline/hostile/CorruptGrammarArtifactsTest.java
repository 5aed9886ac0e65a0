package dev.quarry.pipeline.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native safety (issue 8, point 4): a {@code quarry-grammars} build whose artifacts are corrupt fails
 * {@code quarry extract} at start-up, before any work (no output directory, no scan), with a message that names
 * each broken grammar and what is wrong: a library whose bytes do not match the recorded hash; one cut short (whose
 * hash was recorded as it is: dlopen would kill the JVM with SIGBUS); one the OS refuses (built for another
 * machine); one without the grammar's symbol; one whose declared ABI is outside what jtreesitter supports. The unit
 * tests of each check are in the grammars module ({@code NativeLibrariesTest}, {@code GrammarLoadFailureTest}); this
 * is the whole CLI on a doctored jar, in a fresh JVM with an empty native cache (a cache already holding the good
 * library would, rightly, never read the jar's copy).
 */
class CorruptGrammarArtifactsTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp;

  @Test
  void corruptNativesStopTheRunBeforeAnyWork() throws Exception {
    GrammarRegistry registry = GrammarRegistry.get();
    GrammarSpec hashMismatch = registry.byName("json").orElseThrow();
    GrammarSpec truncatedSpec = registry.byName("yaml").orElseThrow();
    GrammarSpec unloadable = registry.byName("sql").orElseThrow();
    GrammarSpec noSymbol = registry.byName("toml").orElseThrow();
    GrammarSpec badAbi = registry.byName("css").orElseThrow();
    GrammarSpec donor = registry.byName("lua").orElseThrow();

    String[] classpath = QuarryChild.classpath().split(File.pathSeparator);
    int at = -1;
    for (int i = 0; i < classpath.length; i++) {
      if (hasIndex(Path.of(classpath[i]))) {
        at = i;
      }
    }
    assertTrue(at >= 0, "quarry-grammars is not on the test class path");
    Path original = Path.of(classpath[at]);
    Map<String, byte[]> entries = read(original);

    byte[] json = entries.get(hashMismatch.library()).clone();
    json[json.length / 2] ^= 0x5A; // flipped bits; the index still records the good hash
    entries.put(hashMismatch.library(), json);
    byte[] truncated = Arrays.copyOf(entries.get(truncatedSpec.library()), 4096); // torn; hash recorded to match
    entries.put(truncatedSpec.library(), truncated);
    byte[] foreign = entries.get(unloadable.library()).clone();
    foreign[18] = (byte) 0xB7; // e_machine: AArch64 (or, on AArch64, anything else): the loader refuses it
    foreign[19] = 0;
    if (Arrays.equals(foreign, entries.get(unloadable.library()))) {
      foreign[18] = 0x3E; // x86-64
    }
    entries.put(unloadable.library(), foreign);
    byte[] other = entries.get(donor.library()); // a real library, but of another grammar: no tree_sitter_toml
    entries.put(noSymbol.library(), other);

    ObjectMapper mapper = new ObjectMapper();
    JsonNode index = mapper.readTree(entries.get("quarry/grammars.json"));
    for (JsonNode g : index.get("grammars")) {
      ObjectNode o = (ObjectNode) g;
      String name = g.get("name").asText();
      if (name.equals(truncatedSpec.name())) {
        o.put("librarySha256", sha256(truncated));
      } else if (name.equals(unloadable.name())) {
        o.put("librarySha256", sha256(foreign));
      } else if (name.equals(noSymbol.name())) {
        o.put("librarySha256", sha256(other));
      } else if (name.equals(badAbi.name())) {
        o.put("abi", 99);
      }
    }
    entries.put("quarry/grammars.json", mapper.writeValueAsBytes(index));
    Path doctored = tmp.resolve("quarry-grammars-doctored.jar");
    write(doctored, entries);
    classpath[at] = doctored.toString();

    Path source = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(source.resolve("a.py"), "x = 1\n");
    Path out = tmp.resolve("out");
    Path cache = Files.createDirectories(tmp.resolve("empty-native-cache"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-Xmx256m", "-cp", String.join(File.pathSeparator, classpath), "dev.quarry.pipeline.QuarryCli",
        "extract", "--source", source.toString(), "--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("quarry.log").toFile());
    pb.environment().put("QUARRY_NATIVE_CACHE", cache.toString());
    pb.environment().put("LC_ALL", "C.UTF-8");
    long started = System.nanoTime();
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "quarry did not stop");
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    String output = Files.readString(tmp.resolve("quarry.log"), StandardCharsets.UTF_8);

    assertEquals(1, p.exitValue(), output);
    assertTrue(output.contains("5 of " + registry.all().size() + " grammars failed to load"), output);
    // Hash: the jar's bytes are not the build's.
    assertTrue(output.contains(hashMismatch.library()) && output.contains("expects " + hashMismatch.librarySha256())
        && output.contains("rebuild quarry-grammars"), output);
    // Cut short: refused before dlopen, which would otherwise crash the JVM.
    assertTrue(output.contains("grammar '" + truncatedSpec.name() + "'") && output.contains(truncatedSpec.library()
        + " (extracted to ") && output.contains("is not a complete library"), output);
    // Unloadable: the OS refuses the library.
    assertTrue(output.contains("grammar '" + unloadable.name() + "'") && output.contains("cannot load "
        + unloadable.library()), output);
    // Symbol: a loadable library without the grammar's entry point.
    assertTrue(output.contains("symbol '" + noSymbol.symbol() + "' not found in " + noSymbol.library()), output);
    // ABI: outside jtreesitter's range, refused before anything is loaded.
    assertTrue(output.contains("grammar '" + badAbi.name() + "'") && output.contains("ABI version 99 is outside"),
        output);
    // Before any work: no output directory (not even the lock), and quickly.
    assertFalse(Files.exists(out), "the run started work: " + out + " exists");
    assertFalse(output.contains("published"), output);
    assertTrue(seconds < 60, "failing took " + seconds + " s");
    // The corrupt bytes never reached the native cache.
    try (Stream<Path> cached = Files.walk(cache)) {
      for (Path f : cached.filter(Files::isRegularFile).toList()) {
        assertFalse(Arrays.equals(json, Files.readAllBytes(f)), "the corrupt library was cached: " + f);
      }
    }
  }

  private static boolean hasIndex(Path entry) throws IOException {
    if (Files.isDirectory(entry)) {
      return Files.isRegularFile(entry.resolve("quarry/grammars.json"));
    }
    if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(entry.toFile())) {
      return zip.getEntry("quarry/grammars.json") != null;
    }
  }

  /** Every file of a jar or class directory, by entry name. */
  private static Map<String, byte[]> read(Path entry) throws IOException {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    if (Files.isDirectory(entry)) {
      try (Stream<Path> files = Files.walk(entry)) {
        for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
          out.put(entry.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
        }
      }
      return out;
    }
    try (ZipFile zip = new ZipFile(entry.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        if (!e.isDirectory()) {
          try (InputStream in = zip.getInputStream(e)) {
            out.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  private static void write(Path jar, Map<String, byte[]> entries) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
