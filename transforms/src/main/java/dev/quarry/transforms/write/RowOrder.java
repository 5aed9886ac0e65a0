package dev.quarry.transforms.write;

import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.SymbolRow;
import java.util.Comparator;

/**
 * Total orders of each table's rows: {@code (path, start_byte)} first, as the output contract says, then enough
 * columns that no two distinct rows tie, so the written bytes never depend on arrival order.
 */
final class RowOrder {
  static final Comparator<FileRow> FILES = Comparator.comparing(FileRow::getPath);

  static final Comparator<SegmentRow> SEGMENTS =
      Comparator.comparing(SegmentRow::getPath)
          .thenComparingLong(SegmentRow::getStartByte)
          .thenComparingLong(SegmentRow::getEndByte)
          .thenComparing(SegmentRow::getSegmentUid);

  static final Comparator<ChunkRow> CHUNKS =
      Comparator.comparing(ChunkRow::getPath)
          .thenComparingLong(ChunkRow::getStartByte)
          .thenComparingLong(ChunkRow::getEndByte)
          .thenComparing(ChunkRow::getChunkUid);

  static final Comparator<SymbolRow> SYMBOLS =
      Comparator.comparing(SymbolRow::getPath)
          .thenComparingLong(SymbolRow::getStartByte)
          .thenComparingLong(SymbolRow::getEndByte)
          .thenComparing(SymbolRow::getRole)
          .thenComparing(SymbolRow::getKind)
          .thenComparing(SymbolRow::getName)
          .thenComparing(SymbolRow::getSegmentUid);

  static final Comparator<DiagnosticRow> DIAGNOSTICS =
      Comparator.comparing(DiagnosticRow::getPath)
          .thenComparingLong(DiagnosticRow::getStartByte)
          .thenComparingLong(DiagnosticRow::getEndByte)
          .thenComparing(DiagnosticRow::getCode)
          .thenComparing(DiagnosticRow::getMessage)
          .thenComparing(d -> d.getSegmentUid() == null ? "" : d.getSegmentUid());

  private RowOrder() {}
}
