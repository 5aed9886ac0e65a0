package dev.quarry.grammars;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Copies native libraries from the class path to local files, because the OS can only load a library
 * from a file.
 *
 * <p>Files live in {@code <root>/<sha256>/<file name>}, with the root taken from {@code
 * $QUARRY_NATIVE_CACHE}, else {@code ${XDG_CACHE_HOME:-~/.cache}/quarry/natives}. Content addressing
 * lets builds coexist, and every write is a rename of a complete, synced temp file from the same
 * directory, so JVMs starting together never see a partial library. A file is hashed the first time a
 * JVM uses it; a corrupt one is logged and replaced.
 */
final class NativeLibraries {
  private static final System.Logger LOG = System.getLogger(NativeLibraries.class.getName());
  private static final NativeLibraries DEFAULT = new NativeLibraries(defaultRoot());

  private final Path root;
  private final ConcurrentMap<String, Path> verified = new ConcurrentHashMap<>();

  NativeLibraries(Path root) {
    this.root = root;
  }

  /** The per-user cache used by {@link Grammars} and {@link TreeSitterCoreLookup}. */
  static NativeLibraries defaults() {
    return DEFAULT;
  }

  private static Path defaultRoot() {
    String explicit = System.getenv("QUARRY_NATIVE_CACHE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cacheHome =
        xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cacheHome.resolve("quarry").resolve("natives");
  }

  Path root() {
    return root;
  }

  /**
   * Returns a local file holding the class-path resource, whose content has the given sha256.
   *
   * @throws NativeIntegrityException if the resource is missing or its bytes do not have that hash
   */
  Path file(String resource, String sha256) {
    return verified.computeIfAbsent(sha256 + '/' + resource, key -> materialize(resource, sha256));
  }

  private Path materialize(String resource, String expected) {
    Path target = root.resolve(expected).resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try {
      if (Files.exists(target)) {
        String actual = FileSha256.of(target);
        if (actual.equals(expected)) {
          return target;
        }
        LOG.log(
            Level.WARNING,
            "Cached native library {0} is corrupt (expected sha256 {1}, actual {2}); replacing it from {3}",
            target,
            expected,
            actual,
            resource);
      }
      write(target, verifiedResource(resource, expected));
      String written = FileSha256.of(target);
      if (!written.equals(expected)) {
        throw new NativeIntegrityException(
            "Native library "
                + target
                + " has sha256 "
                + written
                + " right after it was written with sha256 "
                + expected
                + "; is something else writing to "
                + root
                + "?");
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + resource + " to " + target, e);
    }
  }

  private static byte[] verifiedResource(String resource, String expected) throws IOException {
    byte[] bytes;
    try (InputStream in = NativeLibraries.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new NativeIntegrityException(
            "Resource " + resource + " is listed in quarry/grammars.json but missing from the class path;"
                + " rebuild quarry-grammars (mvn -pl grammars package)");
      }
      bytes = in.readAllBytes();
    }
    String actual = sha256(bytes);
    if (!actual.equals(expected)) {
      throw new NativeIntegrityException(
          "Resource "
              + resource
              + " has sha256 "
              + actual
              + " but quarry/grammars.json expects "
              + expected
              + "; the jar mixes outputs of different builds: rebuild quarry-grammars (mvn -pl grammars package)");
    }
    return bytes;
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        // Sync before the rename so a crash cannot leave a complete-looking name over partial data.
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
