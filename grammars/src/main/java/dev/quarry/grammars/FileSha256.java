package dev.quarry.grammars;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The SHA-256 of a whole file, through OpenSSL's libcrypto ({@code EVP_Digest} over the file mapped into memory) when
 * the system has it, else through the JDK's {@link MessageDigest}. The JDK's SHA-256 is fast only once C2 has
 * compiled it to the CPU's SHA instructions; a process that runs with C1 alone (the launcher's JIT mode for
 * incremental runs, docs/operations.md#jit-mode) hashes about 11 times slower, and every run hashes the grammar
 * libraries it loads (tens of MB) and {@code verify} every table file the run wrote. libcrypto uses those
 * instructions from the first byte. Both give the same digest: libcrypto is used only if it hashes a known input
 * right when loaded.
 */
public final class FileSha256 {
  private static final HexFormat HEX = HexFormat.of();
  /** {@code int EVP_Digest(const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type,
   * ENGINE *impl)}, or null when libcrypto is not used. */
  private static final MethodHandle EVP_DIGEST;
  /** {@code EVP_sha256()}. */
  private static final MemorySegment SHA256;
  /** Why libcrypto is not used, or null. */
  private static final String UNAVAILABLE;

  static {
    MethodHandle digest = null;
    MemorySegment sha256 = null;
    String unavailable = null;
    try {
      SymbolLookup crypto = libcrypto();
      Linker linker = Linker.nativeLinker();
      sha256 = (MemorySegment) linker.downcallHandle(crypto.find("EVP_sha256").orElseThrow(),
          FunctionDescriptor.of(ADDRESS)).invokeExact();
      digest = linker.downcallHandle(crypto.find("EVP_Digest").orElseThrow(),
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
      byte[] probe = "quarry".getBytes(StandardCharsets.US_ASCII);
      try (Arena arena = Arena.ofConfined()) {
        String got = evpDigest(digest, sha256, arena.allocateFrom(JAVA_BYTE, probe), probe.length);
        if (!got.equals(HEX.formatHex(messageDigest().digest(probe)))) {
          throw new IllegalStateException("libcrypto's SHA-256 of a probe is " + got);
        }
      }
    } catch (Throwable t) {
      digest = null;
      unavailable = t.toString();
    }
    EVP_DIGEST = digest;
    SHA256 = sha256;
    UNAVAILABLE = unavailable;
  }

  private FileSha256() {}

  /** Why libcrypto is not used ({@code null} when it is): for tests and diagnostics. */
  public static String libcryptoUnavailable() {
    return UNAVAILABLE;
  }

  /** The hex SHA-256 of the bytes of {@code file}. */
  public static String of(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      return of(in, file);
    }
  }

  /** The hex SHA-256 of the bytes of {@code in}, a file opened for reading. */
  public static String of(FileChannel in, Path file) throws IOException {
    long size = in.size();
    if (EVP_DIGEST == null || size == 0) {
      return withMessageDigest(in);
    }
    try (Arena arena = Arena.ofConfined()) {
      return evpDigest(EVP_DIGEST, SHA256, in.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), size);
    } catch (IllegalStateException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  static String withMessageDigest(FileChannel in) throws IOException {
    MessageDigest digest = messageDigest();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    for (long at = 0; in.read(buffer, at) > 0; buffer.clear()) {
      buffer.flip();
      at += buffer.remaining();
      digest.update(buffer);
    }
    return HEX.formatHex(digest.digest());
  }

  private static MessageDigest messageDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String evpDigest(MethodHandle evpDigest, MemorySegment sha256, MemorySegment data, long size) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment md = arena.allocate(32);
      int ok;
      try {
        ok = (int) evpDigest.invokeExact(data, size, md, MemorySegment.NULL, sha256, MemorySegment.NULL);
      } catch (Throwable t) {
        throw new IllegalStateException("libcrypto's EVP_Digest failed: " + t, t);
      }
      if (ok != 1) {
        throw new IllegalStateException("libcrypto's EVP_Digest returned " + ok + " for " + size + " bytes");
      }
      return HEX.formatHex(md.toArray(JAVA_BYTE));
    }
  }

  /** OpenSSL 3's or 1.1's libcrypto on Linux; elsewhere none (macOS aborts a process loading its own). */
  private static SymbolLookup libcrypto() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      throw new UnsupportedOperationException("libcrypto is used on Linux only");
    }
    IllegalArgumentException last = null;
    for (String name : List.of("libcrypto.so.3", "libcrypto.so.1.1")) {
      try {
        return SymbolLookup.libraryLookup(name, Arena.global());
      } catch (IllegalArgumentException e) {
        last = e;
      }
    }
    throw last;
  }
}
