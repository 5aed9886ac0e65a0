package dev.quarry.pipeline.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code quarry} in a child JVM started as the launcher starts it (UTF-8 locale and encodings), with a small heap so
 * that running out of memory is a failed run rather than a slow one, and optionally without the privilege to read
 * other users' files (see {@link Unprivileged}). The child's peak resident memory is sampled while it runs.
 */
final class QuarryChild {
  /** Heap of the child: far below what a 10 MB corpus file and its rows would need if anything were collected. */
  static final String HEAP = "-Xmx512m";

  record Result(int exitCode, String output, long peakRssKiB) {}

  private QuarryChild() {}

  static Result run(Path log, boolean unprivileged, long timeoutSeconds, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (unprivileged) {
      command.addAll(Unprivileged.prefix());
    }
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dfile.encoding=UTF-8",
        "-Dsun.jnu.encoding=UTF-8",
        HEAP,
        "-XX:+ExitOnOutOfMemoryError",
        "-cp", classpath(),
        "dev.quarry.pipeline.QuarryCli"));
    command.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process p = pb.start();
    long peak = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, peakRssKiB(p.pid()));
      if (System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("quarry " + args + " did not finish within " + timeoutSeconds + " s (a hang: a file"
            + " that blocks on open, or a parse without a budget?). Output:\n" + tail(log));
      }
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), peak);
  }

  /**
   * The test class path: Quarry's modules and their runtime dependencies (Surefire puts the real class path in
   * {@code java.class.path} of the forked test JVM).
   */
  static String classpath() {
    String cp = System.getProperty("java.class.path");
    if (cp == null || !cp.contains("quarry-transforms") && !cp.contains("transforms/target/classes")) {
      throw new IllegalStateException("the test class path does not list Quarry's modules: " + cp);
    }
    return cp;
  }

  /** VmHWM of a live process (its peak resident set so far), 0 when it cannot be read. */
  private static long peakRssKiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process just ended, or this is not Linux
    }
    return 0;
  }

  static String tail(Path log) throws IOException {
    String s = Files.readString(log, StandardCharsets.UTF_8);
    return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
  }
}
