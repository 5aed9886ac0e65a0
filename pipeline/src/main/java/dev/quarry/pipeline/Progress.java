package dev.quarry.pipeline;

import dev.quarry.transforms.execute.ParseBatchFn;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.joda.time.Duration;

/**
 * Progress of the parse stage from the runner's metrics: a redrawn line on a terminal, a log line every ten
 * seconds otherwise. Runners that block in {@code run()} (Flink) report only the end summary.
 */
final class Progress {
  private final PrintStream out;
  private final boolean terminal;
  private final long plannedJobs;
  private final long plannedBytes;
  private final long started = System.nanoTime();
  private long lastLine;

  Progress(PrintStream out, boolean terminal, long plannedJobs, long plannedBytes) {
    this.out = out;
    this.terminal = terminal;
    this.plannedJobs = plannedJobs;
    this.plannedBytes = plannedBytes;
  }

  /** Polls until the pipeline finishes; returns its final state. */
  PipelineResult.State follow(PipelineResult result) throws InterruptedException {
    PipelineResult.State state = result.getState();
    while (!state.isTerminal()) {
      // Waiting (rather than sleeping and polling the state) is what rethrows the runner's own failure, the
      // user's first clue: DirectRunner's result reports FAILED without its cause once its state was polled.
      PipelineResult.State now = result.waitUntilFinish(Duration.millis(terminal ? 500 : 1000));
      report(result, false);
      state = now == null ? result.getState() : now;
    }
    report(result, true);
    if (state != PipelineResult.State.DONE) {
      result.waitUntilFinish();
    }
    return state;
  }

  private void report(PipelineResult result, boolean last) {
    long now = System.nanoTime();
    if (!terminal && !last && now - lastLine < 10_000_000_000L) {
      return;
    }
    lastLine = now;
    long jobs = counter(result, "jobs");
    long bytes = counter(result, "bytes");
    double secs = Math.max(1e-3, (now - started) / 1e9);
    double mbps = bytes / 1e6 / secs;
    String eta = bytes > 0 && bytes < plannedBytes
        ? String.format(Locale.ROOT, "%.0fs", (plannedBytes - bytes) / (bytes / secs)) : "-";
    String line = String.format(Locale.ROOT, "parse: %d/%d jobs, %.1f jobs/s, %.1f MB/s, ETA %s",
        jobs, plannedJobs, jobs / secs, mbps, eta);
    if (terminal) {
      out.print("\r" + line + (last ? "\n" : ""));
    } else if (!last) {
      out.println(line);
    }
    out.flush();
  }

  static long counter(PipelineResult result, String name) {
    try {
      MetricQueryResults q = result.metrics().queryMetrics(
          MetricsFilter.builder().addNameFilter(MetricNameFilter.named(ParseBatchFn.class, name)).build());
      long sum = 0;
      for (MetricResult<Long> c : q.getCounters()) {
        Long v = attemptedOrCommitted(c);
        sum += v == null ? 0 : v;
      }
      return sum;
    } catch (RuntimeException e) {
      // Metrics are best effort while running; some runners only answer at the end.
      return 0;
    }
  }

  private static Long attemptedOrCommitted(MetricResult<Long> c) {
    try {
      return c.getCommitted();
    } catch (UnsupportedOperationException e) {
      return c.getAttempted();
    }
  }
}
