package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's batches-by-wasmKey test: Markdown mixing java, python and js fences, HTML, Vue and Svelte files, and
 * plain files of the same languages. Each (wasmKey, shard) group loads its grammar exactly once, and the execution
 * ledger ({@code segments.batch}, {@code segments.batch_position}) shows every key's jobs run as contiguous
 * batches in execution order (path, start, end, segment_uid), embedded and whole-file jobs together.
 */
class BatchesByWasmKeyTest {
  @TempDir static Path tmp;
  static ExtractionRun.Outcome outcome;
  static JsonNode plan;

  /** One ledger row. */
  record Executed(String wasmKey, int shard, int position, String path, long start, long end, String uid,
      String containerKind) {}

  static final Comparator<Executed> EXECUTION_ORDER =
      Comparator.comparing(Executed::path).thenComparingLong(Executed::start).thenComparingLong(Executed::end)
          .thenComparing(Executed::uid);

  @BeforeAll
  static void extract() throws Exception {
    // Runs.CONFIG's small shard target splits the hot keys into several shards.
    outcome = Runs.extract(EmbeddedFixtures.docsRepo(tmp.resolve("corpus")), tmp.resolve("out"));
    plan = new ObjectMapper().readTree(outcome.snapshotDir().resolve("plan.json").toFile());
  }

  static List<Executed> ledger() throws Exception {
    List<Executed> rows = new ArrayList<>();
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      for (List<Object> r : db.query("""
          select wasm_key, batch, batch_position, path, start_byte, end_byte, segment_uid, container_kind
          from segments where wasm_key is not null
          """)) {
        String batch = (String) r.get(1);
        assertTrue(batch.startsWith(r.get(0) + "#"), "the batch belongs to the job's own wasmKey: " + r);
        rows.add(new Executed((String) r.get(0), Integer.parseInt(batch.substring(batch.indexOf('#') + 1)),
            ((Number) r.get(2)).intValue(), (String) r.get(3), ((Number) r.get(4)).longValue(),
            ((Number) r.get(5)).longValue(), (String) r.get(6), (String) r.get(7)));
      }
    }
    return rows;
  }

  @Test
  void eachGroupLoadsItsGrammarOnce() throws Exception {
    long groups = plan.get("counts").get("grammarBatches").asLong();
    assertEquals(groups, outcome.report().metric("grammar_loads"));
    long batches = ledger().stream().map(e -> e.wasmKey() + "#" + e.shard()).distinct().count();
    assertEquals(groups, batches, "every planned group ran, as one batch");
    long sumOfShards = 0;
    for (JsonNode k : plan.get("wasmKeys")) {
      sumOfShards += k.get("shards").asLong();
    }
    assertEquals(groups, sumOfShards);
    assertTrue(groups > plan.get("wasmKeys").size(), "some key was split into shards: " + groups);
  }

  @Test
  void ledgerShowsContiguousBatchesPerKeyInExecutionOrder() throws Exception {
    Map<String, Map<Integer, List<Executed>>> byKey = new TreeMap<>();
    for (Executed e : ledger()) {
      byKey.computeIfAbsent(e.wasmKey(), k -> new TreeMap<>()).computeIfAbsent(e.shard(), s -> new ArrayList<>()).add(e);
    }
    assertEquals(plan.get("wasmKeys").size(), byKey.size());
    for (JsonNode k : plan.get("wasmKeys")) {
      Map<Integer, List<Executed>> shards = byKey.get(k.get("wasmKey").asText());
      assertEquals(k.get("shards").asInt(), shards.size(), k.toString());
      assertEquals(k.get("jobs").asLong(), shards.values().stream().mapToLong(List::size).sum(), k.toString());
      List<Executed> concatenated = new ArrayList<>();
      int expectedShard = 0;
      for (Map.Entry<Integer, List<Executed>> shard : shards.entrySet()) {
        assertEquals(expectedShard++, shard.getKey(), "shards are numbered 0..n-1: " + k);
        List<Executed> batch = new ArrayList<>(shard.getValue());
        batch.sort(Comparator.comparingInt(Executed::position));
        for (int i = 0; i < batch.size(); i++) {
          assertEquals(i, batch.get(i).position(), "positions are 0..n-1 without gaps: " + batch);
        }
        List<Executed> sorted = new ArrayList<>(batch);
        sorted.sort(EXECUTION_ORDER);
        assertEquals(sorted, batch, "a batch runs in (path, start, end, segment_uid) order");
        concatenated.addAll(batch);
      }
      List<Executed> all = new ArrayList<>(concatenated);
      all.sort(EXECUTION_ORDER);
      assertEquals(all, concatenated, "the key's shards are contiguous runs of its execution order: " + k);
    }
  }

  @Test
  void embeddedJobsRunInTheBatchesOfTheirGrammar() throws Exception {
    Map<String, List<String>> kindsByLanguage = new LinkedHashMap<>();
    try (DuckDb db = DuckDb.open(outcome.snapshotDir())) {
      for (List<Object> r : db.query("""
          select language, list(distinct container_kind order by container_kind)::varchar
          from segments where wasm_key is not null group by language order by language
          """)) {
        kindsByLanguage.put((String) r.get(0), List.of(r.get(1).toString()));
      }
    }
    assertEquals(List.of("[file, markdown]"), kindsByLanguage.get("java"));
    assertEquals(List.of("[file, markdown]"), kindsByLanguage.get("python"));
    assertEquals(List.of("[file, html, markdown, vue]"), kindsByLanguage.get("javascript"));
    assertEquals(List.of("[svelte, vue]"), kindsByLanguage.get("typescript"));
    JsonNode containers = plan.get("segmentsByContainer");
    assertEquals(3, containers.get("markdown").get("jobsByLanguage").get("java").asInt());
    assertEquals(3, containers.get("markdown").get("unparsed").asInt());
    assertEquals(1, containers.get("vue").get("jobsByLanguage").get("typescript").asInt());
    assertEquals(1, containers.get("html").get("unparsedByReason").get("unsupported_type").asInt());
    assertEquals(plan.get("counts").get("jobs").asLong(),
        plan.get("rounds").get(0).get("jobs").asLong(), "scanners in the planner: every job is in round 1");
  }
}
