package dev.quarry.pipeline.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code quarry bench}: on one corpus, back to back, (a) the bare parse + cursor-walk loop, (a') the same loop with
 * Quarry's consumers, (b) {@code extract} end to end on DirectRunner and (c) on embedded Flink; each in a fresh
 * child JVM. Prints a table and the targets, and writes everything as JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure Quarry against the bare tree-sitter loop on one corpus, back to back:",
      "  (a)  bare: read, parse, full TreeCursor walk of every planned segment, one thread, no Beam",
      "  (a') consumers: the same loop also running chunks, token buckets, symbols and diagnostics",
      "  (b)  direct: quarry extract end to end (scan to published snapshot) on DirectRunner",
      "  (c)  flink: the same on embedded Flink (--flinkMaster=[local] --parallelism=<cores>)",
      "Each phase runs in its own JVM (same JDK, classpath and flags), so heap, RSS and CPU are its own.",
      "Corpora come from code already on the machine (JDK src.zip, Python stdlib, npm) and are cached."
    })
public final class BenchCommand implements Callable<Integer> {
  static final List<String> ALL_PHASES = List.of("bare", "consumers", "direct", "flink");

  @Option(names = "--corpus", paramLabel = "jdk|python|npm|mixed", description = "Corpus (default: ${DEFAULT-VALUE}).")
  String corpus = "jdk";

  @Option(names = "--corpus-dir", paramLabel = "DIR", description = "Benchmark this directory instead of a built-in corpus.")
  Path corpusDir;

  @Option(names = "--corpus-mb", paramLabel = "MB", description = "Size of the 1x corpus (default: ${DEFAULT-VALUE}).")
  int corpusMb = 24;

  @Option(names = "--scale", split = ",", paramLabel = "N[,N...]",
      description = "Corpus scales to run, e.g. 1,4: N copies under different repo names (default: 1).")
  List<Integer> scales = new ArrayList<>(List.of(1));

  @Option(names = "--phases", split = ",", paramLabel = "PHASE[,PHASE...]",
      description = "Phases to run: bare, consumers, direct, flink (default: all).")
  List<String> phases = new ArrayList<>(ALL_PHASES);

  @Option(names = "--cores", paramLabel = "N", description = "Cores to scale (a) by and Flink's parallelism (default: available processors).")
  int cores = Runtime.getRuntime().availableProcessors();

  @Option(names = "--repeat", paramLabel = "N", description = "Runs per phase; the fastest is reported (default: ${DEFAULT-VALUE}).")
  int repeat = 1;

  @Option(names = "--cache", paramLabel = "DIR", description = "Corpus cache and scratch directory (default: ${DEFAULT-VALUE}).")
  Path cache = Path.of(System.getProperty("java.io.tmpdir"), "quarry-bench");

  @Option(names = "--json", paramLabel = "FILE", description = "Write the full report as JSON.")
  Path json;

  @Option(names = "--jvm-opt", paramLabel = "OPT", description = "Extra JVM option for every phase JVM (repeatable), e.g. -Xmx2g.")
  List<String> jvmOpts = new ArrayList<>();

  @Option(names = "--direct-arg", paramLabel = "--NAME=VALUE", description = "Extra Beam option for (b) (repeatable).")
  List<String> directArgs = new ArrayList<>();

  @Option(names = "--flink-arg", paramLabel = "--NAME=VALUE", description = "Extra Beam option for (c) (repeatable).")
  List<String> flinkArgs = new ArrayList<>();

  @Option(names = "--shard-target-bytes", paramLabel = "N", description = "Plan option for (b) and (c) (default: Quarry's).")
  Long shardTargetBytes;

  @Option(names = "--bucket-target-bytes", paramLabel = "N", description = "Plan option for (b) and (c) (default: Quarry's).")
  Long bucketTargetBytes;

