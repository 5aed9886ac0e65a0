package dev.quarry.transforms.consume;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.grammars.QueryKind;
import dev.quarry.schemas.ChunkRow;
import dev.quarry.schemas.DiagnosticRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.schemas.SymbolRow;
import dev.quarry.schemas.TokenBucket;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Query;
import io.github.treesitter.jtreesitter.Tree;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The consumers of one grammar: chunks with token buckets, symbols, diagnostics and node stats of a parsed
 * segment. Create one per grammar per DoFn instance (its queries are compiled once, in {@link #create}), call
 * {@link #run} once per parsed segment, close it with the grammar.
 *
 * <p>One walk flattens the tree ({@link FlatTree}); the highlights and tags queries, compiled into one query, run
 * once over it; all else is array work in Java. Output depends only on (segment bytes, grammar, {@link ChunkingConfig}) and the
 * segment's position; see {@code docs/consumers.md}.
 *
 * <p>Not thread-safe (it reuses its buffers between segments); use one instance per thread.
 */
public final class SegmentConsumers implements AutoCloseable {
  /** Versions of every consumer, for re-run decisions: changes whenever any output rule changes. */
  public static final String VERSION =
      String.join(
          "+", Chunker.VERSION, TokenClassifier.VERSION, SymbolExtractor.VERSION, SyntaxDiagnostics.VERSION);

  private final String grammar;
  private final Language language;
  private final ChunkingConfig config;
  /** Highlights and tags patterns in one query, so the tree is searched once; null when neither ships. */
  private final CompiledQuery query;
  /** Patterns below this index are highlights patterns, the rest tags patterns. */
  private final int firstTagsPattern;
  private final boolean hasHighlights;
  private final GrammarProfile profile;
  private final FlatTree tree = new FlatTree();
  private final LineIndex lines = new LineIndex();
  private final Definitions definitions;
  private final Chunker chunker;
  private final TokenClassifier tokens;
  private final SymbolExtractor symbols;
  private final SyntaxDiagnostics diagnostics;
  private final CompiledQuery.MatchSink dispatch;
  /** Which consumers the current {@link #run} feeds query matches to. */
  private boolean wantTokens;
  private boolean wantSymbols;
  /** Null unless a benchmark asked for per-part timings. */
  private ConsumerTimings timings;
  private boolean closed;

  private SegmentConsumers(
      String grammar, Language language, String highlightsQuery, String tagsQuery, ChunkingConfig config,
      boolean oneNodePatternsInJava) {
    this.grammar = Objects.requireNonNull(grammar, "grammar");
    this.language = Objects.requireNonNull(language, "language");
    this.config = Objects.requireNonNull(config, "config");
    this.hasHighlights = highlightsQuery != null;
    String combined =
        highlightsQuery == null ? tagsQuery : tagsQuery == null ? highlightsQuery : highlightsQuery + "\n" + tagsQuery;
    CompiledQuery compiled = null;
    if (combined != null) {
      try {
        compiled = new CompiledQuery(language, combined, grammar + " highlights+tags query");
      } catch (IllegalStateException e) {
        // Compile each shipped query alone only now, so the failure names the one that does not compile.
        if (highlightsQuery != null) {
          patternCount(grammar, language, highlightsQuery, "highlights");
        }
        if (tagsQuery != null) {
          patternCount(grammar, language, tagsQuery, "tags");
        }
        throw e;
      }
    }
    this.query = compiled;
    // The tags patterns are the ones that start after the highlights text and its separating newline.
    this.firstTagsPattern = highlightsQuery == null ? 0
        : tagsQuery == null ? query.patternCount()
        : query.patternsBefore(highlightsQuery.getBytes(StandardCharsets.UTF_8).length + 1);
    List<String> captureNames = query == null ? List.of() : query.captureNames();
    this.profile = new GrammarProfile(grammar, language, tagsQuery == null);
    this.definitions = new Definitions(profile);
    this.chunker = new Chunker(profile, config);
    this.tokens = new TokenClassifier(profile, query, firstTagsPattern, oneNodePatternsInJava);
    this.symbols = new SymbolExtractor(profile, tagsQuery == null ? null : captureNames);
    this.diagnostics = new SyntaxDiagnostics(profile);
    this.dispatch =
        (pattern, count, ids, starts, ends, syms) -> {
          if (pattern < firstTagsPattern) {
            if (wantTokens) {
              tokens.place(pattern, count, ids, starts, ends, syms);
            }
          } else if (wantSymbols) {
            symbols.collect(pattern, count, ids, starts, ends, syms);
          }
        };
  }

  /** Compiles one shipped query alone (so a failure names it) and returns its pattern count. */
  private static int patternCount(String grammar, Language language, String source, String kind) {
    try (Query q = new Query(language, source)) {
      return q.getPatternCount();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "the " + kind + " query of grammar '" + grammar + "' does not compile with jtreesitter: "
              + e.getMessage() + " (the grammars build must ship queries that compile)", e);
    }
  }

  /**
   * Consumers for a grammar of the registry, with its shipped highlights and tags queries.
   *
   * @throws IllegalStateException if a shipped query does not compile (a build defect: no silent fallback)
   */
  public static SegmentConsumers create(GrammarSpec spec, Language language, ChunkingConfig config) {
    return fromRegistry(spec, language, config, true);
  }

  /** Consumers with explicit query texts (null for none); for tests and tools. */
  static SegmentConsumers create(
      String grammar, Language language, String highlightsQuery, String tagsQuery, ChunkingConfig config) {
    return new SegmentConsumers(grammar, language, highlightsQuery, tagsQuery, config, true);
  }

  /**
   * As {@link #create(GrammarSpec, Language, ChunkingConfig)}, but every highlights pattern runs in the query
   * engine: the reference that the one-node-pattern shortcut of {@link TokenClassifier} is tested against.
   */
  static SegmentConsumers createReference(GrammarSpec spec, Language language, ChunkingConfig config) {
    return fromRegistry(spec, language, config, false);
  }

  private static SegmentConsumers fromRegistry(
      GrammarSpec spec, Language language, ChunkingConfig config, boolean oneNodePatternsInJava) {
    GrammarRegistry registry = GrammarRegistry.get();
    return new SegmentConsumers(spec.name(), language, registry.query(spec, QueryKind.HIGHLIGHTS).orElse(null),
        registry.query(spec, QueryKind.TAGS).orElse(null), config, oneNodePatternsInJava);
  }

  public String grammar() {
    return grammar;
  }

  /** The language trees given to {@link #run} must have been parsed with. */
  public Language language() {
    return language;
  }

  public ChunkingConfig config() {
    return config;
  }

  /** Whether symbols come from the grammar's tags query ({@code tags}) or Quarry's rules ({@code fallback}). */
  public boolean hasTagsQuery() {
    return symbols.usesTags();
  }

  /** Whether token kinds come from the grammar's highlights query (else from node types only). */
  public boolean hasHighlightsQuery() {
    return hasHighlights;
  }

  /**
   * Accumulates the wall time of each part of {@link #run} into {@code timings} (null to stop); for benchmarks.
   * Output is unchanged.
   */
  public SegmentConsumers recordTimings(ConsumerTimings timings) {
    this.timings = timings;
    return this;
  }

  /** Adds the time since {@code since} to {@code part} when timing; returns the current time (0 when not). */
  private long lap(ConsumerTimings.Part part, long since) {
    if (timings == null) {
      return 0;
    }
    long now = System.nanoTime();
    timings.add(part, now - since);
    return now;
  }

  /**
   * Which consumers {@link #run} runs. Node statistics are always computed. Symbols need the chunk boundaries
   * (each symbol names its chunk), so asking for symbols alone still chunks, but builds no chunk rows and no token
   * buckets.
   */
  public record Outputs(boolean chunks, boolean symbols, boolean diagnostics) {
    public static final Outputs ALL = new Outputs(true, true, true);

    /** From table names: {@code chunks}, {@code symbols}, {@code diagnostics}. */
    public static Outputs of(java.util.Collection<String> tables) {
      return new Outputs(tables.contains("chunks"), tables.contains("symbols"), tables.contains("diagnostics"));
    }
  }

  /**
   * Runs every consumer on one parsed segment.
   *
   * @param context the segment; {@code context.content()} must be the exact bytes {@code parsed} was parsed from
   * @param parsed the segment's tree, parsed with this grammar's language; not closed by this method
   */
  public ConsumerOutput run(SegmentContext context, Tree parsed) {
    return run(context, parsed, Outputs.ALL);
  }

  /**
   * Runs the consumers {@code wanted} asks for on one parsed segment (an incremental run carries the other
   * tables' rows from the previous snapshot); the lists of the others are empty. Each list is exactly what
   * {@link #run(SegmentContext, Tree)} gives for it.
   */
  public ConsumerOutput run(SegmentContext context, Tree parsed, Outputs wanted) {
    if (closed) {
      throw new IllegalStateException("SegmentConsumers for " + grammar + " is closed");
    }
    if (!language.equals(parsed.getLanguage())) {
      throw new IllegalArgumentException(
          "segment " + context.segmentUid() + " of " + context.path() + " was parsed with another language than "
              + grammar);
    }
    byte[] content = context.content();
    MemorySegment root = TsNative.rootNode(parsed);
    int rootEnd = TsNative.endByte(root);
    if (rootEnd > content.length) {
      throw new IllegalArgumentException(
          "segment " + context.segmentUid() + " of " + context.path() + ": the tree ends at byte " + rootEnd
              + " but the content has " + content.length + " bytes; the tree was not parsed from this content");
    }
    long t = timings == null ? 0 : System.nanoTime();
    tree.build(profile, root);
    t = lap(ConsumerTimings.Part.WALK, t);
    lines.reset(content);
    boolean chunking = wanted.chunks() || wanted.symbols();
    wantTokens = wanted.chunks();
    wantSymbols = wanted.symbols();
    if (chunking) {
      definitions.reset(tree, content);
    }
    if (wantTokens) {
      tokens.begin(tree);
    }
    if (wantSymbols) {
      symbols.begin(content);
    }
    t = lap(ConsumerTimings.Part.PREPARE, t);
    if (query != null && chunking) {
      query.run(root, content, dispatch);
    }
    t = lap(ConsumerTimings.Part.QUERY, t);
    if (wantTokens) {
      tokens.classify(content);
    }
    t = lap(ConsumerTimings.Part.TOKENS, t);

    List<Chunker.Chunk> chunks = chunking ? chunker.chunk(tree, definitions, content) : List.of();
    long bucketNanos = 0;
    List<ChunkRow> chunkRows = new ArrayList<>(wanted.chunks() ? chunks.size() : 0);
    String[] chunkUids = new String[chunks.size()];
    for (int c = 0; c < chunks.size(); c++) {
      Chunker.Chunk chunk = chunks.get(c);
      long start = context.baseByte() + chunk.start();
      long end = context.baseByte() + chunk.end();
      chunkUids[c] = StableIds.chunkUid(context.repo(), context.path(), context.segmentUid(), start, end);
      if (!wanted.chunks()) {
        continue;
      }
      long b = timings == null ? 0 : System.nanoTime();
      List<TokenBucket> buckets = tokens.buckets(chunk.start(), chunk.end());
      if (timings != null) {
        bucketNanos += System.nanoTime() - b;
      }
      chunkRows.add(
          ChunkRow.newBuilder()
              .setRepo(context.repo())
              .setPath(context.path())
              .setSegmentUid(context.segmentUid())
              .setChunkUid(chunkUids[c])
              .setStartByte(start)
              .setEndByte(end)
              .setLocalStartByte(chunk.start())
              .setLocalEndByte(chunk.end())
              .setStartLine(context.line(lines.row(chunk.start())))
              .setEndLine(context.line(lines.row(chunk.end() - 1)))
              .setKind(chunk.kind())
              .setName(chunk.name())
              .setLanguage(context.language())
              .setTokenBuckets(buckets)
              .build());
    }
    if (timings != null) {
      t = lap(ConsumerTimings.Part.CHUNKS, t);
      timings.add(ConsumerTimings.Part.CHUNKS, -bucketNanos);
      timings.add(ConsumerTimings.Part.TOKENS, bucketNanos);
    }

    List<SymbolExtractor.Symbol> found = wantSymbols ? symbols.finish(tree, definitions) : List.of();
    List<SymbolRow> symbolRows = new ArrayList<>(found.size());
    String source = symbols.usesTags() ? SymbolExtractor.SOURCE_TAGS : SymbolExtractor.SOURCE_FALLBACK;
    for (SymbolExtractor.Symbol s : found) {
      int row = lines.row(s.start());
      symbolRows.add(
          SymbolRow.newBuilder()
              .setRepo(context.repo())
              .setPath(context.path())
              .setSegmentUid(context.segmentUid())
              .setChunkUid(chunkUids[chunkAt(chunks, s.start())])
              .setName(s.name())
              .setKind(s.kind())
              .setRole(s.role())
              .setStartByte(context.baseByte() + s.start())
              .setEndByte(context.baseByte() + s.end())
              .setStartLine(context.line(row))
              .setStartColumn(context.column(row, s.start() - lines.rowStart(row)))
              .setLanguage(context.language())
              .setSource(source)
              .build());
    }
    t = lap(ConsumerTimings.Part.SYMBOLS, t);

    List<SyntaxDiagnostics.Problem> problems =
        wanted.diagnostics() ? diagnostics.find(tree, lines, content) : List.of();
    List<DiagnosticRow> diagnosticRows = new ArrayList<>(problems.size());
    for (SyntaxDiagnostics.Problem p : problems) {
      int row = lines.row(p.start());
      diagnosticRows.add(
          DiagnosticRow.newBuilder()
              .setRepo(context.repo())
              .setPath(context.path())
              .setSegmentUid(context.segmentUid())
              .setSeverity(SyntaxDiagnostics.SEVERITY)
              .setCode(p.code())
              .setMessage(p.message())
              .setStartByte(context.baseByte() + p.start())
              .setEndByte(context.baseByte() + p.end())
              .setStartLine(context.line(row))
              .setStartColumn(context.column(row, p.start() - lines.rowStart(row)))
              .setSnippet(p.snippet())
              .build());
    }
    if (timings != null) {
      lap(ConsumerTimings.Part.DIAGNOSTICS, t);
      timings.segment();
    }
    return new ConsumerOutput(chunkRows, symbolRows, diagnosticRows, tree.size, tree.errorCount);
  }

  /** Index of the chunk containing {@code offset} (chunks tile the segment, sorted). */
  private static int chunkAt(List<Chunker.Chunk> chunks, int offset) {
    int lo = 0;
    int hi = chunks.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (chunks.get(mid).start() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (query != null) {
      query.close();
    }
  }
}
