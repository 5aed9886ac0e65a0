package dev.quarry.pipeline;

import dev.quarry.transforms.incremental.Worklists;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ObjectName;

/**
 * Stops HotSpot's optimizing compiler (C2) for the rest of a {@code quarry extract} process that has little left to
 * do, so that the JIT stops competing with the pipeline for the cores. A run that parses a few megabytes (a nightly
 * run after a 1 % change) is over in seconds, and C2, which compiles every method that turns hot, took more CPU in
 * it than the pipeline itself ({@code -XX:+CITime}: 11 s of 22 s of CPU on 2 vCPUs), for code that ran a few
 * seconds more. From the moment the worklists are known, methods that turn hot are compiled by C1 alone (the tier a
 * method excluded from C2 falls back to); what C2 compiled during the driver's stages, on the core the
 * single-threaded driver left idle, stays. Bigger runs keep C2: a full run of the benchmark corpus was about 10 %
 * slower with C1 alone.
 *
 * <p>This is done with a compiler directive ({@code jcmd PID Compiler.directives_add}, through the platform's
 * {@code DiagnosticCommand} MBean), in the background, once per process. A JVM without that command runs as before.
 * Only the CLI asks for it: a directive lasts as long as the JVM, which in a test runner or an application embedding
 * Quarry does much more than this run.
 */
public final class ShortRunCompilation {
  /**
   * Runs parsing at most this much keep C2 off from the worklists on. 2.6 MB (1 % of the benchmark corpus changed):
   * 14-20 % less wall time; 27 MB (10 %): no difference measurable on the shared machine; 268 MB (a full run): C1 alone
   * about 10 % slower.
   */
  public static final long MAX_EXECUTED_BYTES = 16L << 20;

  /** The directive: no method is compiled by C2 any more. */
  static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

  private static final AtomicBoolean REQUESTED = new AtomicBoolean();

  private ShortRunCompilation() {}

  static boolean isShort(Worklists.Result work) {
    return work.executedBytes() <= MAX_EXECUTED_BYTES;
  }

  /**
   * Adds the directive in the background; the future says what happened, for {@code run.json}: "C2 stopped after
   * the worklists", or why not. A second call in the same process adds nothing more.
   */
  static CompletableFuture<String> stopOptimizingCompiler() {
    if (!REQUESTED.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture("requested before in this process");
    }
    return CompletableFuture.supplyAsync(ShortRunCompilation::addDirective, runnable -> {
      Thread t = new Thread(runnable, "quarry-jit-directive");
      t.setDaemon(true);
      t.start();
    });
  }

  private static String addDirective() {
    Path file = null;
    try {
      file = Files.createTempFile("quarry-jit-", ".json");
      Files.writeString(file, DIRECTIVE);
      Object out = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
      String said = String.valueOf(out).strip().replace('\n', ' ');
      return said.startsWith("1 compiler directives added") ? "C2 stopped after the worklists" : "not stopped: " + said;
    } catch (Exception | LinkageError e) {
      return "not stopped: " + e;
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (Exception e) {
          // a temp file left behind
        }
      }
    }
  }
}