  @Option(names = "--timeout-minutes", paramLabel = "N", description = "Per phase (default: ${DEFAULT-VALUE}).")
  int timeoutMinutes = 30;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    for (String p : phases) {
      if (!ALL_PHASES.contains(p)) {
        throw new IllegalArgumentException("--phases: unknown phase '" + p + "'; choose from " + ALL_PHASES);
      }
    }
    if (scales.stream().anyMatch(s -> s < 1) || cores < 1 || repeat < 1) {
      throw new IllegalArgumentException("--scale, --cores and --repeat must be >= 1");
    }
    Map<String, Object> report = run(out);
    if (json != null) {
      Path file = json.toAbsolutePath();
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, BenchChild.JSON.writeValueAsString(report) + "\n");
      out.println("bench: wrote " + file);
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> runs = (List<Map<String, Object>>) report.get("runs");
    boolean failed = runs.stream().anyMatch(r -> ((Map<?, ?>) r.get("phases")).values().stream()
        .anyMatch(p -> "failed".equals(((Map<?, ?>) p).get("status"))));
    return failed ? 1 : 0;
  }

  Map<String, Object> run(PrintStream out) throws IOException, InterruptedException {
    BenchCorpus.Kind kind = corpusDir != null ? BenchCorpus.Kind.DIR : BenchCorpus.Kind.parse(corpus);
    int maxScale = scales.stream().mapToInt(Integer::intValue).max().orElse(1);
    BenchCorpus.Materialized corpus =
        BenchCorpus.prepare(kind, corpusDir, (long) corpusMb << 20, maxScale, cache.toAbsolutePath(), out);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("started", Instant.now().toString());
    report.put("machine", machine());
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("corpus", corpus.name());
    setup.put("corpus_dir", corpus.base().toString());
    setup.put("files_per_copy", corpus.filesPerCopy());
    setup.put("bytes_per_copy", corpus.bytesPerCopy());
    setup.put("scales", scales);
    setup.put("phases", phases);
    setup.put("cores", cores);
    setup.put("repeat", repeat);
    setup.put("child_jvm", ChildJvm.describe(jvmOpts));
    setup.put("direct_args", directArgs(List.of()));
    setup.put("flink_args", flinkArgs(List.of()));
    setup.put("shard_target_bytes", shardTargetBytes);
    setup.put("bucket_target_bytes", bucketTargetBytes);
    report.put("setup", setup);

    List<Map<String, Object>> runs = new ArrayList<>();
    for (int scale : scales) {
      List<String> sources = corpus.sources(scale);
      BenchCorpus.warm(corpus.copies().subList(0, scale));
      Map<String, Object> cpuAvailable = cpuAvailable(cores);
      out.printf(Locale.ROOT, "bench: %dx: this process gets %.2f cores with 1 busy thread, %.2f with %d%n", scale,
          cpuAvailable.get("one_thread"), cpuAvailable.get("all_threads"), cores);
      Map<String, Object> phaseResults = new LinkedHashMap<>();
      for (String phase : phases) {
        phaseResults.put(phase, runPhase(phase, scale, sources, out));
      }
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("scale", scale);
      one.put("sources", sources);
      one.put("cpu_available_before", cpuAvailable);
      one.put("cpu_available_after", cpuAvailable(cores));
      one.put("phases", phaseResults);
      one.put("ratios", BenchReport.ratios(phaseResults, cores));
      runs.add(one);
    }
    report.put("runs", runs);
    report.put("scaling", BenchReport.scaling(runs));
    report.put("targets", BenchReport.targets(runs, cores));
    report.put("finished", Instant.now().toString());
    BenchReport.print(report, out);
    return report;
  }

  private Map<String, Object> runPhase(String phase, int scale, List<String> sources, PrintStream out)
      throws IOException, InterruptedException {
    if (phase.equals("flink") && !ChildJvm.hasClass("org.apache.beam.runners.flink.FlinkRunner")) {
      Map<String, Object> skipped = new LinkedHashMap<>();
      skipped.put("status", "skipped");
      skipped.put("reason", "FlinkRunner is not on this classpath (run through ./quarry)");
      out.printf(Locale.ROOT, "bench: %dx %-9s skipped: %s%n", scale, phase, skipped.get("reason"));
      return skipped;
    }
    Map<String, Object> best = null;
    List<Double> walls = new ArrayList<>();
    for (int attempt = 1; attempt <= repeat; attempt++) {
      Path scratch = cache.toAbsolutePath().resolve("runs").resolve(phase + "-" + scale + "x-" + attempt);
      BenchCorpus.deleteTree(scratch);
      Files.createDirectories(scratch);
      String mode = switch (phase) {
        case "bare" -> "bare";
        case "consumers" -> "consumers";
        default -> "extract";
      };
      List<String> beam = switch (phase) {
        case "direct" -> directArgs(List.of());
        case "flink" -> flinkArgs(List.of());
        default -> List.of();
      };
      BenchChild.Task task = new BenchChild.Task(mode, sources, scratch.toString(), beam,
          mode.equals("extract") ? shardTargetBytes : null, mode.equals("extract") ? bucketTargetBytes : null,
          scratch.resolve("result.json").toString());
      out.printf(Locale.ROOT, "bench: %dx %-9s run %d/%d ...%n", scale, phase, attempt, repeat);
      Map<String, Object> r = ChildJvm.run(task, scratch, jvmOpts, timeoutMinutes);
      BenchReport.derive(r);
      if ("ok".equals(r.get("status"))) {
        walls.add(((Number) r.get("run_wall_ms")).doubleValue());
        out.printf(Locale.ROOT, "bench: %dx %-9s %.1f s, %.2f MB/s%n", scale, phase,
            ((Number) r.get("run_wall_ms")).doubleValue() / 1000, ((Number) r.get("mb_per_s")).doubleValue());
        if (best == null || ((Number) r.get("run_wall_ms")).doubleValue()
            < ((Number) best.get("run_wall_ms")).doubleValue()) {
          best = r;
        }
        if (mode.equals("extract")) {
          BenchCorpus.deleteTree(scratch.resolve("out"));
        }
      } else {
        out.printf(Locale.ROOT, "bench: %dx %-9s FAILED: %s (log %s)%n", scale, phase, r.get("error"), r.get("log"));
        if (best == null) {
          best = r;
        }
      }
    }
    best.put("attempt_walls_ms", walls);
    return best;
  }

  /**
   * Cores this process actually gets right now: CPU time over wall time of 1, then {@code cores}, busy threads
   * spinning for half a second. On a shared machine (with autogroup scheduling, a session's threads share one
   * fair slice) the second figure can be far below {@code cores}, which caps what a parallel phase can reach.
   */
  static Map<String, Object> cpuAvailable(int cores) throws InterruptedException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("one_thread", spin(1));
    m.put("all_threads", spin(cores));
    m.put("load_average", BenchReport.loadAverage());
    return m;
  }

  private static double spin(int threads) throws InterruptedException {
    long cpu0 = MemoryProbe.processCpuMillis();
    long t0 = System.nanoTime();
    long until = t0 + 500_000_000L;
    List<Thread> spinners = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      spinners.add(Thread.ofPlatform().daemon().start(() -> {
        long x = 1;
        while (System.nanoTime() < until) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
        if (x == 42) {
          System.out.print("");
        }
      }));
    }
    for (Thread t : spinners) {
      t.join();
    }
    return (MemoryProbe.processCpuMillis() - cpu0) / ((System.nanoTime() - t0) / 1e6);
  }

  private List<String> directArgs(List<String> extra) {
    List<String> a = new ArrayList<>(directArgs);
    a.addAll(extra);
    return a;
  }

  private List<String> flinkArgs(List<String> extra) {
    List<String> a = new ArrayList<>();
    a.add("--runner=FlinkRunner");
    a.add("--flinkMaster=[local]");
    a.add("--parallelism=" + cores);
    for (String arg : flinkArgs) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=') + 1) : arg;
      a.removeIf(x -> x.startsWith(name));
      a.add(arg);
    }
    a.addAll(extra);
    return a;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("available_processors", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
    m.put("mem_total", firstMatch(Path.of("/proc/meminfo"), "MemTotal"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("load_average_at_start", BenchReport.loadAverage());
    m.put("bench_jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
    return m;
  }

  private static String firstMatch(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return "unknown";
  }

  /** Child JVMs: same java, classpath and native-access flags as this JVM. */
  static final class ChildJvm {
    private ChildJvm() {}

    static boolean hasClass(String name) {
      try {
        Class.forName(name, false, BenchCommand.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }

    static List<String> flags(List<String> extra) {
      List<String> f = new ArrayList<>();
      f.add("--enable-native-access=ALL-UNNAMED");
      if (Runtime.version().feature() >= 23) {
        f.add("--sun-misc-unsafe-memory-access=allow");
      }
      f.add("-Dfile.encoding=UTF-8");
      f.add("-Dsun.jnu.encoding=UTF-8");
      String jobJar = System.getProperty("quarry.flinkJobJar");
      if (jobJar != null && !jobJar.isEmpty()) {
        f.add("-Dquarry.flinkJobJar=" + jobJar);
      }
      f.addAll(extra);
      return f;
    }

    static Map<String, Object> describe(List<String> extra) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
      m.put("flags", flags(extra));
      m.put("main", BenchChild.class.getName());
      return m;
    }

    static Map<String, Object> run(BenchChild.Task task, Path scratch, List<String> extra, int timeoutMinutes)
        throws IOException, InterruptedException {
      Path taskFile = scratch.resolve("task.json");
      Files.writeString(taskFile, BenchChild.JSON.writeValueAsString(task));
      Path log = scratch.resolve("phase.log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(flags(extra));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(BenchChild.class.getName());
      cmd.add(taskFile.toString());
      double[] loadBefore = BenchReport.loadAverage();
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean done = p.waitFor(timeoutMinutes, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      double processWall = (System.nanoTime() - t0) / 1e6;
      Map<String, Object> r = new LinkedHashMap<>();
      Path resultFile = Path.of(task.result());
      if (Files.isRegularFile(resultFile)) {
        r.putAll(BenchChild.readResult(resultFile));
      }
      boolean ok = done && p.exitValue() == 0 && Boolean.TRUE.equals(r.get("ok"));
      r.put("status", ok ? "ok" : "failed");
      if (!ok && !r.containsKey("error")) {
        r.put("error", done ? "phase JVM exited with " + p.exitValue() : "timed out after " + timeoutMinutes + " min");
      }
      r.remove("ok");
      r.put("process_wall_ms", processWall);
      r.put("load_average_before", loadBefore);
      r.put("load_average_after", BenchReport.loadAverage());
      r.put("log", log.toString());
      return r;
    }
  }
}
