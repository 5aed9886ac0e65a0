package dev.quarry.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code quarry bench} on a corpus of a few files, at 1x and 2x: the report's structure (phases, ratios, scaling,
 * targets), never its timings. Flink is not on this module's test classpath, so its phase must be reported as
 * skipped rather than fail the run.
 */
class BenchCommandTest {
  @TempDir Path tmp;

  @Test
  void reportsEveryPhaseRatioAndTarget() throws Exception {
    Path corpus = Files.createDirectories(tmp.resolve("corpus"));
    Files.writeString(corpus.resolve("Main.java"), """
        package demo;

        /** Entry point. */
        public class Main {
          static int twice(int x) {
            return helper(x) * 2;
          }

          static int helper(int x) {
            return x + 1;
          }
        }
        """);
    Files.writeString(corpus.resolve("tool.py"), """
        def main(argv):
            return len(argv)
        """);
    Files.writeString(corpus.resolve("README.md"), "# Demo\n\n```java\nclass A {}\n```\n");
    Path json = tmp.resolve("bench.json");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new BenchCommand()).execute(
          "--corpus-dir", corpus.toString(), "--scale", "1,2", "--cache", tmp.resolve("cache").toString(),
          "--jvm-opt", "-Xmx512m", "--json", json.toString());
    } finally {
      System.setOut(previous);
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, printed);
    assertTrue(printed.contains("targets:"), printed);

    JsonNode report = new ObjectMapper().readTree(json.toFile());
    assertEquals(3, report.get("setup").get("files_per_copy").asInt());
    assertTrue(report.get("machine").get("available_processors").asInt() >= 1);
    JsonNode runs = report.get("runs");
    assertEquals(2, runs.size());
    for (JsonNode run : runs) {
      JsonNode phases = run.get("phases");
      for (String phase : List.of("bare", "consumers", "direct")) {
        JsonNode p = phases.get(phase);
        assertEquals("ok", p.get("status").asText(), phase + ": " + p);
        for (String field : List.of("run_wall_ms", "run_cpu_ms", "mb_per_s", "files_per_s", "mb_per_cpu_s", "bytes",
            "files", "jobs", "grammar_loads", "stages_ms", "memory")) {
          assertNotNull(p.get(field), phase + " lacks " + field);
        }
        for (String field : List.of("heap_peak_used_mb", "heap_peak_live_after_gc_mb", "rss_hwm_mb")) {
          assertNotNull(p.get("memory").get(field), phase + " lacks memory." + field);
        }
        // The three phases parse the same planned segments (the Markdown file and its Java fence included).
        assertEquals(phases.get("bare").get("bytes").asLong(), p.get("bytes").asLong(), phase);
        assertEquals(phases.get("bare").get("jobs").asLong(), p.get("jobs").asLong(), phase);
      }
      assertEquals(run.get("scale").asInt() * 3, phases.get("direct").get("files").asInt());
      assertEquals("skipped", phases.get("flink").get("status").asText());
      // Every node the bare walk visits is counted by the consumers too.
      assertEquals(phases.get("bare").get("nodes").asLong(), phases.get("consumers").get("consumer_nodes").asLong());
      JsonNode consumerParts = phases.get("consumers").get("consumer_parts_ms");
      for (String part : List.of("walk", "prepare", "query", "tokens", "chunks", "symbols", "diagnostics")) {
        assertNotNull(consumerParts.get(part), "consumer part " + part);
      }
      for (String stage : List.of("scan", "plan", "execute_and_write", "verify", "write_summed_over_buckets")) {
        assertNotNull(phases.get("direct").get("stages_ms").get(stage), "direct stage " + stage);
      }
      JsonNode ratios = run.get("ratios");
      for (String ratio : List.of("a_prime_cost_per_byte_vs_a", "b_over_a_prime_x_cores", "b_over_a_x_cores",
          "b_cpu_per_byte_vs_a_prime")) {
        assertTrue(ratios.get(ratio).isNumber(), ratio);
      }
      assertTrue(ratios.get("c_over_a_x_cores").isNull());
    }
    assertTrue(report.get("scaling").has("2x_vs_1x"));
    JsonNode targets = report.get("targets");
    assertTrue(targets.size() >= 8, targets.toString());
    for (JsonNode t : targets) {
      assertTrue(t.has("target") && t.has("value") && t.has("met") && t.has("where"), t.toString());
    }
  }
}
