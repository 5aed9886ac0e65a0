package dev.quarry.pipeline.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Derived figures, ratios and the targets of a bench report, and its text rendering. Throughput is always
 * the bytes a phase parsed over its run wall time: the loop for (a)/(a'), {@code ExtractionRun.run} (scan to
 * published snapshot, JVM start-up excluded) for (b)/(c). "(x)/(a) x cores" divides by the single-thread figure
 * scaled by the cores.
 */
final class BenchReport {
  static final Map<String, String> LABELS = Map.of(
      "bare", "(a)  bare parse+walk",
      "consumers", "(a') + consumers",
      "direct", "(b)  extract Direct",
      "flink", "(c)  extract Flink");

  private BenchReport() {}

  /** Adds MB/s, files/s and MB per CPU-second to a successful phase result. */
  static void derive(Map<String, Object> r) {
    if (!"ok".equals(r.get("status"))) {
      return;
    }
    double secs = num(r, "run_wall_ms") / 1000;
    double cpuSecs = num(r, "run_cpu_ms") / 1000;
    double mb = num(r, "bytes") / 1e6;
    r.put("mb", mb);
    r.put("mb_per_s", secs > 0 ? mb / secs : 0);
    r.put("files_per_s", secs > 0 ? num(r, "files") / secs : 0);
    r.put("mb_per_cpu_s", cpuSecs > 0 ? mb / cpuSecs : 0);
    r.put("cpu_utilization", secs > 0 ? cpuSecs / secs : 0);
  }

  static Map<String, Object> ratios(Map<String, Object> phases, int cores) {
    Map<String, Object> m = new LinkedHashMap<>();
    Double a = mbps(phases, "bare");
    Double ap = mbps(phases, "consumers");
    Double b = mbps(phases, "direct");
    Double c = mbps(phases, "flink");
    m.put("cores", cores);
    m.put("a_x_cores_mb_per_s", a == null ? null : a * cores);
    m.put("a_prime_x_cores_mb_per_s", ap == null ? null : ap * cores);
    m.put("a_prime_cost_per_byte_vs_a", a != null && ap != null ? a / ap : null);
    m.put("b_over_a_prime_x_cores", b != null && ap != null ? b / (ap * cores) : null);
    m.put("b_over_a_x_cores", b != null && a != null ? b / (a * cores) : null);
    m.put("c_over_a_x_cores", c != null && a != null ? c / (a * cores) : null);
    m.put("c_over_a_prime_x_cores", c != null && ap != null ? c / (ap * cores) : null);
    // CPU-seconds per byte relative to (a'): how much work the pipeline adds, independent of parallelism and of
    // other processes taking cores away.
    Double apCpu = cpu(phases, "consumers");
    Double bCpu = cpu(phases, "direct");
    Double cCpu = cpu(phases, "flink");
    Double aCpu = cpu(phases, "bare");
    m.put("b_cpu_per_byte_vs_a_prime", apCpu != null && bCpu != null ? apCpu / bCpu : null);
    m.put("c_cpu_per_byte_vs_a_prime", apCpu != null && cCpu != null ? apCpu / cCpu : null);
    // MB per CPU-second of (b), (c) over (a)'s: the "x cores" ratios with cores = the cores each phase really had.
    m.put("b_cpu_vs_a_prime", apCpu != null && bCpu != null ? bCpu / apCpu : null);
    m.put("b_cpu_vs_a", aCpu != null && bCpu != null ? bCpu / aCpu : null);
    m.put("c_cpu_vs_a", aCpu != null && cCpu != null ? cCpu / aCpu : null);
    return m;
  }

