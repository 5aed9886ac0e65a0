package dev.quarry.transforms.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code plan.json}: a deterministic rendering of the plan summary (no times, no run ids). */
public final class PlanJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private PlanJson() {}

  public static Map<String, Object> toMap(PlanSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("planHash", s.planHash());
    m.put("counts", Map.of(
        "files", s.files(),
        "jobs", s.jobs(),
        "embeddedJobs", s.embeddedJobs(),
        "unparsedSegments", s.unparsedSegments(),
        "plannedBytes", s.plannedBytes(),
        "grammarBatches", s.grammarBatches()));
    m.put("skippedByReason", s.skippedByReason());
    List<Map<String, Object>> keys = s.wasmKeys().stream().map(k -> {
      Map<String, Object> km = new LinkedHashMap<>();
      km.put("wasmKey", k.wasmKey());
      km.put("language", k.language());
      km.put("jobs", k.jobs());
      km.put("embeddedJobs", k.embeddedJobs());
      km.put("bytes", k.bytes());
      km.put("shards", k.shards());
      return km;
    }).toList();
    m.put("wasmKeys", keys);
    Map<String, Object> containers = new TreeMap<>();
    s.segmentsByContainer().forEach((kind, c) -> {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("files", c.files());
      cm.put("jobs", c.jobs());
      cm.put("bytes", c.bytes());
      cm.put("jobsByLanguage", new TreeMap<>(c.jobsByLanguage()));
      cm.put("unparsed", c.unparsed());
      cm.put("unparsedByReason", new TreeMap<>(c.unparsedByReason()));
      containers.put(kind, cm);
    });
    m.put("segmentsByContainer", containers);
    // Segments are found by scanners in the planner, so every job is known before execution: one round.
    Map<String, Object> round = new LinkedHashMap<>();
    round.put("round", 1);
    round.put("segmentDiscovery", "planner scanners (markdown fences, html script/style, vue and svelte blocks)");
    round.put("jobs", s.jobs());
    round.put("embeddedJobs", s.embeddedJobs());
    round.put("wasmKeys", s.wasmKeys().stream().map(PlanSummary.KeyPlan::wasmKey).toList());
    m.put("rounds", List.of(round));
    m.put("config", s.config());
    return m;
  }

  public static void write(PlanSummary summary, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, MAPPER.writer().writeValueAsString(toMap(summary)) + "\n");
  }
}
