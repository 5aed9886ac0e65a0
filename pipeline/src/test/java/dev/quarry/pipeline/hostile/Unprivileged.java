package dev.quarry.pipeline.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How a child process runs without the privilege to read files it has no permission for. Tests run as root here,
 * and root reads a {@code chmod 000} file anyway (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH). As root, the child drops
 * those two capabilities from its bounding set with {@code setpriv}: it stays uid 0 and owns every file the test
 * made, but permission bits apply to it like to anyone. As another user, nothing is needed. Where neither works
 * (root without setpriv), unreadable files cannot be produced and the tests that need them say so.
 */
final class Unprivileged {
  private static final List<String> SETPRIV =
      List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search");
  private static Boolean available;

  private Unprivileged() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command prefix that makes a child honour permission bits. */
  static List<String> prefix() {
    return isRoot() ? SETPRIV : List.of();
  }

  /** Whether a child started with {@link #prefix()} really cannot read a {@code chmod 000} file (probed once). */
  static synchronized boolean canProduceUnreadableFiles(Path scratch) {
    if (available == null) {
      available = probe(scratch);
    }
    return available;
  }

  private static boolean probe(Path scratch) {
    try {
      Path file = Files.createTempFile(scratch, "locked", ".txt");
      Files.writeString(file, "x");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
      List<String> command = new ArrayList<>(prefix());
      command.addAll(List.of("cat", file.toString()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
          ProcessBuilder.Redirect.DISCARD).start();
      boolean done = p.waitFor(30, TimeUnit.SECONDS);
      Files.delete(file);
      return done && p.exitValue() != 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
