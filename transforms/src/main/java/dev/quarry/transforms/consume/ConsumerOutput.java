package dev.quarry.transforms.consume;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.SymbolRow;
import java.util.List;

/**
 * Everything the consumers produced for one segment. Lists are sorted as documented in
 * {@code docs/consumers.md} and unmodifiable.
 *
 * @param chunks chunks tiling the segment, sorted by start byte, each with its token buckets
 * @param symbols definitions and references, sorted by (start_byte, end_byte, role, kind, name)
 * @param diagnostics ERROR and MISSING nodes, sorted by start byte
 * @param nodeCount every node a full cursor walk visits, named and anonymous
 * @param errorCount ERROR nodes (nested ones included) plus MISSING nodes
 */
public record ConsumerOutput(
    List<ChunkRow> chunks,
    List<SymbolRow> symbols,
    List<DiagnosticRow> diagnostics,
    long nodeCount,
    long errorCount) {

  public ConsumerOutput {
    chunks = List.copyOf(chunks);
    symbols = List.copyOf(symbols);
    diagnostics = List.copyOf(diagnostics);
  }
}
