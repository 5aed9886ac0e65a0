package dev.quarry.pipeline.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.quarry.pipeline.ExtractionRun;
import dev.quarry.pipeline.Manifests;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.scan.SourceRoot;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bench phase in its own JVM: {@code bare} (a), {@code consumers} (a') or {@code extract} ((b) and (c), by the
 * Beam arguments). Each phase gets a fresh JVM so that its heap, resident set, CPU time and JIT warm-up belong to it
 * alone, as they would for a user's {@code ./quarry extract}. Reads a task JSON, writes a result JSON.
 */
public final class BenchChild {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** What the parent asks of a child. */
  record Task(
      String mode,
      List<String> sources,
      String scratch,
      List<String> beamArgs,
      Long shardTargetBytes,
      Long bucketTargetBytes,
      String result) {}

  private BenchChild() {}

  public static void main(String[] args) throws Exception {
    Task task = JSON.readValue(Path.of(args[0]).toFile(), Task.class);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("mode", task.mode());
    try (MemoryProbe probe = MemoryProbe.start()) {
      try {
        List<SourceRoot> roots = task.sources().stream().map(SourceRoot::parse).toList();
        Path scratch = Path.of(task.scratch());
        switch (task.mode()) {
          case "bare" -> result.putAll(BareLoop.run(roots, false));
          case "consumers" -> result.putAll(BareLoop.run(roots, true));
          case "extract" -> result.putAll(extract(task, roots, scratch));
          default -> throw new IllegalArgumentException("unknown bench mode " + task.mode());
        }
        result.put("ok", true);
      } catch (Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        result.put("ok", false);
        result.put("error", String.valueOf(e));
        result.put("trace", trace.toString());
      }
      result.put("memory", probe.snapshot());
      result.put("process_cpu_ms", MemoryProbe.processCpuMillis());
    }
    Files.writeString(Path.of(task.result()), JSON.writeValueAsString(result));
    System.out.flush();
    System.exit(Boolean.TRUE.equals(result.get("ok")) ? 0 : 1);
  }

  private static Map<String, Object> extract(Task task, List<SourceRoot> roots, Path scratch) throws Exception {
    PlanConfig d = PlanConfig.defaults();
    PlanConfig config = new PlanConfig(d.maxFileBytes(), d.maxTotalBytes(), d.parseTimeoutMs(), d.maxChunkBytes(),
        d.minChunkBytes(), task.shardTargetBytes() == null ? d.shardTargetBytes() : task.shardTargetBytes(),
        d.maxShardsPerKey(), task.bucketTargetBytes() == null ? d.bucketTargetBytes() : task.bucketTargetBytes(),
        false);
    List<String> beamArgs = new ArrayList<>(task.beamArgs());
    Path out = scratch.resolve("out");
    PrintStream console = System.out;
    long cpu0 = MemoryProbe.processCpuMillis();
    long t0 = System.nanoTime();
    ExtractionRun.Outcome outcome = ExtractionRun.run(new ExtractionRun.Request(
        new Manifests.Scan(roots, List.of(), false), out, config, 1, beamArgs, false, console, false));
    double wall = (System.nanoTime() - t0) / 1e6;
    long cpu = MemoryProbe.processCpuMillis() - cpu0;

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_wall_ms", wall);
    m.put("run_cpu_ms", cpu);
    m.put("files", outcome.filesByStatus().values().stream().mapToLong(Long::longValue).sum());
    m.put("files_by_status", outcome.filesByStatus());
    m.put("jobs", outcome.report().metric("jobs"));
    m.put("bytes", outcome.report().metric("bytes"));
    m.put("grammar_loads", outcome.report().metric("grammar_loads"));
    Map<String, Object> stages = new LinkedHashMap<>();
    outcome.report().stageMillis().forEach((k, v) -> stages.put(k, v.doubleValue()));
    stages.put("write_summed_over_buckets", (double) outcome.report().metric("write_ms"));
    m.put("stages_ms", stages);
    Map<String, Long> rows = new LinkedHashMap<>();
    outcome.tables().forEach((table, digest) -> rows.put(table, digest.rows()));
    m.put("rows", rows.values().stream().mapToLong(Long::longValue).sum() - rows.getOrDefault("files", 0L)
        - rows.getOrDefault("segments", 0L));
    m.put("table_rows", rows);
    m.put("plan_hash", outcome.planHash());
    m.put("beam_args", task.beamArgs());
    m.put("shard_target_bytes", config.shardTargetBytes());
    m.put("bucket_target_bytes", config.bucketTargetBytes());
    return m;
  }

  static Map<String, Object> readResult(Path file) throws java.io.IOException {
    return JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
  }
}
