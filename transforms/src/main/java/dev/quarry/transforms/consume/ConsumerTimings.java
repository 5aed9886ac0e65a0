package dev.quarry.transforms.consume;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time spent in each part of {@link SegmentConsumers#run}, summed over segments. Only the benchmark attaches
 * one ({@link SegmentConsumers#recordTimings}); without it {@code run} reads no clock.
 *
 * <p>Parts: {@code walk} (the cursor walk that flattens the tree), {@code prepare} (line index, definitions and
 * per-segment buffers), {@code query} (the combined highlights + tags query, placing captures and collecting tags
 * matches), {@code tokens} (token kinds and the per-chunk buckets), {@code chunks} (chunking and chunk rows),
 * {@code symbols} (symbol rows), {@code diagnostics} (diagnostic rows). Not thread-safe, like its consumers.
 */
public final class ConsumerTimings {
  /** The parts of one {@code run}, in the order they execute. */
  public enum Part {
    WALK("walk"),
    PREPARE("prepare"),
    QUERY("query"),
    TOKENS("tokens"),
    CHUNKS("chunks"),
    SYMBOLS("symbols"),
    DIAGNOSTICS("diagnostics");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final long[] nanos = new long[Part.values().length];
  private long segments;

  void add(Part part, long elapsedNanos) {
    nanos[part.ordinal()] += elapsedNanos;
  }

  void segment() {
    segments++;
  }

  public long nanos(Part part) {
    return nanos[part.ordinal()];
  }

  public long segments() {
    return segments;
  }

  public long totalNanos() {
    long sum = 0;
    for (long n : nanos) {
      sum += n;
    }
    return sum;
  }

  /** Milliseconds per part, in execution order, keyed by {@link Part#label()}. */
  public Map<String, Double> millis() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (Part p : Part.values()) {
      m.put(p.label(), nanos[p.ordinal()] / 1e6);
    }
    return m;
  }
}
