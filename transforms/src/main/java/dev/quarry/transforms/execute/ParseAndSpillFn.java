package dev.quarry.transforms.execute;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.write.ResultSpill;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * A grammar batch run by {@link ParseBatchFn} (unchanged: the one place that parses), with each result appended to
 * a spill file as soon as it is produced; the batch outputs the writer's references instead of the results
 * ({@link ResultSpill}). So at most one result per worker is held in memory, whatever the batch size: DirectRunner
 * otherwise keeps a whole batch's output in memory until the next stage gets to it, and queues every batch before
 * any of that next stage's work.
 */
final class ParseAndSpillFn extends DoFn<KV<String, Iterable<Job>>, KV<String, byte[]>> {
  private final ParseBatchFn parse;
  private final String spillDir;

  ParseAndSpillFn(PlanConfig config, String spillDir) {
    this.parse = new ParseBatchFn(config);
    this.spillDir = spillDir;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<Job>> group, OutputReceiver<KV<String, byte[]>> out)
      throws IOException {
    try (ResultSpill spill = ResultSpill.open(spillDir)) {
      parse.processElement(group, new OutputReceiver<JobResult>() {
        @Override
        public void output(JobResult result) {
          try {
            spill.append(result);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void outputWithTimestamp(JobResult result, Instant timestamp) {
          output(result);
        }
      });
      // The references leave only once the spill file is complete.
      spill.finish().forEach(out::output);
    }
  }
}
