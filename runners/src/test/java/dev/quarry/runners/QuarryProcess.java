package dev.quarry.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code quarry} in a child JVM, started the way the launcher starts it (the runners module's runtime
 * classpath, the Flink job jar property). Every run is its own JVM, so comparisons between runs also catch
 * anything that differs between processes (identity hash codes, map iteration orders).
 */
final class QuarryProcess {
  private final Process process;
  private final Path log;

  private QuarryProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static QuarryProcess start(Path log, List<String> args) throws IOException {
    String classpath = Files.readString(Path.of(System.getProperty("quarry.classpathFile"))).trim();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Xmx1g",
        "-Dquarry.flinkJobJar=" + System.getProperty("quarry.flinkJobJar"),
        "-cp", classpath,
        "dev.quarry.pipeline.QuarryCli"));
    command.addAll(args);
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new QuarryProcess(p, log);
  }

  /** Runs to completion; returns the exit code. */
  static int run(Path log, List<String> args) throws Exception {
    return start(log, args).await(10, TimeUnit.MINUTES);
  }

  int await(long timeout, TimeUnit unit) throws Exception {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly();
      throw new AssertionError("quarry did not finish within " + timeout + " " + unit + "; log: " + output());
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  static String output(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
