package dev.quarry.transforms.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.segment.ContainerBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's container reader under the same hostile changes as the executor's ({@code
 * SegmentBytesConfinementTest}): it must not leave the root through a directory swapped for a link, and must not
 * block on a FIFO (that would hang the driver before anything is staged).
 *
 */
class ContainerBytesConfinementTest {
  @TempDir Path tmp;

  @Test
  void aContainerWhoseDirectoryWasSwappedForALinkIsNotRead() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside/docs"));
    byte[] bytes = "# same bytes inside and outside\n\n```python\nx = 1\n```\n".getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(root.resolve("docs"));
    Files.write(root.resolve("docs/a.md"), bytes);
    Files.write(outside.resolve("a.md"), bytes);
    String sha = StableIds.sha256Hex(bytes);
    Files.move(root.resolve("docs"), root.resolve("docs-moved"));
    Files.createSymbolicLink(root.resolve("docs"), outside);

    ContainerBytes.Problem p = assertInstanceOf(ContainerBytes.Problem.class,
        ContainerBytes.read(root.toString(), "docs/a.md", bytes.length, sha), "read through the link");
    assertEquals(Reasons.CHANGED_DURING_RUN, p.reason(), p.detail());
  }

  @Test
  void aContainerSwappedForAFifoIsNotOpened() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    byte[] bytes = "# doc\n".getBytes(StandardCharsets.UTF_8);
    String sha = StableIds.sha256Hex(bytes);
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("a.md").toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");

    ContainerBytes.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> ContainerBytes.read(root.toString(), "a.md", bytes.length, sha), "blocked opening a FIFO");
    ContainerBytes.Problem p = assertInstanceOf(ContainerBytes.Problem.class, outcome);
    assertEquals(Reasons.CHANGED_DURING_RUN, p.reason(), p.detail());
  }
}
