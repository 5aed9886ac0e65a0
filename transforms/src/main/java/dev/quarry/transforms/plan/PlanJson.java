package dev.quarry.transforms.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        "plannedBytes", s.plannedBytes(),
        "grammarBatches", s.wasmKeys().stream().mapToLong(PlanSummary.KeyPlan::shards).sum()));
    m.put("skippedByReason", s.skippedByReason());
    List<Map<String, Object>> keys = s.wasmKeys().stream().map(k -> {
      Map<String, Object> km = new LinkedHashMap<>();
      km.put("wasmKey", k.wasmKey());
      km.put("language", k.language());
      km.put("jobs", k.jobs());
      km.put("bytes", k.bytes());
      km.put("shards", k.shards());
      return km;
    }).toList();
    m.put("wasmKeys", keys);
    m.put("rounds", List.of(Map.of(
        "round", 1,
        "jobs", "whole files",
        "wasmKeys", s.wasmKeys().stream().map(PlanSummary.KeyPlan::wasmKey).toList())));
    m.put("config", s.config());
    return m;
  }

  public static void write(PlanSummary summary, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, MAPPER.writer().writeValueAsString(toMap(summary)) + "\n");
  }
}
