package dev.quarry.transforms.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.scan.LanguageDetector;
import dev.quarry.transforms.scan.RepoScanner;
import dev.quarry.transforms.scan.SourceRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ParseByGrammar on its own: one result per job, one grammar load per (wasmKey, shard) group. */
class ParseByGrammarTest {
  @TempDir Path src;

  @Test
  void oneResultPerJobAndOneGrammarLoadPerGroup() throws Exception {
    for (int i = 0; i < 6; i++) {
      Files.writeString(src.resolve("A" + i + ".java"), "class A" + i + " { void m() { int x = " + i + "; } }\n");
      Files.writeString(src.resolve("b" + i + ".py"), "def f" + i + "():\n    return " + i + "\n");
    }
    Files.writeString(src.resolve("Broken.java"), "class Broken {\n");
    GrammarRegistry grammars = GrammarRegistry.get();
    List<ManifestRow> manifest = new RepoScanner(new LanguageDetector(grammars.all()), List.of(), Map.of(), false)
        .scanAll(List.of(new SourceRoot("r", src)));
    // A 100-byte shard target splits each grammar into several groups.
    PlanConfig config = new PlanConfig(1 << 20, Long.MAX_VALUE, 10_000, 512, 64, 100, 8, 1 << 20, false);
    Plan plan = new Planner(config, grammars).plan(manifest);
    Set<String> groups = new HashSet<>();
    plan.jobs().forEach(j -> groups.add(ParseByGrammar.batchKey(j)));

    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    PCollection<JobResult> results = p.apply(Create.of(plan.jobs()).withCoder(AvroCoder.of(Job.class)))
        .apply(ParseByGrammar.with(config));
    int expectedResults = plan.jobs().size();
    PAssert.that(results).satisfies(rs -> {
      Set<String> seen = new HashSet<>();
      for (JobResult r : rs) {
        assertEquals("parsed", r.getSegment().getStatus(), r.getVirtualPath());
        assertNull(r.getFileProblem(), r.getVirtualPath());
        assertEquals(r.getPath().equals("Broken.java"), r.getSegment().getErrorCount() > 0, r.getPath());
        seen.add(r.getVirtualPath());
      }
      assertEquals(expectedResults, seen.size(), "exactly one result per job");
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long loads = 0;
    for (MetricResult<Long> c : result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ParseBatchFn.class, "grammar_loads")).build()).getCounters()) {
      loads += c.getCommitted();
    }
    assertEquals(groups.size(), loads);
    assertEquals(true, groups.size() > 2, "several groups: " + groups);
  }
}
