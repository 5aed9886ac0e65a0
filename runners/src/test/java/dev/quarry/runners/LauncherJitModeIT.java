package dev.quarry.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JIT mode, through {@code ./quarry} itself: an extract that builds on a published snapshot starts with
 * C1 alone and stays so when it parses little; one that turns out big is run again with C2 and published once; a
 * first run and {@code --full} start tiered; stopping the launcher stops its JVM.
 */
class LauncherJitModeIT {
  @TempDir static Path tmp;
  static Path corpus;
  static Path launcher;

  @BeforeAll
  static void corpusAndBuild() throws IOException {
    corpus = Snapshots.jdkSources(tmp.resolve("corpus"), "java.base/java/util/concurrent/", 30);
    launcher = Path.of(System.getProperty("quarry.repoRoot")).resolve("quarry");
    // The build is current (Maven just made it): mark it so, as the launcher does after building, or it would call
    // the build stale and, with QUARRY_NO_BUILD, refuse to run.
    Files.setLastModifiedTime(Path.of(System.getProperty("quarry.classpathFile")), FileTime.from(Instant.now()));
  }

  @Test
  void smallRerunsStayOnC1BigOnesRunAgainWithC2() throws Exception {
    Path out = tmp.resolve("out");
    Run first = run(tmp.resolve("first.log"), "extract", "--source", "c=" + corpus, "--out", out.toString());
    assertEquals("tiered", first.jit(), "no published snapshot: a full run, tiered from the start");

    List<Path> files = javaFiles();
    append(files.get(0));
    Run small = run(tmp.resolve("small.log"), "extract", "--source", "c=" + corpus, "--out=" + out);
    assertEquals("c1-only", small.jit());
    assertFalse(small.output().contains("run again"), small.output());

    files.forEach(LauncherJitModeIT::append);
    Run big = run(tmp.resolve("big.log"), "extract", "--source", "c=" + corpus, "--out", out.toString());
    assertTrue(big.output().contains("MB to parse (more than 40 %): run again with the optimizing JIT compiler (C2);"
        + " nothing was written"), big.output());
    assertEquals("tiered", big.jit());
    assertEquals(1, count(big.output(), "published snapshot"), big.output());
    try (Stream<Path> s = Files.list(out.resolve("snapshots"))) {
      assertEquals(3, s.count(), "one snapshot per run that ended");
    }

    Run full = run(tmp.resolve("full.log"), "extract", "--full", "--source", "c=" + corpus, "--out", out.toString());
    assertEquals("tiered", full.jit());
    assertFalse(full.output().contains("run again"), full.output());
  }

  @Test
  void stoppingTheLauncherStopsItsJvm() throws Exception {
    Path out = tmp.resolve("stopped");
    run(tmp.resolve("stopped-first.log"), "extract", "--source", "c=" + corpus, "--out", out.toString());
    Process p = start(tmp.resolve("stopped.log"), "extract", "--source", "c=" + corpus, "--out", out.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Optional<ProcessHandle> jvm = Optional.empty();
    while (jvm.isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
      jvm = p.descendants().filter(d -> d.info().command().orElse("").endsWith("/java")).findFirst();
      Thread.sleep(20);
    }
    assertTrue(jvm.isPresent(), "the launcher started no JVM: " + Files.readString(tmp.resolve("stopped.log")));
    p.destroy(); // SIGTERM, as a scheduler stopping a job sends
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not end");
    jvm.get().onExit().get(60, TimeUnit.SECONDS);
    assertFalse(jvm.get().isAlive(), "the JVM outlived its launcher");
  }

  record Run(String output, String jit) {}

  private static Run run(Path log, String... args) throws Exception {
    Process p = start(log, args);
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "quarry did not finish");
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    Path out = Path.of(args[args.length - 1].replaceFirst("^--out=", ""));
    String jit = new ObjectMapper().readTree(Snapshots.current(out).resolve("run.json").toFile()).get("jit").asText();
    return new Run(output, jit);
  }

  private static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("QUARRY_NO_BUILD", "1");
    pb.environment().put("QUARRY_AOT_CACHE", "off"); // no training run inside the test
    pb.environment().remove("QUARRY_JAVA_OPTS");
    return pb.start();
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> s = Files.walk(corpus)) {
      return s.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  private static void append(Path file) {
    try {
      Files.writeString(file, "\n// edited\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int count(String text, String what) {
    return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
  }
}
