package dev.quarry.transforms.execute;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.grammars.Grammars;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.JobResult;
import dev.quarry.transforms.consume.ChunkingConfig;
import dev.quarry.transforms.consume.ConsumerOutput;
import dev.quarry.transforms.consume.SegmentConsumers;
import dev.quarry.transforms.consume.SegmentContext;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * The grammar-batched executor: the only place Quarry parses. One call handles one (wasmKey, shard) group:
 * acquire the grammar once, run every job in execution order (path, start, end, segmentUid), release it. Each job
 * reads its bytes by reference, parses under a time budget, runs the consumers and drops its tree.
 */
public final class ParseBatchFn extends DoFn<KV<String, Iterable<Job>>, JobResult> {
  private final Counter grammarLoads = Metrics.counter(ParseBatchFn.class, "grammar_loads");
  private final Counter jobs = Metrics.counter(ParseBatchFn.class, "jobs");
  private final Counter bytes = Metrics.counter(ParseBatchFn.class, "bytes");
  private final Counter timeouts = Metrics.counter(ParseBatchFn.class, "timeouts");
  private final Counter fileProblems = Metrics.counter(ParseBatchFn.class, "file_problems");
  private final Distribution parseMillis = Metrics.distribution(ParseBatchFn.class, "parse_ms");
  /** Jobs each consumer ran for (an incremental run asks a job only for the tables it must redo). */
  private final Counter chunksRuns = Metrics.counter(ParseBatchFn.class, "consumer_chunks");
  private final Counter symbolsRuns = Metrics.counter(ParseBatchFn.class, "consumer_symbols");
  private final Counter diagnosticsRuns = Metrics.counter(ParseBatchFn.class, "consumer_diagnostics");

  private final PlanConfig config;

  public ParseBatchFn(PlanConfig config) {
    this.config = config;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<Job>> group, OutputReceiver<JobResult> out) {
    List<Job> batch = new ArrayList<>();
    group.getValue().forEach(batch::add);
    batch.sort(Planner.EXECUTION_ORDER);
    String wasmKey = batch.get(0).getWasmKey();
    GrammarSpec spec =
        GrammarRegistry.get()
            .byWasmKey(wasmKey)
            .orElseThrow(
                () -> new IllegalStateException(
                    "plan names grammar build " + wasmKey + " but this worker's quarry-grammars jar does not"
                        + " contain it; the job jar and the planner must come from the same build"));
    Language language = Grammars.language(spec);
    grammarLoads.inc();
    ChunkingConfig chunking = new ChunkingConfig(config.maxChunkBytes(), config.minChunkBytes());
    try (SegmentConsumers consumers = SegmentConsumers.create(spec, language, chunking);
        BudgetedParser parser = new BudgetedParser(language, config.parseTimeoutMs())) {
      SegmentBytes.Reader reader = new SegmentBytes.Reader();
      Map<String, Integer> ledger = new HashMap<>();
      for (Job job : batch) {
        if (!job.getWasmKey().equals(wasmKey)) {
          throw new IllegalStateException(
              "job " + job.getVirtualPath() + " has wasmKey " + job.getWasmKey() + " inside the batch of " + wasmKey);
        }
        // The ledger comes from the full plan: a full run executes exactly its groups, an incremental run a subset
        // of their jobs (in groups of its own), in the same order.
        String ledgerBatch = job.getBatch() == null ? group.getKey() : job.getBatch();
        Integer previous = ledger.put(ledgerBatch, job.getBatchPosition());
        if (previous != null && job.getBatchPosition() <= previous) {
          throw new IllegalStateException(
              "job " + job.getVirtualPath() + " has ledger position " + job.getBatchPosition() + " after position "
                  + previous + " of batch " + ledgerBatch + ": the plan's positions disagree with execution order");
        }
        out.output(JobResults.inBatch(execute(job, reader, parser, consumers), ledgerBatch, job.getBatchPosition()));
      }
    }
  }

  private JobResult execute(Job job, SegmentBytes.Reader reader, BudgetedParser parser, SegmentConsumers consumers) {
    jobs.inc();
    SegmentBytes.Outcome outcome = reader.read(job);
    if (outcome instanceof SegmentBytes.Problem problem) {
      fileProblems.inc();
      return JobResults.fileProblem(job, problem);
    }
    SegmentBytes.Text text = (SegmentBytes.Text) outcome;
    bytes.inc(text.bytes().length);
    long started = System.nanoTime();
    Optional<Tree> parsed = parser.parse(text.text(), text.bytes());
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    parseMillis.update(elapsedMs);
    Long recordedMs = config.recordTimings() ? elapsedMs : null;
    if (parsed.isEmpty()) {
      timeouts.inc();
      return JobResults.timeout(job, config.parseTimeoutMs(), recordedMs);
    }
    try (Tree tree = parsed.get()) {
      SegmentContext context =
          new SegmentContext(
              job.getRepo(), job.getPath(), job.getSegmentUid(), job.getLanguage(), text.bytes(),
              job.getStartByte(), job.getBaseRow(), job.getBaseColumn());
      SegmentConsumers.Outputs wanted = SegmentConsumers.Outputs.of(job.getTables());
      ConsumerOutput output = consumers.run(context, tree, wanted);
      count(wanted);
      return JobResults.parsed(job, text.bytes(), output, recordedMs);
    }
  }

  private void count(SegmentConsumers.Outputs wanted) {
    if (wanted.chunks()) {
      chunksRuns.inc();
    }
    if (wanted.symbols()) {
      symbolsRuns.inc();
    }
    if (wanted.diagnostics()) {
      diagnosticsRuns.inc();
    }
  }
}
