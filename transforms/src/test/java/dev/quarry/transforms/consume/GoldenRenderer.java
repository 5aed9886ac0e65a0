package dev.quarry.transforms.consume;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.TokenBucket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A readable, diff-friendly text rendering of consumer output, for golden files. */
final class GoldenRenderer {
  private static final int TEXT_CHARS = 60;

  private GoldenRenderer() {}

  static String render(String title, SegmentContext context, ChunkingConfig config, ConsumerOutput out) {
    byte[] content = context.content();
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title).append('\n');
    b.append("# ").append(content.length).append(" bytes; chunking ").append(config.fingerprint())
        .append("; consumers ").append(SegmentConsumers.VERSION).append('\n');
    b.append("# regenerate: mvn -pl transforms test -Dtest=GoldenTest -Dquarry.updateGoldens=true\n");
    b.append("nodes ").append(out.nodeCount()).append(", errors ").append(out.errorCount()).append("\n\n");
    List<ChunkRow> chunks = out.chunks();
    for (int c = 0; c < chunks.size(); c++) {
      ChunkRow chunk = chunks.get(c);
      b.append("chunk #").append(c).append(" [").append(chunk.getStartByte()).append(", ")
          .append(chunk.getEndByte()).append(") lines ").append(chunk.getStartLine()).append('-')
          .append(chunk.getEndLine()).append(' ').append(chunk.getKind());
      if (chunk.getName() != null) {
        b.append(' ').append(chunk.getName());
      }
      b.append('\n');
      int base = (int) (chunk.getStartByte() - context.baseByte());
      for (TokenBucket t : chunk.getTokenBuckets()) {
        b.append(String.format("    %-12s %-11s %s%n", "[" + t.getStart() + "," + t.getEnd() + ")", t.getKind(),
            quote(content, base + t.getStart(), base + t.getEnd())));
      }
    }
    b.append("\nsymbols\n");
    for (SymbolRow s : out.symbols()) {
      b.append(String.format("    %-10s %-15s %-22s %d:%d [%d,%d) chunk #%d (%s)%n", s.getRole(), s.getKind(),
          s.getName(), s.getStartLine(), s.getStartColumn(), s.getStartByte(), s.getEndByte(),
          chunkIndex(chunks, s.getChunkUid()), s.getSource()));
    }
    b.append("\ndiagnostics\n");
    for (DiagnosticRow d : out.diagnostics()) {
      b.append(String.format("    %s %s %d:%d [%d,%d) %s | %s%n", d.getSeverity(), d.getCode(), d.getStartLine(),
          d.getStartColumn(), d.getStartByte(), d.getEndByte(), d.getMessage(), d.getSnippet()));
    }
    return b.toString();
  }

  private static int chunkIndex(List<ChunkRow> chunks, String uid) {
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.get(i).getChunkUid().equals(uid)) {
        return i;
      }
    }
    return -1;
  }

  /** The bytes as a quoted, escaped string, shortened to {@value #TEXT_CHARS} characters. */
  static String quote(byte[] content, int from, int to) {
    String text = new String(content, from, to - from, StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder("\"");
    int shown = 0;
    for (int i = 0; i < text.length() && shown < TEXT_CHARS; i++, shown++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> b.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
      }
    }
    b.append('"');
    if (shown < text.length()) {
      b.append("...");
    }
    return b.toString();
  }
}
