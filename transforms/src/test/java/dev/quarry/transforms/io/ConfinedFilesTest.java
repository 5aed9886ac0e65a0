package dev.quarry.transforms.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfinedFilesTest {
  @TempDir Path tmp;

  private byte[] read(Path root, String rel) throws Exception {
    try (SeekableByteChannel ch = ConfinedFiles.open(root, rel); InputStream in = Channels.newInputStream(ch)) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsARegularFileBelowTheRoot() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/a/b"));
    Files.writeString(root.resolve("c d.py"), "x = 1\n");
    assertArrayEquals("x = 1\n".getBytes(), read(tmp.resolve("root"), "a/b/c d.py"));
  }

  @Test
  void neverFollowsALinkOnTheWay() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.py"), "s = 1\n");
    Files.createSymbolicLink(root.resolve("dir"), outside);
    Files.createSymbolicLink(root.resolve("file.py"), outside.resolve("secret.py"));
    Files.createDirectories(root.resolve("real"));
    Files.createSymbolicLink(root.resolve("real/inner"), Path.of(".."));
    Files.writeString(root.resolve("ok.py"), "ok\n");
    for (String rel : new String[] {"dir/secret.py", "file.py", "real/inner/ok.py"}) {
      ConfinedFiles.NotConfinedException e =
          assertThrows(ConfinedFiles.NotConfinedException.class, () -> read(root, rel), rel);
      assertTrue(e.isLink(), rel);
      assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }
  }

  @Test
  void opensOnlyRegularFiles() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/dir"));
    Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe.py").toString()).start();
    assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
    for (String rel : new String[] {"dir/pipe.py", "dir"}) {
      ConfinedFiles.NotConfinedException e =
          assertThrows(ConfinedFiles.NotConfinedException.class, () -> read(tmp.resolve("root"), rel), rel);
      assertFalse(e.isLink(), rel);
    }
  }

  @Test
  void refusesPathsThatAreNotPlain() {
    for (String rel : new String[] {"../x.py", "a/../b.py", "./a.py", "a//b.py", "/etc/passwd", "", "a\0b"}) {
      assertThrows(ConfinedFiles.NotConfinedException.class, () -> read(tmp, rel), rel);
    }
  }

  @Test
  void aMissingFileIsNoSuchFile() throws Exception {
    Files.createDirectories(tmp.resolve("root"));
    assertThrows(NoSuchFileException.class, () -> read(tmp.resolve("root"), "gone.py"));
    assertThrows(NoSuchFileException.class, () -> read(tmp.resolve("root"), "gone/x.py"));
  }
}
