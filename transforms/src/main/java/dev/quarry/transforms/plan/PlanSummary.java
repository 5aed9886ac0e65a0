package dev.quarry.transforms.plan;

import java.util.List;
import java.util.Map;

/**
 * What {@code plan.json} records: wasmKeys in execution order with their counts, file accounting, segments per
 * container kind, the config snapshot and the plan hash.
 *
 * @param jobs every job: whole files and embedded segments
 * @param plannedBytes bytes all jobs parse (an embedded segment's bytes count again, on top of its container's)
 * @param segmentsByContainer {@code file} for whole-file jobs, then one entry per container kind (markdown,
 *     html, vue, svelte) with its embedded jobs and the segments that got none; sorted by kind
 */
public record PlanSummary(
    String planHash,
    List<KeyPlan> wasmKeys,
    long files,
    long jobs,
    long plannedBytes,
    Map<String, Long> skippedByReason,
    Map<String, ContainerPlan> segmentsByContainer,
    Map<String, Object> config) {

  /** One grammar's share of the plan; shards are its GroupByKey sub-keys. */
  public record KeyPlan(String wasmKey, String language, long jobs, long embeddedJobs, long bytes, int shards) {}

  /**
   * One container kind's segments.
   *
   * @param files files of this kind that have at least one segment
   * @param jobs segments that became jobs
   * @param bytes bytes of those jobs
   * @param jobsByLanguage jobs per effective language, sorted by language
   * @param unparsed segments without a job
   * @param unparsedByReason those per reason, sorted by reason
   */
  public record ContainerPlan(
      long files, long jobs, long bytes, Map<String, Long> jobsByLanguage, long unparsed,
      Map<String, Long> unparsedByReason) {}

  /** Jobs of embedded segments (all jobs but the whole-file ones). */
  public long embeddedJobs() {
    return wasmKeys.stream().mapToLong(KeyPlan::embeddedJobs).sum();
  }

  /** Segments that got no job. */
  public long unparsedSegments() {
    return segmentsByContainer.values().stream().mapToLong(ContainerPlan::unparsed).sum();
  }

  /** (wasmKey, shard) groups: each loads its grammar once. */
  public long grammarBatches() {
    return wasmKeys.stream().mapToLong(KeyPlan::shards).sum();
  }
}
