package dev.quarry.pipeline.bench;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.grammars.Grammars;
import dev.quarry.pipeline.Manifests;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.transforms.consume.ChunkingConfig;
import dev.quarry.transforms.consume.ConsumerOutput;
import dev.quarry.transforms.consume.ConsumerTimings;
import dev.quarry.transforms.consume.SegmentConsumers;
import dev.quarry.transforms.consume.SegmentContext;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.scan.SourceRoot;
import io.github.treesitter.jtreesitter.Language;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;
import io.github.treesitter.jtreesitter.TreeCursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare limit, (a), and the same loop with Quarry's consumers, (a'): one thread, no Beam. The work list is the
 * plan's jobs (the very segments {@code extract} parses, embedded code included), built by the same scanner and
 * planner and timed apart. Jobs whose bytes the executor would refuse (binary, not UTF-8, unreadable) are left out
 * of both loops, as the executor leaves them unparsed.
 *
 * <p>Per job: read the container ({@link Files#readAllBytes}), take the segment's range, decode it to a
 * {@code String}, {@link Parser#parse(String)}, walk every node with a {@link TreeCursor}; (a') then runs
 * {@link SegmentConsumers#run} on the tree. Grammars switch in execution order, one {@link Parser} (and one
 * {@link SegmentConsumers}) per grammar, as in the executor.
 */
final class BareLoop {
  private BareLoop() {}

  /** One planned segment that the executor would parse. */
  private record Work(Job job, Path container) {}

  static Map<String, Object> run(List<SourceRoot> roots, boolean consumers) throws IOException {
    GrammarRegistry registry = GrammarRegistry.get();
    Map<String, Object> stages = new LinkedHashMap<>();
    long t = System.nanoTime();
    List<ManifestRow> manifest = new Manifests.Scan(roots, List.of(), false).load(registry, Map.of());
    stages.put("scan", ms(t));
    t = System.nanoTime();
    PlanConfig config = PlanConfig.defaults();
    Plan plan = new Planner(config, registry).plan(manifest);
    stages.put("plan", ms(t));
    t = System.nanoTime();
    List<Work> work = new ArrayList<>();
    long bytes = 0;
    long refused = 0;
    for (Job job : plan.jobs()) {
      Path container = Path.of(job.getSourceRoot()).resolve(job.getPath());
      byte[] segment = segment(container, job);
      if (segment == null) {
        refused++;
      } else {
        work.add(new Work(job, container));
        bytes += segment.length;
      }
    }
    stages.put("prepare_untimed", ms(t));

    long loads = 0;
    long nodes = 0;
    long consumerNodes = 0;
    long rows = 0;
    long readNanos = 0;
    long parseNanos = 0;
    long walkNanos = 0;
    long consumeNanos = 0;
    long setupNanos = 0;
    ConsumerTimings timings = new ConsumerTimings();
    ChunkingConfig chunking = new ChunkingConfig(config.maxChunkBytes(), config.minChunkBytes());
    long cpu0 = MemoryProbe.processCpuMillis();
    long loopStart = System.nanoTime();
    int i = 0;
    while (i < work.size()) {
      String wasmKey = work.get(i).job().getWasmKey();
      long s0 = System.nanoTime();
      GrammarSpec spec = registry.byWasmKey(wasmKey).orElseThrow();
      Language language = Grammars.language(spec);
      loads++;
      try (Parser parser = new Parser(language);
          SegmentConsumers consumer =
              consumers ? SegmentConsumers.create(spec, language, chunking).recordTimings(timings) : null) {
        setupNanos += System.nanoTime() - s0;
        for (; i < work.size() && work.get(i).job().getWasmKey().equals(wasmKey); i++) {
          Job job = work.get(i).job();
          long r0 = System.nanoTime();
          byte[] segment = slice(Files.readAllBytes(work.get(i).container()), job);
          String text = new String(segment, StandardCharsets.UTF_8);
          long r1 = System.nanoTime();
          try (Tree tree = parser.parse(text).orElseThrow()) {
            long r2 = System.nanoTime();
            nodes += walk(tree);
            long r3 = System.nanoTime();
            readNanos += r1 - r0;
            parseNanos += r2 - r1;
            walkNanos += r3 - r2;
            if (consumer != null) {
              ConsumerOutput out = consumer.run(
                  new SegmentContext(job.getRepo(), job.getPath(), job.getSegmentUid(), job.getLanguage(), segment,
                      job.getStartByte(), job.getBaseRow(), job.getBaseColumn()),
                  tree);
              consumerNodes += out.nodeCount();
              rows += out.chunks().size() + out.symbols().size() + out.diagnostics().size();
              consumeNanos += System.nanoTime() - r3;
            }
          }
        }
      }
    }
    long loopNanos = System.nanoTime() - loopStart;
    long cpu = MemoryProbe.processCpuMillis() - cpu0;

    stages.put("grammar_setup", setupNanos / 1e6);
    stages.put("read", readNanos / 1e6);
    stages.put("parse", parseNanos / 1e6);
    stages.put("walk", walkNanos / 1e6);
    if (consumers) {
      stages.put("consumers", consumeNanos / 1e6);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_wall_ms", loopNanos / 1e6);
    m.put("run_cpu_ms", cpu);
    m.put("files", manifest.size());
    m.put("jobs", work.size());
    m.put("jobs_refused", refused);
    m.put("bytes", bytes);
    m.put("grammar_loads", loads);
    m.put("nodes", nodes);
    m.put("stages_ms", stages);
    if (consumers) {
      m.put("consumer_nodes", consumerNodes);
      m.put("rows", rows);
      m.put("consumer_parts_ms", timings.millis());
    }
    return m;
  }

  /** Counts every node a full cursor walk visits, named and anonymous. */
  static long walk(Tree tree) {
    long n = 1;
    try (TreeCursor c = tree.walk()) {
      while (true) {
        if (c.gotoFirstChild()) {
          n++;
          continue;
        }
        while (!c.gotoNextSibling()) {
          if (!c.gotoParent()) {
            return n;
          }
        }
        n++;
      }
    }
  }

  /** The job's bytes when the executor would parse them (valid UTF-8, no NUL byte), else null. */
  private static byte[] segment(Path container, Job job) {
    byte[] bytes;
    try {
      bytes = slice(Files.readAllBytes(container), job);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      return null;
    }
    return bytes;
  }

  private static byte[] slice(byte[] container, Job job) {
    int start = (int) job.getStartByte();
    int end = (int) job.getEndByte();
    return start == 0 && end == container.length ? container : Arrays.copyOfRange(container, start, end);
  }

  private static double ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
