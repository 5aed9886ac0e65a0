package dev.quarry.transforms.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Reads many files at once in the driver (a snapshot's table files: decoding, hashing), one task per file on a pool
 * of one thread per processor, with the results in the order of the inputs: callers merge them as if the files had
 * been read one after the other, so what they build does not depend on which read finished first.
 */
public final class ParallelReads {
  /** Reads one input; may throw the {@link IOException} that says what could not be read. */
  @FunctionalInterface
  public interface Read<T, R> {
    R apply(T input) throws IOException;
  }

  /** Named, so that a thread dump of a slow driver says what it is doing. */
  private static final ThreadFactory READERS = Thread.ofPlatform().name("quarry-read-", 1).factory();

  private ParallelReads() {}

  /**
   * {@code read} applied to every input, results in input order. The first failure in input order is thrown as it
   * was thrown by {@code read} (the reads not started yet are cancelled).
   */
  public static <T, R> List<R> map(List<T> inputs, Read<T, R> read) throws IOException {
    int threads = Math.min(inputs.size(), Runtime.getRuntime().availableProcessors());
    List<R> out = new ArrayList<>(inputs.size());
    if (threads <= 1) {
      for (T input : inputs) {
        out.add(read.apply(input));
      }
      return out;
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(threads, READERS)) {
      List<Future<R>> futures = new ArrayList<>(inputs.size());
      for (T input : inputs) {
        futures.add(pool.submit(() -> read.apply(input)));
      }
      try {
        for (Future<R> f : futures) {
          out.add(f.get());
        }
      } catch (ExecutionException e) {
        futures.forEach(f -> f.cancel(true));
        throw rethrow(e.getCause());
      } catch (InterruptedException e) {
        futures.forEach(f -> f.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading " + inputs.size() + " files in parallel");
      }
    }
    return out;
  }

  /** A failed read's exception as it was thrown: an IOException to throw, an unchecked one thrown here. */
  private static IOException rethrow(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IOException(cause);
  }
}
