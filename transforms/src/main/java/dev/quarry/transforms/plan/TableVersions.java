package dev.quarry.transforms.plan;

import dev.quarry.schemas.Table;
import dev.quarry.transforms.consume.Chunker;
import dev.quarry.transforms.consume.ChunkingConfig;
import dev.quarry.transforms.consume.SymbolExtractor;
import dev.quarry.transforms.consume.SyntaxDiagnostics;
import dev.quarry.transforms.consume.TokenClassifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The version of everything that produces a table's rows, one fingerprint per table, recorded in every snapshot
 * ({@code plan.json} under {@code config.tableVersions}, and {@code run.json}). An incremental run redoes a
 * table's rows for every job when its fingerprint differs from the previous snapshot's, and carries them
 * otherwise (see {@code docs/incremental.md}).
 *
 * <ul>
 *   <li>{@code chunks}: the chunker, the token classifier (token buckets live inside chunk rows) and the chunking
 *       configuration;
 *   <li>{@code symbols}: the symbol extractor, plus the chunker and the chunking configuration, because every
 *       symbol row names the chunk that holds it ({@code chunk_uid});
 *   <li>{@code diagnostics}: syntax diagnostics and the executor's file-level problem rows;
 *   <li>{@code segments}: the node statistics of a parsed segment and the executor's status rules, plus whether
 *       parse times are recorded;
 *   <li>{@code segmenters}: the planner's lexers for embedded code. Their rows are recomputed by every plan, so this
 *       only guards reusing a previous bucket file whole.
 * </ul>
 *
 * The grammar build is not in here: it is per job ({@code wasm_key}), and a job whose grammar build changed is
 * redone for every table.
 */
public final class TableVersions {
  /** Node counts, error counts, end lines and statuses of {@code segments} rows (executor). Bump on change. */
  public static final String SEGMENT_STATS = "stats-1";
  /** Codes, messages and positions of the executor's file-level problems (binary, not UTF-8, ...). Bump on change. */
  public static final String FILE_PROBLEMS = "problems-1";
  /** The planner's segmenters (what counts as an embedded block, its range and language). Bump on change. */
  public static final String SEGMENTERS = "segmenters-1";

  /** The tables whose rows consumers produce; a job can be run for any subset of them. */
  public static final List<String> CONSUMER_TABLES =
      List.of(Table.CHUNKS.dirName(), Table.SYMBOLS.dirName(), Table.DIAGNOSTICS.dirName());

  /** Key of the planner's segmenters in the map returned by {@link #of}. */
  public static final String SEGMENTERS_KEY = "segmenters";
  /** Key of the table schema version in the map returned by {@link #of}. */
  public static final String SCHEMA_KEY = "schema";

  private TableVersions() {}

  /** Table name (and {@code segmenters}, {@code schema}) to fingerprint, for this configuration. */
  public static Map<String, String> of(PlanConfig config) {
    String chunking = new ChunkingConfig(config.maxChunkBytes(), config.minChunkBytes()).fingerprint();
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Table.SEGMENTS.dirName(), SEGMENT_STATS + "+" + FILE_PROBLEMS + ";timings=" + config.recordTimings());
    m.put(Table.CHUNKS.dirName(), Chunker.VERSION + "+" + TokenClassifier.VERSION + ";" + chunking);
    m.put(Table.SYMBOLS.dirName(), SymbolExtractor.VERSION + "+" + Chunker.VERSION + ";" + chunking);
    m.put(Table.DIAGNOSTICS.dirName(), SyntaxDiagnostics.VERSION + "+" + FILE_PROBLEMS);
    m.put(SEGMENTERS_KEY, SEGMENTERS);
    m.put(SCHEMA_KEY, Integer.toString(Table.SCHEMA_VERSION));
    return m;
  }
}
