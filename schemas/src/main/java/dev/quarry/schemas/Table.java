package dev.quarry.schemas;

import org.apache.avro.Schema;

/** The published tables, each with its one Avro schema and the sort order of its rows. */
public enum Table {
  FILES("files", FileRow.getClassSchema()),
  SEGMENTS("segments", SegmentRow.getClassSchema()),
  CHUNKS("chunks", ChunkRow.getClassSchema()),
  SYMBOLS("symbols", SymbolRow.getClassSchema()),
  DIAGNOSTICS("diagnostics", DiagnosticRow.getClassSchema());

  /**
   * Bumped whenever a column is added, removed or changes meaning; written into every Parquet footer. 2: segments
   * gained declared_language, reason, batch, batch_position, and rows for embedded blocks without a job.
   */
  public static final int SCHEMA_VERSION = 2;

  /** Rows are sorted by these columns inside each file (ties broken by the remaining columns). */
  public static final String SORT_ORDER = "path,start_byte,end_byte";

  private final String dirName;
  private final Schema schema;

  Table(String dirName, Schema schema) {
    this.dirName = dirName;
    this.schema = schema;
  }

  public String dirName() {
    return dirName;
  }

  public Schema schema() {
    return schema;
  }
}
