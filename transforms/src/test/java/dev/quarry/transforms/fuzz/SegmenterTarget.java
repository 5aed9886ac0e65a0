package dev.quarry.transforms.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.Reasons;
import dev.quarry.transforms.plan.VirtualRanges;
import dev.quarry.transforms.segment.Segment;
import dev.quarry.transforms.segment.Segmenter;
import dev.quarry.transforms.segment.Segmenters;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzz target: the container segmenters (Markdown, HTML, Vue, Svelte) on arbitrary UTF-8. Every produced range is
 * inside the container, on UTF-8 character boundaries, in increasing start order and disjoint; the planner's own
 * validation ({@link VirtualRanges#validateEmbedded}) accepts them, so no container content can fail a run; the
 * same bytes give the same segments; nothing throws.
 *
 * <p>Input: {@code [container kind][BOM flag] text...}. The text is made valid UTF-8 first, as the planner only
 * segments containers that are.
 */
public final class SegmenterTarget {
  static final List<String> CONTAINERS = List.of("markdown", "html", "vue", "svelte");
  private static final Set<String> REASONS = Set.of(Reasons.NO_LANGUAGE, Reasons.UNSUPPORTED_TYPE);
  private static final int MAX_CONTAINER = 1 << 16;

  private SegmenterTarget() {}

  public static void run(byte[] data) {
    FuzzBytes in = new FuzzBytes(data);
    String language = CONTAINERS.get(in.u8() % CONTAINERS.size());
    boolean bom = (in.u8() & 1) == 1;
    byte[] text = FuzzBytes.validUtf8(in.take(MAX_CONTAINER));
    byte[] container = text;
    if (bom) {
      container = new byte[text.length + 3];
      container[0] = (byte) 0xEF;
      container[1] = (byte) 0xBB;
      container[2] = (byte) 0xBF;
      System.arraycopy(text, 0, container, 3, text.length);
    }
    check(language, container);
  }

  static void check(String language, byte[] container) {
    Segmenter segmenter = Segmenters.standard().forLanguage(language).orElseThrow();
    List<Segment> segments = segmenter.segments(container);
    assertNotNull(segments);
    List<VirtualRanges.Range> ranges = new ArrayList<>();
    Segment previous = null;
    for (Segment s : segments) {
      String where = language + " segment " + s;
      assertTrue(0 <= s.start() && s.start() <= s.end() && s.end() <= container.length,
          where + ": inside the " + container.length + "-byte container");
      assertTrue(boundary(container, s.start()) && boundary(container, s.end()), where + ": on UTF-8 boundaries");
      if (previous != null) {
        assertTrue(previous.end() <= s.start() && previous.start() < s.start(),
            where + ": after " + previous + " and disjoint from it");
      }
      assertNotNull(s.block(), where + ": block");
      assertTrue(s.reason() == null || REASONS.contains(s.reason()), where + ": reason");
      assertTrue(s.reason() == null || s.language() == null, where + ": a segment with a reason has no language");
      previous = s;
      ranges.add(new VirtualRanges.Range("fuzz", "f." + language, "seg-" + ranges.size(), segmenter.containerKind(),
          s.language(), s.start(), s.end()));
    }
    VirtualRanges.validateEmbedded(ranges, container); // throws InvalidVirtualRangeException: a run would fail
    assertEquals(segments, segmenter.segments(container.clone()), "deterministic");
  }

  private static boolean boundary(byte[] bytes, int offset) {
    return offset == 0 || offset == bytes.length || (bytes[offset] & 0xC0) != 0x80;
  }
}
