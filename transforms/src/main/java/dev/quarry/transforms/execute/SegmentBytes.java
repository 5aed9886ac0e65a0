package dev.quarry.transforms.execute;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.io.ConfinedFiles;
import dev.quarry.transforms.plan.VirtualRanges;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one job's bytes by reference (container path + range) and decides whether they can be parsed. The
 * container is re-hashed: bytes that differ from what the scan saw must never mix with the plan's results.
 */
public final class SegmentBytes {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Parseable text, or the reason (with the first offending byte offset, container-absolute) it is not. */
  public sealed interface Outcome permits Text, Problem {}

  /**
   * @param bytes the segment's bytes exactly as in the container (offsets are computed on these)
   * @param text what the parser sees: the same bytes decoded, with a leading UTF-8 BOM blanked to spaces so
   *     byte offsets stay aligned
   */
  public record Text(byte[] bytes, String text) implements Outcome {}

  /** A file-level problem; {@code offset}, {@code line} and {@code column} point at the first offending byte. */
  public record Problem(String reason, String detail, long offset, int line, int column) implements Outcome {
    Problem(String reason, String detail) {
      this(reason, detail, 0, 1, 1);
    }
  }

  private SegmentBytes() {}

  public static Outcome read(Job job) {
    return new Reader().read(job);
  }

  /**
   * Reads jobs of one batch. Jobs arrive sorted by path, so the embedded segments of one container follow each
   * other: the container is read and re-hashed once for all of them, not once per segment.
   */
  public static final class Reader {
    private String cachedKey;
    private Object cached;

    public Outcome read(Job job) {
      String key = job.getSourceRoot() + '\0' + job.getPath() + '\0' + job.getFileSha256();
      if (!key.equals(cachedKey)) {
        cachedKey = key;
        cached = readContainer(job);
      }
      if (cached instanceof Problem problem) {
        return problem;
      }
      byte[] container = (byte[]) cached;
      VirtualRanges.validateBoundaries(job, container);
      byte[] bytes = Arrays.copyOfRange(container, (int) job.getStartByte(), (int) job.getEndByte());
      return classify(bytes, job);
    }
  }

  /** The container's bytes, verified against the scanned size and hash, or the problem that prevents it. */
  private static Object readContainer(Job job) {
    Path root = Path.of(job.getSourceRoot());
    Path file = root.resolve(job.getPath()).normalize();
    if (!file.startsWith(root)) {
      return new Problem(Reasons.OUTSIDE_ROOT, "the path leaves its source root " + root + "; it was not read");
    }
    byte[] container;
    // No link is followed on the way to the file, and only a regular file is opened (a FIFO would block forever).
    try (SeekableByteChannel ch = ConfinedFiles.open(root, job.getPath())) {
      long size = ch.size();
      if (size != job.getFileSize()) {
        // Before allocating: a file that grew to gigabytes since the scan must not cost that much memory.
        return changed(job, "it is " + size + " bytes now, the scan saw " + job.getFileSize());
      }
      if (size > Integer.MAX_VALUE - 16) {
        return new Problem(Reasons.OVER_FILE_CAP, "file is " + size + " bytes, beyond what one parse can take");
      }
      container = new byte[(int) size];
      ByteBuffer buffer = ByteBuffer.wrap(container);
      while (buffer.hasRemaining() && ch.read(buffer) >= 0) {}
      if (buffer.hasRemaining() || ch.read(ByteBuffer.allocate(1)) > 0) {
        return changed(job, "its size changed while it was read");
      }
    } catch (NoSuchFileException e) {
      return new Problem(Reasons.DELETED_DURING_RUN, "the file was deleted after the scan");
    } catch (ConfinedFiles.NotConfinedException e) {
      return changed(job, e.getMessage());
    } catch (IOException e) {
      return new Problem(Reasons.UNREADABLE, "could not read the file: " + e);
    }
    if (container.length != job.getFileSize() || !StableIds.sha256Hex(container).equals(job.getFileSha256())) {
      return changed(job, "its content no longer matches the scanned hash " + job.getFileSha256());
    }
    return container;
  }

  private static Problem changed(Job job, String why) {
    return new Problem(Reasons.CHANGED_DURING_RUN, "the file changed after the scan: " + why + "; it was not parsed");
  }

  /** Binary (NUL bytes) and invalid UTF-8 are reported with the offset of the first offending byte. */
  static Outcome classify(byte[] bytes, Job job) {
    long base = job.getStartByte();
    if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE
        || (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF)) {
      return problemAt(Reasons.NOT_UTF8, "starts with a UTF-16 byte-order mark; only UTF-8 is parsed", bytes, 0, job);
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return problemAt(Reasons.BINARY, "NUL byte at offset " + (base + i) + ": treated as binary", bytes, i, job);
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      return problemAt(
          Reasons.NOT_UTF8, "invalid UTF-8 at offset " + (base + at) + "; only UTF-8 is parsed", bytes, at, job);
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    if (startsWithBom(bytes)) {
      // U+FEFF is one char but three bytes; three spaces keep every byte offset where it was.
      text = "   " + text.substring(1);
    }
    return new Text(bytes, text);
  }

  private static Problem problemAt(String reason, String detail, byte[] bytes, int local, Job job) {
    int row = 0;
    int lineStart = 0;
    for (int i = 0; i < local; i++) {
      if (bytes[i] == '\n') {
        row++;
        lineStart = i + 1;
      }
    }
    int column = (row == 0 ? job.getBaseColumn() : 0) + (local - lineStart) + 1;
    return new Problem(reason, detail, job.getStartByte() + local, job.getBaseRow() + row + 1, column);
  }

  private static boolean startsWithBom(byte[] b) {
    return b.length >= 3 && b[0] == UTF8_BOM[0] && b[1] == UTF8_BOM[1] && b[2] == UTF8_BOM[2];
  }
}
