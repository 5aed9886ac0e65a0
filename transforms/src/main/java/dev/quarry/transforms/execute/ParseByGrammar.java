package dev.quarry.transforms.execute;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Execute stage: jobs keyed by (wasmKey, shard), grouped, and parsed one grammar batch at a time by
 * {@link ParseBatchFn}. The shard comes from the plan, so the grouping is the same on every runner.
 *
 * <p>{@link #with} outputs the job results; {@link #spilling} (what the pipeline runs) appends each result to a spill
 * file as it is produced and outputs the write stage's references to them ({@link ParseAndSpillFn}), so results are
 * never held in memory between the stages.
 */
public final class ParseByGrammar extends PTransform<PCollection<Job>, PCollection<JobResult>> {
  private final PlanConfig config;

  private ParseByGrammar(PlanConfig config) {
    this.config = config;
  }

  public static ParseByGrammar with(PlanConfig config) {
    return new ParseByGrammar(config);
  }

  /**
   * Parses as {@link #with} does but spills the results into {@code spillDir} and outputs (bucket key, reference)
   * items for {@code WriteSnapshotTables.SPILLED}.
   */
  public static PTransform<PCollection<Job>, PCollection<KV<String, byte[]>>> spilling(
      PlanConfig config, String spillDir) {
    return new PTransform<>() {
      @Override
      public PCollection<KV<String, byte[]>> expand(PCollection<Job> jobs) {
        return grouped(jobs)
            .apply("ParseGrammarBatch", ParDo.of(new ParseAndSpillFn(config, spillDir)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()));
      }
    };
  }

  /** The GroupByKey key of a job: grammar build and shard. */
  public static String batchKey(Job job) {
    return Planner.batchKey(job);
  }

  private static PCollection<KV<String, Iterable<Job>>> grouped(PCollection<Job> jobs) {
    return jobs.apply("KeyByGrammarShard", WithKeys.of(ParseByGrammar::batchKey).withKeyType(TypeDescriptors.strings()))
        .apply("GroupByGrammarShard", GroupByKey.create());
  }

  @Override
  public PCollection<JobResult> expand(PCollection<Job> jobs) {
    return grouped(jobs)
        .apply("ParseGrammarBatch", ParDo.of(new ParseBatchFn(config)))
        // specific, not AvroCoder.of (reflection): the generated classes' accessors code JobResults several times
        // faster.
        .setCoder(AvroCoder.specific(JobResult.class));
  }
}
