package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.transforms.plan.InvalidVirtualRangeException;
import dev.quarry.transforms.scan.SourceRoot;
import dev.quarry.transforms.segment.MarkdownSegmenter;
import dev.quarry.transforms.segment.Segment;
import dev.quarry.transforms.segment.Segmenter;
import dev.quarry.transforms.segment.Segmenters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 000's invalid-virtual-range regression, in indexing mode: a segment range that cannot be a segment of its
 * container is a hard error that names the file, the segment, the range and the file size, and the run publishes
 * nothing (CURRENT and the published snapshots stay as they were). There is no skip path.
 */
class InvalidVirtualRangeTest {
  @TempDir Path tmp;

  /** The real Markdown segmenter with its ranges bent by {@code bend}: a stand-in for a segmenter bug. */
  static Segmenters bent(UnaryOperator<List<Segment>> bend) {
    Segmenter real = new MarkdownSegmenter();
    Segmenter faulty = new Segmenter() {
      @Override
      public String containerKind() {
        return real.containerKind();
      }

      @Override
      public List<Segment> segments(byte[] container) {
        return bend.apply(real.segments(container));
      }
    };
    return new Segmenters(Map.of("markdown", faulty));
  }

  static Segment shifted(Segment s, int startDelta, int endDelta) {
    return new Segment(s.block(), s.start() + startDelta, s.end() + endDelta, s.declared(), s.language(), s.reason());
  }

  ExtractionRun.Outcome run(Path repo, Path out, Segmenters segmenters) throws Exception {
    Manifests.Source scan = new Manifests.Scan(List.of(SourceRoot.parse(repo.toString())), List.of(), false);
    // --full: the planner segments every container afresh (an incremental run plans unchanged containers from the
    // snapshot's segments and would never call the faulty segmenter).
    return ExtractionRun.run(new ExtractionRun.Request(scan, out, Runs.CONFIG, 3, true, List.of(), true,
        new PrintStream(new ByteArrayOutputStream()), false, false), segmenters);
  }

  @Test
  void invalidRangesFailTheRunAndPublishNothing() throws Exception {
    Path repo = EmbeddedFixtures.docsRepo(tmp.resolve("corpus"));
    Path out = tmp.resolve("out");
    ExtractionRun.Outcome good = run(repo, out, Segmenters.standard());
    String current = Files.readString(out.resolve("CURRENT"));
    List<String> before = listing(out);
    long size = Files.size(repo.resolve("docs/book/ch1.md"));

    Map<String, UnaryOperator<List<Segment>>> bugs = Map.of(
        "end is beyond the end of the file",
        segments -> List.of(shifted(segments.get(segments.size() - 1), 0, 10_000)),
        "start is after end",
        segments -> List.of(new Segment("fence", 20, 10, "rust", "rust", null)),
        "it overlaps segment",
        segments -> {
          List<Segment> out2 = new ArrayList<>(segments);
          out2.add(shifted(segments.get(0), 1, 1));
          return out2;
        });
    for (Map.Entry<String, UnaryOperator<List<Segment>>> bug : bugs.entrySet()) {
      InvalidVirtualRangeException e = assertThrows(InvalidVirtualRangeException.class,
          () -> run(repo, out, bent(bug.getValue())), bug.getKey());
      String m = e.getMessage();
      assertTrue(m.contains(bug.getKey()), m);
      assertTrue(m.contains("file site/docs/book/ch1.md"), "the first container in plan order is named: " + m);
      assertTrue(m.matches("(?s).*segment seg-[0-9a-f]{32} \\(markdown, \\w+\\).*"), m);
      assertTrue(m.matches("(?s).*range \\[-?\\d+, \\d+\\).*"), m);
      assertTrue(m.contains("file size " + size + " bytes"), m);
      assertTrue(m.contains("nothing was published"), m);
      assertEquals(current, Files.readString(out.resolve("CURRENT")), "CURRENT is untouched");
      assertEquals(before, listing(out), "no snapshot, staging directory or file was left behind");
    }
    assertTrue(Files.isDirectory(good.snapshotDir()));
  }

  @Test
  void aFirstRunWithAnInvalidRangeCreatesNoCurrent() throws Exception {
    Path repo = EmbeddedFixtures.docsRepo(tmp.resolve("corpus"));
    Path out = tmp.resolve("fresh");
    Files.writeString(repo.resolve("docs/book/ch1.md"), "```python\nprice = '\u20ac'\n```\n");
    // A range ending one byte into the three bytes of the euro sign.
    UnaryOperator<List<Segment>> insideUtf8 = segments -> {
      Segment fence = segments.get(0);
      int euroAt = fence.start() + "price = '".length();
      return List.of(new Segment(fence.block(), fence.start(), euroAt + 1, fence.declared(), fence.language(), null));
    };
    InvalidVirtualRangeException e =
        assertThrows(InvalidVirtualRangeException.class, () -> run(repo, out, bent(insideUtf8)));
    assertTrue(e.getMessage().contains("an end falls inside a UTF-8 character"), e.getMessage());
    assertFalse(Files.exists(out.resolve("CURRENT")));
  }

  static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
