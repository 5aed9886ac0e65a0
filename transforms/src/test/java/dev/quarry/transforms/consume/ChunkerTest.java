package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.ChunkRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  static List<String> describe(ConsumerOutput out) {
    return out.chunks().stream()
        .map(c -> c.getStartLine() + "-" + c.getEndLine() + " " + c.getKind() + (c.getName() == null ? "" : " "
            + c.getName()))
        .toList();
  }

  @Test
  void emptySegmentHasNoChunks() {
    ConsumerOutput out = ConsumerFixtures.run("python", "", ChunkingConfig.defaults());
    assertEquals(List.of(), out.chunks());
    assertEquals(List.of(), out.symbols());
    assertEquals(1, out.nodeCount(), "the empty root node");
  }

  @Test
  void whitespaceOnlySegmentIsOneChunkWithoutTokens() {
    ConsumerOutput out = ConsumerFixtures.run("java", "\n\n   \n", ChunkingConfig.defaults());
    assertEquals(1, out.chunks().size());
    ChunkRow chunk = out.chunks().get(0);
    assertEquals(0, chunk.getStartByte());
    assertEquals(6, chunk.getEndByte());
    assertEquals(List.of(), chunk.getTokenBuckets());
  }

  @Test
  void smallFileIsOneChunkNamedByItsOnlyClass() {
    ConsumerOutput out = ConsumerFixtures.run("java", "package a;\n\nclass Only {\n  int x;\n}\n",
        ChunkingConfig.defaults());
    assertEquals(List.of("1-5 class Only"), describe(out));
  }

  @Test
  void definitionsGetTheirOwnChunksWithLeadingCommentsAndWhitespaceAttached() {
    String java = """
        class Big {
          // The first method.
          void first() {
            System.out.println("first method of this class, long enough to matter");
          }

          /** The second method. */
          void second() {
            System.out.println("second method of this class, long enough to matter");
          }
        }
        """;
    ConsumerOutput out = ConsumerFixtures.run("java", java, new ChunkingConfig(160, 40));
    // The small class header joins the first method; the blank line after a method stays with it; the second
    // chunk starts at the beginning of its doc comment's line.
    assertEquals(List.of("1-6 method first", "7-11 method second"), describe(out));
    ChunkRow second = out.chunks().get(1);
    String text = java.substring((int) second.getStartByte(), (int) second.getEndByte());
    assertTrue(text.startsWith("  /** The second method. */\n  void second()"), text);
    assertTrue(text.endsWith("  }\n}\n"), text);
  }

  @Test
  void piecesOfASplitFunctionAreNamedByIt() {
    StringBuilder body = new StringBuilder("def long_function(x):\n");
    for (int i = 0; i < 40; i++) {
      body.append("    x = x + ").append(i).append("  # step ").append(i).append('\n');
    }
    body.append("    return x\n");
    ConsumerOutput out = ConsumerFixtures.run("python", body.toString(), new ChunkingConfig(256, 64));
    assertTrue(out.chunks().size() > 3);
    for (ChunkRow c : out.chunks()) {
      assertEquals("function", c.getKind());
      assertEquals("long_function", c.getName());
    }
  }

  @Test
  void aTokenLongerThanTheLimitIsOneChunkAndNeverSplit() {
    String longString = "x".repeat(5000);
    String js = "const a = 1;\nconst s = \"" + longString + "\";\nconst b = 2;\n";
    ChunkingConfig config = new ChunkingConfig(100, 10);
    ConsumerOutput out = ConsumerFixtures.run("javascript", js, config);
    Invariants.assertTiling(out, ConsumerFixtures.context("javascript", js.getBytes(StandardCharsets.UTF_8)), config);
    long oversized = out.chunks().stream().filter(c -> c.getEndByte() - c.getStartByte() > 100).count();
    assertTrue(oversized >= 1);
    for (ChunkRow c : out.chunks()) {
      if (c.getEndByte() - c.getStartByte() > 100) {
        assertEquals(1, c.getTokenBuckets().size());
        assertEquals("string", c.getTokenBuckets().get(0).getKind());
      }
    }
  }

  @Test
  void outputDependsOnlyOnContentGrammarAndConfig() {
    byte[] content = ConsumerFixtures.resource("golden/rust/input.rs");
    ChunkingConfig config = new ChunkingConfig(300, 80);
    SegmentContext a = ConsumerFixtures.context("rust", content);
    SegmentContext shifted = new SegmentContext("repo", a.path(), a.segmentUid(), "rust", content, 4096, 100, 8);
    ConsumerOutput first;
    ConsumerOutput again;
    ConsumerOutput other;
    try (SegmentConsumers consumers = ConsumerFixtures.consumers("rust", config)) {
      first = ConsumerFixtures.run(consumers, a);
      ConsumerFixtures.run("python", "print(1)", config); // another grammar in between
      again = ConsumerFixtures.run(consumers, a);
    }
    try (SegmentConsumers consumers = ConsumerFixtures.consumers("rust", config)) {
      other = ConsumerFixtures.run(consumers, shifted);
    }
    assertEquals(first, again, "a reused instance gives the same rows");
    assertEquals(first.chunks().size(), other.chunks().size());
    for (int i = 0; i < first.chunks().size(); i++) {
      ChunkRow x = first.chunks().get(i);
      ChunkRow y = other.chunks().get(i);
      assertEquals(x.getStartByte() + 4096, y.getStartByte());
      assertEquals(x.getLocalStartByte(), y.getLocalStartByte());
      assertEquals(x.getStartLine() + 100, y.getStartLine());
      assertEquals(x.getKind(), y.getKind());
      assertEquals(x.getTokenBuckets(), y.getTokenBuckets(), "buckets are chunk-local");
    }
  }

  /** The JDK's own sources (in every JDK 25 image): a few dozen real files, every invariant. */
  @Test
  void jdkSourcesKeepTheContract() throws IOException {
    Path srcZip = Path.of(System.getProperty("java.home"), "lib", "src.zip");
    // Not an assumption: every JDK 25 image Quarry builds with ships src.zip, and a skip would hide the test.
    assertTrue(Files.isRegularFile(srcZip), "no " + srcZip + " in this JDK; install a full JDK (with lib/src.zip)");
    List<byte[]> files = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(srcZip.toFile())) {
      List<String> all = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.startsWith("java.base/java/util/") && name.endsWith(".java")) {
          all.add(name);
        }
      }
      all.sort(null);
      for (int i = 0; i < all.size(); i += Math.max(1, all.size() / 40)) {
        try (InputStream in = zip.getInputStream(zip.getEntry(all.get(i)))) {
          files.add(in.readAllBytes());
          names.add(all.get(i));
        }
      }
    }
    long definitions = 0;
    for (ChunkingConfig config : List.of(ChunkingConfig.defaults(), new ChunkingConfig(300, 100))) {
      try (SegmentConsumers consumers = ConsumerFixtures.consumers("java", config)) {
        for (int i = 0; i < files.size(); i++) {
          SegmentContext context =
              new SegmentContext("jdk", names.get(i), "seg", "java", files.get(i), 0, 0, 0);
          ConsumerOutput out = ConsumerFixtures.run(consumers, context);
          Invariants.assertAll(out, context, config, consumers.language());
          definitions += out.symbols().stream().filter(s -> s.getRole().equals("definition")).count();
        }
      }
    }
    assertTrue(definitions > 2L * files.size(), "definitions found: " + definitions);
    try (SegmentConsumers fast = ConsumerFixtures.consumers("java", ChunkingConfig.defaults());
        SegmentConsumers reference = SegmentConsumers.createReference(
            ConsumerFixtures.spec("java"), fast.language(), ChunkingConfig.defaults())) {
      for (int i = 0; i < files.size(); i++) {
        SegmentContext context = new SegmentContext("jdk", names.get(i), "seg", "java", files.get(i), 0, 0, 0);
        assertEquals(ConsumerFixtures.run(reference, context), ConsumerFixtures.run(fast, context), names.get(i));
      }
    }
  }
}
