package dev.quarry.transforms.segment;

import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.io.ConfinedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a container file for segmentation in the planner, by its path under its source root, and checks that it
 * is still the file the scan hashed. Segment ranges computed from other bytes would point into the wrong text, so
 * a mismatch is a problem for the whole file, never a partial plan.
 */
public final class ContainerBytes {
  /** The bytes, or why there are none. */
  public sealed interface Outcome permits Read, Problem {}

  /** The container as scanned. */
  public record Read(byte[] bytes) implements Outcome {
    /** Only valid UTF-8 without NUL bytes is segmented; anything else is left to the whole-file job to report. */
    public boolean isText() {
      for (byte x : bytes) {
        if (x == 0) {
          return false;
        }
      }
      try {
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes));
        return true;
      } catch (java.nio.charset.CharacterCodingException e) {
        return false;
      }
    }
  }

  /** A reason code ({@code changed_during_run}, {@code deleted_during_run}, ...) and its explanation. */
  public record Problem(String reason, String detail) implements Outcome {}

  private ContainerBytes() {}

  /**
   * @param sourceRoot the absolute directory the repo was scanned from
   * @param path repo-relative path; a path that leaves the root is refused, not read
   * @param size the scanned size; at most one byte more is read, so a file that grew costs no memory
   * @param sha256 the scanned hash
   */
  public static Outcome read(String sourceRoot, String path, long size, String sha256) {
    Path root = Path.of(sourceRoot).toAbsolutePath().normalize();
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      return new Problem(Reasons.OUTSIDE_ROOT, "the path leaves its source root " + root + "; it was not read");
    }
    if (size > Integer.MAX_VALUE - 16) {
      return new Problem(Reasons.OVER_FILE_CAP, "file is " + size + " bytes, beyond what one parse can take");
    }
    byte[] bytes = new byte[(int) size];
    // As in the executor: no link is followed on the way to the file, and only a regular file is opened (a FIFO
    // swapped in after the scan would block the planner forever).
    try (SeekableByteChannel ch = ConfinedFiles.open(root, path)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining() && ch.read(buffer) >= 0) {}
      if (buffer.hasRemaining() || ch.read(ByteBuffer.allocate(1)) > 0) {
        return changed("its size is no longer the scanned " + size + " bytes");
      }
    } catch (NoSuchFileException e) {
      return new Problem(Reasons.DELETED_DURING_RUN, "the file was deleted after the scan");
    } catch (ConfinedFiles.NotConfinedException e) {
      return changed(e.getMessage());
    } catch (IOException e) {
      return new Problem(Reasons.UNREADABLE, "could not read the file to find its embedded code: " + e);
    }
    if (sha256 == null || !StableIds.sha256Hex(bytes).equals(sha256)) {
      return changed("its content no longer matches the scanned hash " + sha256);
    }
    return new Read(bytes);
  }

  private static Problem changed(String why) {
    return new Problem(
        Reasons.CHANGED_DURING_RUN, "the file changed after the scan (" + why + "); it was not planned or parsed");
  }
}