  /** Wall time, heap and RSS of each scale against the smallest scale. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> scaling(List<Map<String, Object>> runs) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (runs.size() < 2) {
      return m;
    }
    Map<String, Object> base = runs.stream().min((x, y) -> Integer.compare(scale(x), scale(y))).orElseThrow();
    for (Map<String, Object> run : runs) {
      if (run == base) {
        continue;
      }
      double factor = (double) scale(run) / scale(base);
      Map<String, Object> perPhase = new LinkedHashMap<>();
      for (String phase : BenchCommand.ALL_PHASES) {
        Map<String, Object> p0 = (Map<String, Object>) ((Map<String, Object>) base.get("phases")).get(phase);
        Map<String, Object> p1 = (Map<String, Object>) ((Map<String, Object>) run.get("phases")).get(phase);
        if (p0 == null || p1 == null || !"ok".equals(p0.get("status")) || !"ok".equals(p1.get("status"))) {
          continue;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("size_factor", factor);
        r.put("wall_ratio", num(p1, "run_wall_ms") / num(p0, "run_wall_ms"));
        r.put("heap_peak_used_ratio", mem(p1, "heap_peak_used_mb") / mem(p0, "heap_peak_used_mb"));
        r.put("heap_live_after_gc_ratio",
            mem(p1, "heap_peak_live_after_gc_mb") / mem(p0, "heap_peak_live_after_gc_mb"));
        r.put("rss_hwm_ratio", mem(p1, "rss_hwm_mb") / mem(p0, "rss_hwm_mb"));
        perPhase.put(phase, r);
      }
      m.put(scale(run) + "x_vs_" + scale(base) + "x", perPhase);
    }
    return m;
  }

  /** The targets, each with its value and whether it is met. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> targets(List<Map<String, Object>> runs, int cores) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      Map<String, Object> r = (Map<String, Object>) run.get("ratios");
      int scale = scale(run);
      target(out, scale + "x", "pipeline overhead: (b) >= 0.7 x (a') x cores (stretch 0.85)",
          r.get("b_over_a_prime_x_cores"), 0.7, 0.85, true);
      target(out, scale + "x", "consumers: (a') costs <= 1.8 x (a) per byte",
          r.get("a_prime_cost_per_byte_vs_a"), 1.8, null, false);
      target(out, scale + "x", "end to end: (b) >= 0.4 x (a) x cores on DirectRunner (stretch 0.5)",
          r.get("b_over_a_x_cores"), 0.4, 0.5, true);
      target(out, scale + "x", "end to end: (c) >= 0.35 x (a) x cores on embedded Flink",
          r.get("c_over_a_x_cores"), 0.35, null, true);
      // The same three targets per CPU-second instead of per wall-second: what the pipeline adds in work, whatever
      // share of the cores other processes leave it (assumes it could keep every core busy).
      target(out, scale + "x cpu", "pipeline overhead per CPU-s: (b) >= 0.7 x (a') (stretch 0.85)",
          r.get("b_cpu_vs_a_prime"), 0.7, 0.85, true);
      target(out, scale + "x cpu", "end to end per CPU-s: (b) >= 0.4 x (a) on DirectRunner (stretch 0.5)",
          r.get("b_cpu_vs_a"), 0.4, 0.5, true);
      target(out, scale + "x cpu", "end to end per CPU-s: (c) >= 0.35 x (a) on embedded Flink",
          r.get("c_cpu_vs_a"), 0.35, null, true);
    }
    Map<String, Object> scaling = scaling(runs);
    scaling.forEach((pair, v) -> {
      Map<String, Object> perPhase = (Map<String, Object>) v;
      for (String phase : List.of("direct", "flink")) {
        Map<String, Object> s = (Map<String, Object>) perPhase.get(phase);
        if (s == null) {
          continue;
        }
        double factor = (double) s.get("size_factor");
        String label = phase.equals("direct") ? "(b)" : "(c)";
        target(out, pair, "memory " + label + ": live heap after GC grows <= 1.2x",
            s.get("heap_live_after_gc_ratio"), 1.2, null, false);
        target(out, pair, "memory " + label + ": peak heap used grows <= 1.2x",
            s.get("heap_peak_used_ratio"), 1.2, null, false);
        target(out, pair, "scale " + label + ": wall time grows <= 1.1 x size (4.4x at 4x)",
            s.get("wall_ratio"), 1.1 * factor, null, false);
      }
    });
    return out;
  }

  private static void target(List<Map<String, Object>> out, String where, String what, Object value,
      double target, Double stretch, boolean higherIsBetter) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("where", where);
    t.put("target", what);
    t.put("threshold", target);
    if (value == null) {
      t.put("value", null);
      t.put("met", null);
    } else {
      double v = ((Number) value).doubleValue();
      t.put("value", v);
      t.put("met", higherIsBetter ? v >= target : v <= target);
      if (stretch != null) {
        t.put("stretch", stretch);
        t.put("stretch_met", higherIsBetter ? v >= stretch : v <= stretch);
      }
    }
    out.add(t);
  }

  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> report, PrintStream out) {
    Map<String, Object> setup = (Map<String, Object>) report.get("setup");
    Map<String, Object> machine = (Map<String, Object>) report.get("machine");
    out.println();
    out.printf(Locale.ROOT, "quarry bench: corpus %s (%s files, %.1f MB per copy), %s cores counted, %s%n",
        setup.get("corpus"), setup.get("files_per_copy"), num(setup, "bytes_per_copy") / 1e6, setup.get("cores"),
        machine.get("cpu_model"));
    for (Map<String, Object> run : (List<Map<String, Object>>) report.get("runs")) {
      Map<String, Object> phases = (Map<String, Object>) run.get("phases");
      Map<String, Object> ratios = (Map<String, Object>) run.get("ratios");
      Map<String, Object> cpuBefore = (Map<String, Object>) run.get("cpu_available_before");
      Map<String, Object> cpuAfter = (Map<String, Object>) run.get("cpu_available_after");
      out.printf(Locale.ROOT, "%n== %dx == (cores this process got with %s busy threads: %.2f before, %.2f after)%n",
          scale(run), ratios.get("cores"), num(cpuBefore, "all_threads"), num(cpuAfter, "all_threads"));
      out.printf(Locale.ROOT, "%-22s %7s %7s %8s %7s %6s %8s %5s %9s %9s %7s %11s%n",
          "phase", "wall s", "MB/s", "files/s", "MB", "cpu s", "MB/cpu-s", "loads", "heap peak", "heap live",
          "RSS", "load avg");
      for (String phase : BenchCommand.ALL_PHASES) {
        Map<String, Object> p = (Map<String, Object>) phases.get(phase);
        if (p == null) {
          continue;
        }
        if (!"ok".equals(p.get("status"))) {
          out.printf(Locale.ROOT, "%-22s %s: %s%n", LABELS.get(phase), p.get("status"),
              p.getOrDefault("reason", p.get("error")));
          continue;
        }
        Map<String, Object> mem = (Map<String, Object>) p.get("memory");
        out.printf(Locale.ROOT, "%-22s %7.2f %7.2f %8.0f %7.1f %6.1f %8.2f %5d %8.0fM %8.0fM %6.0fM %5.1f→%-5.1f%n",
            LABELS.get(phase), num(p, "run_wall_ms") / 1000, num(p, "mb_per_s"), num(p, "files_per_s"),
            num(p, "mb"), num(p, "run_cpu_ms") / 1000, num(p, "mb_per_cpu_s"), (long) num(p, "grammar_loads"),
            num(mem, "heap_peak_used_mb"), num(mem, "heap_peak_live_after_gc_mb"), num(mem, "rss_hwm_mb"),
            load(p, "load_average_before"), load(p, "load_average_after"));
      }
      out.printf(Locale.ROOT, "ratios: (a) x %s cores = %s MB/s; (a') x cores = %s MB/s; (a')/(a) cost per byte %s;%n"
              + "        wall: (b)/(a') x cores %s, (b)/(a) x cores %s, (c)/(a) x cores %s;%n"
              + "        per CPU-s: (b)/(a') %s, (b)/(a) %s, (c)/(a) %s%n",
          ratios.get("cores"), fmt(ratios.get("a_x_cores_mb_per_s")), fmt(ratios.get("a_prime_x_cores_mb_per_s")),
          fmt(ratios.get("a_prime_cost_per_byte_vs_a")), fmt(ratios.get("b_over_a_prime_x_cores")),
          fmt(ratios.get("b_over_a_x_cores")), fmt(ratios.get("c_over_a_x_cores")),
          fmt(ratios.get("b_cpu_vs_a_prime")), fmt(ratios.get("b_cpu_vs_a")), fmt(ratios.get("c_cpu_vs_a")));
      out.println("stages (ms):");
      for (String phase : BenchCommand.ALL_PHASES) {
        Map<String, Object> p = (Map<String, Object>) phases.get(phase);
        if (p == null || !"ok".equals(p.get("status"))) {
          continue;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-20s", LABELS.get(phase)));
        ((Map<String, Object>) p.get("stages_ms")).forEach((k, v) -> line.append(' ').append(k).append(' ')
            .append(String.format(Locale.ROOT, "%.0f", ((Number) v).doubleValue())));
        out.println(line);
        Map<String, Object> parts = (Map<String, Object>) p.get("consumer_parts_ms");
        if (parts != null) {
          StringBuilder cl = new StringBuilder("    consumers:");
          parts.forEach((k, v) -> cl.append(' ').append(k).append(' ')
              .append(String.format(Locale.ROOT, "%.0f", ((Number) v).doubleValue())));
          out.println(cl);
        }
      }
    }
    Map<String, Object> scaling = (Map<String, Object>) report.get("scaling");
    if (!scaling.isEmpty()) {
      out.println();
      scaling.forEach((pair, v) -> ((Map<String, Object>) v).forEach((phase, s) -> {
        Map<String, Object> r = (Map<String, Object>) s;
        out.printf(Locale.ROOT, "scaling %s %-22s wall x%.2f, heap peak x%.2f, heap live x%.2f, RSS x%.2f%n", pair,
            LABELS.get(phase), num(r, "wall_ratio"), num(r, "heap_peak_used_ratio"),
            num(r, "heap_live_after_gc_ratio"), num(r, "rss_hwm_ratio"));
      }));
    }
    out.println();
    out.println("targets:");
    for (Map<String, Object> t : (List<Map<String, Object>>) report.get("targets")) {
      Object met = t.get("met");
      String mark = met == null ? "n/a " : (Boolean) met ? "MET " : "MISS";
      String stretch = t.containsKey("stretch_met")
          ? ((Boolean) t.get("stretch_met") ? " (stretch met)" : " (stretch missed)") : "";
      out.printf(Locale.ROOT, "  [%s] %-4s %-70s %s%s%n", mark, t.get("where"), t.get("target"),
          t.get("value") == null ? "-" : String.format(Locale.ROOT, "%.2f", ((Number) t.get("value")).doubleValue()),
          stretch);
    }
  }

  static double[] loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (IOException | RuntimeException e) {
      return new double[] {-1, -1, -1};
    }
  }

  @SuppressWarnings("unchecked")
  private static Double mbps(Map<String, Object> phases, String phase) {
    Map<String, Object> p = (Map<String, Object>) phases.get(phase);
    return p != null && "ok".equals(p.get("status")) ? num(p, "mb_per_s") : null;
  }

  @SuppressWarnings("unchecked")
  private static Double cpu(Map<String, Object> phases, String phase) {
    Map<String, Object> p = (Map<String, Object>) phases.get(phase);
    return p != null && "ok".equals(p.get("status")) ? num(p, "mb_per_cpu_s") : null;
  }

  @SuppressWarnings("unchecked")
  private static double mem(Map<String, Object> phase, String key) {
    return num((Map<String, Object>) phase.get("memory"), key);
  }

  private static double load(Map<String, Object> p, String key) {
    Object v = p.get(key);
    if (v instanceof double[] d) {
      return d[0];
    }
    if (v instanceof List<?> l && !l.isEmpty()) {
      return ((Number) l.get(0)).doubleValue();
    }
    return -1;
  }

  private static int scale(Map<String, Object> run) {
    return ((Number) run.get("scale")).intValue();
  }

  static double num(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private static String fmt(Object v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue());
  }
}
