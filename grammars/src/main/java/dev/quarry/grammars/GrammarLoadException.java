package dev.quarry.grammars;

/** A grammar's native library cannot be turned into a usable {@code Language}. */
public final class GrammarLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GrammarLoadException(String message) {
    super(message);
  }

  public GrammarLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
