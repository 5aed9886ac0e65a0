package dev.quarry.pipeline;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.quarry.transforms.incremental.Worklists;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Which JIT compilers a {@code quarry extract} process runs with, and when it hands the run back to the launcher to
 * start over with the optimizing one.
 *
 * <p>A nightly run that builds on the published snapshot parses little, and there HotSpot's tiered compilation costs
 * more than it gains: it compiles hot methods first with profiling (C1, tier 3), then again with C2, and the
 * compilers took about 5 of 13 s of CPU in a 1 %-changed rerun of the benchmark on 2 vCPUs. With C1 alone
 * ({@code -XX:TieredStopAtLevel=1}) that rerun takes about a tenth less wall time and a sixth less CPU, a no-change
 * rerun about a tenth less, and a 10 % change is still faster; at 25 % of the bytes the two are even; a run that parses everything is 25-40 %
 * slower (docs/operations.md#jit-mode). The launcher cannot know how much a run will parse before the scan, so it
 * starts {@code extract} with C1 alone when OUT has a published snapshot and {@code --full} is not given, and sets
 * {@value #RESTARTABLE}. Once the driver knows that the run rebuilds everything, or that its worklists hold more than
 * {@value #MAX_C1_SHARE} of the planned bytes, it stops before writing anything ({@link Restart}) and exits with
 * {@value #RESTART_EXIT_CODE}; the launcher then runs the same command again with tiered compilation. The restart
 * costs about a no-change rerun (the JVM, the scan, the plan and the worklists again); below that share C1's
 * slower code costs less than that.
 *
 * <p>Only when the pipeline runs in this JVM: a remote Flink cluster does the work in its own JVMs.
 */
final class JitMode {
  /** Exit code of a run handed back to the launcher ({@code EX_TEMPFAIL} of sysexits.h). */
  static final int RESTART_EXIT_CODE = 75;
  /** System property the launcher sets when it runs {@code extract} with C1 alone and restarts it on that code. */
  static final String RESTARTABLE = "quarry.jit.restartable";
  /** Share of the planned bytes to parse above which a run is given back to the launcher for C2. */
  static final double MAX_C1_SHARE = 0.4;

  private JitMode() {}

  /** The compilers of this JVM, for {@code run.json}: {@code tiered}, {@code c1-only} or {@code c2-only}. */
  static String compilers() {
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    if (vm == null) {
      return "unknown";
    }
    if (!Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())) {
      return "c2-only";
    }
    return Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) < 4 ? "c1-only" : "tiered";
  }

  /** Whether this process may hand a big run back: the launcher asked for it, and the JVM runs without C2. */
  static boolean restartable() {
    return Boolean.getBoolean(RESTARTABLE) && compilers().equals("c1-only");
  }

  /** Why an incremental run with these worklists should start over with C2, if it should. */
  static Optional<String> restartReason(Worklists.Result work) {
    if (work.executedBytes() > MAX_C1_SHARE * work.plannedBytes()) {
      return Optional.of(String.format(Locale.ROOT, "%.1f of %.1f MB to parse (more than %.0f %%)",
          work.executedBytes() / 1e6, work.plannedBytes() / 1e6, 100 * MAX_C1_SHARE));
    }
    return Optional.empty();
  }

  /** A run stopped before it wrote anything, to be run again with C2; nothing was published. */
  static final class Restart extends RuntimeException {
    Restart(String reason) {
      super(reason + ": run again with the optimizing JIT compiler (C2); nothing was written", null, false, false);
    }
  }
}
