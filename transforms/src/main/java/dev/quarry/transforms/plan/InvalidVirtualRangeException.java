package dev.quarry.transforms.plan;

/**
 * A job whose byte range cannot be a segment of its container. This is a bug in a segmenter or a corrupt plan,
 * never a property of the input, so the run fails instead of skipping the segment.
 */
public final class InvalidVirtualRangeException extends IllegalStateException {
  public InvalidVirtualRangeException(String message) {
    super(message);
  }
}
