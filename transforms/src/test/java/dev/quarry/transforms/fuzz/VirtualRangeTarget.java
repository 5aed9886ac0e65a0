package dev.quarry.transforms.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quarry.transforms.plan.InvalidVirtualRangeException;
import dev.quarry.transforms.plan.VirtualRanges;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Fuzz target: {@link VirtualRanges} accepts exactly the valid ranges (checked against an independent oracle)
 * and rejects the others with {@link InvalidVirtualRangeException} naming the file, segment, range and size; it
 * never throws anything else.
 *
 * <p>Input: {@code [container length][range count]} then per range a mode byte and two ints, then the container
 * bytes. The mode decides whether the ints are used raw (extremes: negative, beyond the file, past
 * {@code Integer.MAX_VALUE}) or folded into {@code [-1, length + 1]}, where off-by-one and mid-character errors
 * live.
 */
public final class VirtualRangeTarget {
  private VirtualRangeTarget() {}

  public static void run(byte[] data) {
    FuzzBytes in = new FuzzBytes(data);
    int declaredLength = in.u16() % 4096;
    int count = in.u8() % 16;
    long[][] raw = new long[count][];
    int[] modes = new int[count];
    for (int i = 0; i < count; i++) {
      modes[i] = in.u8();
      raw[i] = new long[] {in.i32(), in.i32()};
    }
    byte[] container = in.take(declaredLength);
    int length = container.length;
    List<VirtualRanges.Range> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = value(raw[i][0], modes[i], length);
      long end = value(raw[i][1], modes[i] >> 2, length);
      if ((modes[i] & 0x10) != 0) {
        end = start + Math.floorMod(raw[i][1], 8); // short ranges: neighbours and empty ones at one offset
      }
      ranges.add(new VirtualRanges.Range("repo", "dir/file.md", "seg-" + i, "markdown", "python", start, end));
    }

    for (VirtualRanges.Range r : ranges) {
      expect(() -> VirtualRanges.validate(r, length), inBounds(r, length), r, length);
      expect(() -> VirtualRanges.validateBoundaries(r, container),
          inBounds(r, length) && onBoundaries(r, container), r, length);
    }
    boolean allValid = ranges.stream().allMatch(r -> inBounds(r, length) && onBoundaries(r, container));
    expect(() -> VirtualRanges.validateEmbedded(ranges, container), allValid && disjoint(ranges), null, length);
  }

  private static long value(long raw, int mode, int length) {
    return switch (mode & 0x3) {
      case 0 -> raw; // anything, negative and huge included
      case 1 -> raw & 0xFFFFFFFFL | ((raw & 1) == 0 ? 0 : 1L << 32); // past Integer.MAX_VALUE
      default -> Math.floorMod(raw, (long) length + 3) - 1; // -1 .. length + 1
    };
  }

  static boolean inBounds(VirtualRanges.Range r, long size) {
    return 0 <= r.start() && r.start() <= r.end() && r.end() <= size;
  }

  /** Not inside a multi-byte UTF-8 character: the byte at the offset is not a continuation byte. */
  static boolean onBoundaries(VirtualRanges.Range r, byte[] bytes) {
    return boundary(bytes, r.start()) && boundary(bytes, r.end());
  }

  private static boolean boundary(byte[] bytes, long offset) {
    return offset == 0 || offset == bytes.length || (offset > 0 && offset < bytes.length
        && (bytes[(int) offset] & 0xC0) != 0x80);
  }

  /** No two ranges share a byte, and no two start at the same offset (two empty ones there would be one twice). */
  static boolean disjoint(List<VirtualRanges.Range> ranges) {
    List<VirtualRanges.Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(VirtualRanges.Range::start).thenComparingLong(VirtualRanges.Range::end));
    for (int i = 1; i < sorted.size(); i++) {
      VirtualRanges.Range a = sorted.get(i - 1);
      VirtualRanges.Range b = sorted.get(i);
      if (b.start() < a.end() || b.start() == a.start()) {
        return false;
      }
    }
    return true;
  }

  private static void expect(Runnable check, boolean valid, VirtualRanges.Range r, long size) {
    try {
      check.run();
      if (!valid) {
        fail("accepted an invalid range " + (r == null ? "set" : "[" + r.start() + ", " + r.end() + ")")
            + " in a container of " + size + " bytes");
      }
    } catch (InvalidVirtualRangeException e) {
      if (valid) {
        throw new AssertionError("rejected a valid range: " + e.getMessage(), e);
      }
      String m = e.getMessage();
      assertTrue(m.contains("repo/dir/file.md") && m.contains("seg-") && m.contains("file size " + size + " bytes")
          && m.contains("range ["), "the message names file, segment, range and size: " + m);
    }
    // Anything else (IndexOutOfBounds, ArithmeticException, ...) propagates and is a finding.
  }
}
