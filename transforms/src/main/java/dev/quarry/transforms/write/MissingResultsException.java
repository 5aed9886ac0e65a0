package dev.quarry.transforms.write;

/** A planned job has no result (or a result has no planned job): the snapshot would be incomplete. */
public final class MissingResultsException extends IllegalStateException {
  public MissingResultsException(String message) {
    super(message);
  }
}
