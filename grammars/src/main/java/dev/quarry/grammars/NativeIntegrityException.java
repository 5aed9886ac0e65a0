package dev.quarry.grammars;

/**
 * A native library in the jar does not match the hash recorded in {@code quarry/grammars.json}: the jar
 * was assembled from mismatched build outputs (or altered) and must be rebuilt.
 */
public final class NativeIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NativeIntegrityException(String message) {
    super(message);
  }

  public NativeIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
