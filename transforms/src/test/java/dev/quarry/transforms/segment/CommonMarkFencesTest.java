package dev.quarry.transforms.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * The Markdown segmenter against the reference CommonMark parser (commonmark-java, test scope only): the same
 * fences, with content on the same lines and the same info strings. Fences inside block quotes are left out of
 * the comparison because the segmenter deliberately does not segment them (docs/segments.md).
 *
 * <p>Runs on the test inputs, and on real documentation trees when present: {@code -Dquarry.realDocs=DIR:DIR}, by
 * default Node.js's and npm's docs where a machine has them.
 */
class CommonMarkFencesTest {
  static final Path INPUTS = Path.of("src", "test", "resources", "segments", "inputs");

  /** Content lines {@code [startLine, endLine)} (0-based) and the info string. */
  record Fence(int startLine, int endLine, String info) {}

  @Test
  void testInputsMatchCommonMark() throws IOException {
    List<Path> files = markdownUnder(INPUTS);
    assertTrue(files.size() >= 3, "inputs: " + files);
    Map<String, byte[]> inputs = new TreeMap<>();
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      inputs.put(f.getFileName().toString(), bytes);
      inputs.put(f.getFileName() + " (CRLF)", Variants.crlf(bytes));
      inputs.put(f.getFileName() + " (BOM)", Variants.bom(bytes));
    }
    int fences = assertAllMatch(inputs);
    assertTrue(fences >= 3 * 20, "the inputs exercise many fences: " + fences);
  }

  @Test
  void realDocumentationMatchesCommonMark() throws IOException {
    // npm's own documentation is always there: npm is a build prerequisite (it fetches the grammars).
    String dirs = System.getProperty("quarry.realDocs", "/usr/share/doc/nodejs:" + npmRoot() + "/npm/docs");
    Map<String, byte[]> inputs = new TreeMap<>();
    for (String d : dirs.split(":")) {
      if (!d.isBlank() && Files.isDirectory(Path.of(d))) {
        for (Path f : markdownUnder(Path.of(d))) {
          inputs.put(f.toString(), Files.readAllBytes(f));
        }
      }
    }
    assertFalse(inputs.isEmpty(), "no Markdown under " + dirs + "; set -Dquarry.realDocs=DIR[:DIR...]");
    int fences = assertAllMatch(inputs);
    System.out.println("CommonMarkFencesTest: " + inputs.size() + " real Markdown files, " + fences + " fences agree");
  }

  /** {@code npm root -g}: where npm itself is installed. */
  private static String npmRoot() throws IOException {
    Process npm = new ProcessBuilder("npm", "root", "-g").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String root = new String(npm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    try {
      npm.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking npm for its root", e);
    }
    return root;
  }

  private static int assertAllMatch(Map<String, byte[]> inputs) {
    List<String> mismatches = new ArrayList<>();
    int fences = 0;
    for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
      List<Fence> expected = reference(e.getValue());
      List<Fence> actual = segmenter(e.getValue());
      fences += expected.size();
      if (!expected.equals(actual)) {
        mismatches.add(e.getKey() + "\n  commonmark: " + expected + "\n  segmenter:  " + actual);
      }
    }
    assertEquals(List.of(), mismatches, mismatches.size() + " of " + inputs.size() + " files differ");
    return fences;
  }

  static List<Fence> reference(byte[] bytes) {
    int bom = Bytes.bomLength(bytes);
    String text = new String(bytes, bom, bytes.length - bom, StandardCharsets.UTF_8);
    Node document = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build().parse(text);
    List<Fence> out = new ArrayList<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(BlockQuote blockQuote) {
        // not segmented, by design
      }

      @Override
      public void visit(FencedCodeBlock fence) {
        List<SourceSpan> spans = fence.getSourceSpans();
        int opener = spans.get(0).getLineIndex();
        int last = spans.get(spans.size() - 1).getLineIndex();
        boolean closed = fence.getClosingFenceLength() != null && spans.size() > 1;
        out.add(new Fence(opener + 1, closed ? last : last + 1, fence.getInfo().strip()));
      }
    });
    return out;
  }

  static List<Fence> segmenter(byte[] bytes) {
    List<Fence> out = new ArrayList<>();
    for (Segment s : new MarkdownSegmenter().segments(bytes)) {
      out.add(new Fence(line(bytes, s.start()), endLine(bytes, s.end()), s.declared() == null ? "" : s.declared()));
    }
    return out;
  }

  private static int line(byte[] b, int offset) {
    int n = 0;
    for (int i = 0; i < offset; i++) {
      if (b[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  /** An end at the end of a last line without a newline still ends after that line. */
  private static int endLine(byte[] b, int offset) {
    int n = line(b, offset);
    return offset == b.length && b.length > 0 && b[b.length - 1] != '\n' && !endsLine(b, offset) ? n + 1 : n;
  }

  private static boolean endsLine(byte[] b, int offset) {
    int i = offset - 1;
    return i < 0 || b[i] == '\n';
  }

  static List<Path> markdownUnder(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
