package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.values.KV;

/**
 * One spill file of job results, written by one bundle (or one grammar batch): each result is appended in its
 * Avro encoding and becomes a reference keyed by its output bucket ({@link BucketItems}). The references are only
 * handed out by {@link #finish()}, once the file is complete, so no reader can see a partial file. File names are
 * random: a retried bundle writes a new file and never touches the one of a failed attempt.
 */
public final class ResultSpill implements AutoCloseable {
  private final Path file;
  private final OutputStream out;
  private final List<KV<String, byte[]>> refs = new ArrayList<>();
  private final BucketItems.ResultEncoder encoder = new BucketItems.ResultEncoder();
  private long position;
  private boolean closed;

  private ResultSpill(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** A new spill file in {@code spillDir} (created if missing). */
  public static ResultSpill open(String spillDir) throws IOException {
    Path dir = Files.createDirectories(Path.of(spillDir));
    Path file = dir.resolve(UUID.randomUUID() + ".results");
    return new ResultSpill(file, new BufferedOutputStream(
        Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16));
  }

  public void append(JobResult result) throws IOException {
    byte[] bytes = encoder.encode(result);
    out.write(bytes);
    refs.add(KV.of(BucketKey.of(result.getRepo(), result.getBucket(), result.getBucketCount()),
        BucketItems.ref(new BucketItems.Ref(file.getFileName().toString(), position, bytes.length))));
    position += bytes.length;
  }

  /** Completes the file and returns one writer item (bucket key, reference) per appended result. */
  public List<KV<String, byte[]>> finish() throws IOException {
    close();
    return refs;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
