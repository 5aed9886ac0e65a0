package dev.quarry.transforms.execute;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Execute stage: jobs keyed by (wasmKey, shard), grouped, and parsed one grammar batch at a time by
 * {@link ParseBatchFn}. The shard comes from the plan, so the grouping is the same on every runner.
 */
public final class ParseByGrammar extends PTransform<PCollection<Job>, PCollection<JobResult>> {
  private final PlanConfig config;

  private ParseByGrammar(PlanConfig config) {
    this.config = config;
  }

  public static ParseByGrammar with(PlanConfig config) {
    return new ParseByGrammar(config);
  }

  /** The GroupByKey key of a job: grammar build and shard. */
  public static String batchKey(Job job) {
    return Planner.batchKey(job);
  }

  @Override
  public PCollection<JobResult> expand(PCollection<Job> jobs) {
    return jobs.apply("KeyByGrammarShard", WithKeys.of(ParseByGrammar::batchKey).withKeyType(TypeDescriptors.strings()))
        .apply("GroupByGrammarShard", GroupByKey.create())
        .apply("ParseGrammarBatch", ParDo.of(new ParseBatchFn(config)))
        .setCoder(AvroCoder.of(JobResult.class));
  }
}
