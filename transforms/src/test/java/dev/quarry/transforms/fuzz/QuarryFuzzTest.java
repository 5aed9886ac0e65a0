package dev.quarry.transforms.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.quarry.transforms.execute.ClassifyTarget;
import dev.quarry.transforms.scan.ShebangTarget;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer fuzz tests (docs/hostile-inputs.md explains how to run them).
 *
 * <p><b>Regression mode</b> ({@code mvn -pl transforms test -Dtest=QuarryFuzzTest}): each method runs on the empty
 * input and on every file of {@code src/test/resources/dev/quarry/transforms/fuzz/QuarryFuzzTestInputs/<method>/}
 * (seeds, and crashes found earlier: a finding is written there and stays a regression test).
 *
 * <p><b>Fuzzing mode</b> ({@code JAZZER_FUZZ=1}): Jazzer runs one fuzz test per JVM, coverage-guided, starting from
 * that directory. Every build fuzzes {@link #allTargets} for {@value #CI_DURATION} (the {@code fuzz-ci} profile of
 * the pom), after replaying its directory, which holds every target's seeds and findings with the target's selector
 * byte in front; the per-target methods are for longer runs on one target.
 */
class QuarryFuzzTest {
  static final String CI_DURATION = "15s";

  /** The targets {@link #allTargets} dispatches to, by its first input byte. */
  static final List<Consumer<byte[]>> TARGETS =
      List.of(ConsumerTarget::run, VirtualRangeTarget::run, SegmenterTarget::run, ClassifyTarget::run,
          ShebangTarget::run);

  private static final long[] EXECUTIONS = new long[TARGETS.size()];

  /** All targets in one: the first byte picks the target, the rest is its input. This is what CI fuzzes. */
  @FuzzTest(maxDuration = CI_DURATION)
  void allTargets(byte[] data) {
    int target = data.length == 0 ? 0 : (data[0] & 0xFF) % TARGETS.size();
    EXECUTIONS[target]++;
    TARGETS.get(target).accept(data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length));
  }

  /** Chunk tiling and token-bucket invariants on fuzzed source text ({@link ConsumerTarget}). */
  @FuzzTest(maxDuration = "30m")
  void consumers(byte[] data) {
    ConsumerTarget.run(data);
  }

  /** Virtual-range validation against an oracle ({@link VirtualRangeTarget}). */
  @FuzzTest(maxDuration = "30m")
  void virtualRanges(byte[] data) {
    VirtualRangeTarget.run(data);
  }

  /** Markdown, HTML, Vue and Svelte segmenters ({@link SegmenterTarget}). */
  @FuzzTest(maxDuration = "30m")
  void segmenters(byte[] data) {
    SegmenterTarget.run(data);
  }

  /** Binary / UTF-8 / BOM classification of segment bytes ({@link ClassifyTarget}). */
  @FuzzTest(maxDuration = "30m")
  void classify(byte[] data) {
    ClassifyTarget.run(data);
  }

  /** Shebang parsing of the language detector ({@link ShebangTarget}). */
  @FuzzTest(maxDuration = "30m")
  void shebang(byte[] data) {
    ShebangTarget.run(data);
  }

  @AfterAll
  static void report() {
    if (Arrays.stream(EXECUTIONS).sum() > 0) {
      System.out.println("allTargets executions per target (consumers, virtualRanges, segmenters, classify, shebang): "
          + Arrays.toString(EXECUTIONS));
    }
  }
}
