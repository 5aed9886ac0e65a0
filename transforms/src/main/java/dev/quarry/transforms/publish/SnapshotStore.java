package dev.quarry.transforms.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output directory's layout and its one atomic switch. A run writes into {@code snapshots/.staging-<id>},
 * renames it to {@code snapshots/<id>} when complete, then replaces {@code CURRENT} by an atomic rename. Until
 * that last rename, readers keep seeing the previous snapshot, whatever happens to the run (kill -9 included).
 * One run at a time per output directory, enforced with a file lock.
 */
public final class SnapshotStore implements AutoCloseable {
  static final String CURRENT = "CURRENT";
  static final String SNAPSHOTS = "snapshots";
  static final String STAGING_PREFIX = ".staging-";
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  /** What follows {@code <time>-<plan>} in the id of a snapshot of the same plan and second: nothing, or a counter. */
  private static final Pattern SAME_SECOND = Pattern.compile("(?:-(\\d{1,9}))?");

  private final Path out;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private SnapshotStore(Path out, FileChannel lockChannel, FileLock lock) {
    this.out = out;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Opens (creating) {@code out}, takes its lock and removes staging directories left by killed runs. */
  public static SnapshotStore open(Path out) throws IOException {
    Files.createDirectories(out.resolve(SNAPSHOTS));
    FileChannel ch = FileChannel.open(out.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IOException(
          "another Quarry run is writing to " + out + " (its .lock is held). Wait for it to finish, or use another --out.");
    }
    SnapshotStore store = new SnapshotStore(out, ch, lock);
    store.removeStaleStaging();
    return store;
  }

  public Path out() {
    return out;
  }

  /** The published snapshot's directory, if any. */
  public Optional<Path> current() throws IOException {
    Path current = out.resolve(CURRENT);
    if (!Files.exists(current)) {
      return Optional.empty();
    }
    String id = Files.readString(current, StandardCharsets.UTF_8).trim();
    Path dir = out.resolve(SNAPSHOTS).resolve(id);
    if (!Files.isDirectory(dir)) {
      throw new IOException(out.resolve(CURRENT) + " names snapshot '" + id + "' but " + dir + " does not exist."
          + " Restore that directory, or delete CURRENT to start from a full run.");
    }
    return Optional.of(dir);
  }

  /**
   * A new, empty staging directory for a snapshot whose id starts with the current UTC time. Runs of the same plan in
   * the same second get a counter ({@code <time>-<plan>-1}, {@code -2}, ...) above the ones already there: retention
   * keeps the newest ids, and the first free name can be one whose snapshot retention already removed, which sorts
   * before its successors.
   */
  public Staging stage(String planHash) throws IOException {
    String base = ID_TIME.format(Instant.now()) + "-" + planHash.substring(0, 8);
    int next = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(out.resolve(SNAPSHOTS), base + "*")) {
      for (Path p : ds) {
        Matcher m = SAME_SECOND.matcher(p.getFileName().toString().substring(base.length()));
        if (m.matches()) {
          next = Math.max(next, m.group(1) == null ? 1 : Integer.parseInt(m.group(1)) + 1);
        }
      }
    }
    String id = next == 0 ? base : base + "-" + next;
    Path dir = out.resolve(SNAPSHOTS).resolve(STAGING_PREFIX + id);
    Files.createDirectories(dir);
    return new Staging(id, dir);
  }

  /** A snapshot being written. */
  public record Staging(String id, Path dir) {}

  /** Makes {@code staging} the published snapshot; returns its final directory. */
  public Path publish(Staging staging) throws IOException {
    Path dir = out.resolve(SNAPSHOTS).resolve(staging.id());
    Files.move(staging.dir(), dir, StandardCopyOption.ATOMIC_MOVE);
    Path tmp = out.resolve(".CURRENT.tmp");
    Files.writeString(tmp, staging.id() + "\n", StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, out.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return dir;
  }

  /** Best-effort removal of a staging directory after a failed run; CURRENT is never touched. */
  public void discard(Staging staging) {
    deleteTree(staging.dir());
  }

  /** Deletes published snapshots beyond the newest {@code keep}, never the current one. Returns what it removed. */
  public List<String> retain(int keep) throws IOException {
    String current = current().map(p -> p.getFileName().toString()).orElse("");
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(out.resolve(SNAPSHOTS))) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && !name.startsWith(".")) {
          ids.add(name);
        }
      }
    }
    ids.sort(Comparator.reverseOrder());
    List<String> removed = new ArrayList<>();
    for (int i = Math.max(keep, 1); i < ids.size(); i++) {
      if (!ids.get(i).equals(current)) {
        // Rename first so a reader never sees a half-deleted snapshot under its real name.
        Path doomed = out.resolve(SNAPSHOTS).resolve(STAGING_PREFIX + "deleting-" + ids.get(i));
        Files.move(out.resolve(SNAPSHOTS).resolve(ids.get(i)), doomed, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(doomed);
        removed.add(ids.get(i));
      }
    }
    return removed;
  }

  private void removeStaleStaging() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(out.resolve(SNAPSHOTS), STAGING_PREFIX + "*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // Best effort: a leftover staging directory is removed by the next run.
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    lockChannel.close();
  }
}
