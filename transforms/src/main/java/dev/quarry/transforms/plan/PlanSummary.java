package dev.quarry.transforms.plan;

import java.util.List;
import java.util.Map;

/**
 * What {@code plan.json} records: wasmKeys in execution order with their counts, file accounting, the config
 * snapshot and the plan hash.
 */
public record PlanSummary(
    String planHash,
    List<KeyPlan> wasmKeys,
    long files,
    long jobs,
    long plannedBytes,
    Map<String, Long> skippedByReason,
    Map<String, Object> config) {

  /** One grammar's share of the plan; shards are its GroupByKey sub-keys. */
  public record KeyPlan(String wasmKey, String language, long jobs, long bytes, int shards) {}
}
