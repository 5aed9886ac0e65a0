package dev.quarry.transforms.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the executor's reader does when the corpus changes under it between scan and parse in hostile ways: it
 * never leaves the source root, never blocks on a FIFO and never allocates for bytes the scan did not see.
 */
class SegmentBytesConfinementTest {
  @TempDir Path tmp;

  private Job job(Path root, String path, byte[] bytes) {
    return Job.newBuilder()
        .setRepo("r").setPath(path).setSourceRoot(root.toString()).setFileSha256(StableIds.sha256Hex(bytes))
        .setFileSize(bytes.length).setSegmentUid("s").setVirtualPath(path + "#seg:s.py").setStartByte(0)
        .setEndByte(bytes.length).setBaseRow(0).setBaseColumn(0).setContainerKind("file").setLanguage("python")
        .setWasmKey("python-x").setContentHash("c").setShard(0).setBucket(0).setBucketCount(1).build();
  }

  private SegmentBytes.Problem problem(Job job) {
    return assertInstanceOf(SegmentBytes.Problem.class,
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> SegmentBytes.read(job), "the read blocked"));
  }

  @Test
  void aDirectorySwappedForALinkOutsideTheRootIsNotFollowed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside/dir"));
    byte[] bytes = "x = 'same bytes inside and outside'\n".getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(root.resolve("dir"));
    Files.write(root.resolve("dir/a.py"), bytes);
    Files.write(outside.resolve("a.py"), bytes);
    Job job = job(root, "dir/a.py", bytes);
    Files.move(root.resolve("dir"), root.resolve("dir-moved"));
    Files.createSymbolicLink(root.resolve("dir"), outside);

    SegmentBytes.Problem p = problem(job);
    assertEquals(Reasons.CHANGED_DURING_RUN, p.reason(), p.detail());
    assertTrue(p.detail().contains("symbolic link"), p.detail());
  }

  @Test
  void aFileSwappedForALinkIsNotFollowed() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    byte[] bytes = "x = 1\n".getBytes(StandardCharsets.UTF_8);
    Files.write(tmp.resolve("secret.py"), bytes);
    Files.write(root.resolve("a.py"), bytes);
    Job job = job(root, "a.py", bytes);
    Files.delete(root.resolve("a.py"));
    Files.createSymbolicLink(root.resolve("a.py"), tmp.resolve("secret.py"));

    assertEquals(Reasons.CHANGED_DURING_RUN, problem(job).reason());
  }

  @Test
  void aFileSwappedForAFifoIsNotOpened() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    byte[] bytes = "x = 1\n".getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("a.py"), bytes);
    Job job = job(root, "a.py", bytes);
    Files.delete(root.resolve("a.py"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("a.py").toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

    SegmentBytes.Problem p = problem(job);
    assertEquals(Reasons.CHANGED_DURING_RUN, p.reason(), p.detail());
  }

  @Test
  void aFileThatGrewToGigabytesCostsNoMemory() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    byte[] bytes = "x = 1\n".getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("a.py"), bytes);
    Job job = job(root, "a.py", bytes);
    for (long size : new long[] {1_500_000_000L, 3_000_000_000L}) {
      try (RandomAccessFile f = new RandomAccessFile(root.resolve("a.py").toFile(), "rw")) {
        f.setLength(size); // sparse: no disk, and no heap unless someone allocates for it
      }
      SegmentBytes.Problem p = problem(job);
      assertEquals(Reasons.CHANGED_DURING_RUN, p.reason(), size + ": " + p.detail());
    }
  }
}
