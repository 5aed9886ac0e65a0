package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.transforms.incremental.Worklists;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.PlanSummary;
import dev.quarry.transforms.publish.RecordedDigests;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.util.ReleaseInfo;

/** Timings and counts of one run; rendered as {@code run.json} and as the end summary. */
public final class RunReport {
  private final long started = System.nanoTime();
  private final Map<String, Long> stageMillis = new LinkedHashMap<>();
  private final Map<String, Long> metrics = new LinkedHashMap<>();
  private String compiler = "tiered";

  void stage(String name, long startNanos) {
    stageMillis.put(name, (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static final List<String> EXECUTOR_METRICS = List.of("grammar_loads", "jobs", "bytes", "timeouts",
      "file_problems", "consumer_chunks", "consumer_symbols", "consumer_diagnostics");
  private static final List<String> WRITER_METRICS =
      List.of("write_ms", "parquet_files", "file_groups", "file_groups_copied");

  void metrics(PipelineResult result) {
    EXECUTOR_METRICS.forEach(name -> metrics.put(name, Progress.counter(result, name)));
    // The writer's counters: summed wall time of the bucket writes (join, sort, Parquet) and what they wrote.
    WRITER_METRICS.forEach(name -> metrics.put(name, counter(result, WRITER, name)));
  }

  /** The same metrics for a run that ran no pipeline: it only wrote {@code parquetFiles} files tables. */
  void filesOnly(long parquetFiles) {
    EXECUTOR_METRICS.forEach(name -> metrics.put(name, 0L));
    WRITER_METRICS.forEach(name -> metrics.put(name, 0L));
    metrics.put("parquet_files", parquetFiles);
  }

  /** Namespace of the write stage's counters ({@code WriteBucketFn} is package-private in transforms). */
  private static final String WRITER = "dev.quarry.transforms.write.WriteBucketFn";

  private static long counter(PipelineResult result, String namespace, String name) {
    try {
      long sum = 0;
      for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(namespace, name)).build()).getCounters()) {
        sum += c.getAttempted() == null ? 0 : c.getAttempted();
      }
      return sum;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The JIT compilers the run had ({@link JitMode#compilers()}). */
  void compiler(String state) {
    this.compiler = state;
  }

  public long metric(String name) {
    return metrics.getOrDefault(name, 0L);
  }

  public Map<String, Long> stageMillis() {
    return stageMillis;
  }

  public long totalMillis() {
    return (System.nanoTime() - started) / 1_000_000;
  }

  void writeRunJson(Path file, Plan plan, Map<String, TableDigest> tables, Map<String, Long> byStatus,
      GrammarRegistry grammars, Map<String, String> tableVersions, Worklists.Result work) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("planHash", plan.summary().planHash());
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("quarry", String.valueOf(RunReport.class.getPackage().getImplementationVersion()));
    versions.put("beam", ReleaseInfo.getReleaseInfo().getSdkVersion());
    versions.put("treeSitterCore", grammars.coreVersion());
    versions.put("java", System.getProperty("java.version"));
    versions.put("tables", tableVersions);
    m.put("versions", versions);
    m.put("incremental", work.report());
    Map<String, String> builds = new LinkedHashMap<>();
    for (PlanSummary.KeyPlan k : plan.summary().wasmKeys()) {
      GrammarSpec g = grammars.byWasmKey(k.wasmKey()).orElseThrow();
      builds.put(k.wasmKey(), g.packageName() + "@" + g.packageVersion());
    }
    m.put("grammarBuilds", builds);
    m.put("timingsMs", Map.of("stages", stageMillis, "total", totalMillis()));
    m.put("filesByStatus", byStatus);
    m.put("metrics", metrics);
    m.put("jit", compiler);
    Map<String, Object> t = new LinkedHashMap<>();
    tables.forEach((name, d) -> t.put(name, RecordedDigests.json(d)));
    m.put("tables", t);
    Files.writeString(file, PlanJson.MAPPER.writeValueAsString(m) + "\n");
  }
}
