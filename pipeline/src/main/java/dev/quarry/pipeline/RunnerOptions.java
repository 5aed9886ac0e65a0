package dev.quarry.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.FileStagingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam options of an extraction: what the user passed, plus Quarry's defaults per runner. DirectRunner runs
 * with its per-element checks off in production (they copy and re-encode every element) and one worker thread
 * per core. A remote Flink cluster gets the shaded job jar staged (it carries the grammar natives, since
 * TaskManagers have nothing installed), unless the user stages files explicitly.
 */
final class RunnerOptions {
  /** System property the launcher sets to the shaded job jar built by the runners module. */
  static final String FLINK_JOB_JAR = "quarry.flinkJobJar";

  private RunnerOptions() {}

  /** {@link #create} on a thread of its own; {@link #await} gives the options or throws what creating them threw. */
  static CompletableFuture<PipelineOptions> createInBackground(List<String> beamArgs, boolean strictDirectRunner) {
    return CompletableFuture.supplyAsync(() -> create(beamArgs, strictDirectRunner), runnable -> {
      Thread t = new Thread(runnable, "quarry-beam-options");
      t.setDaemon(true);
      t.start();
    });
  }

  static PipelineOptions await(CompletableFuture<PipelineOptions> options) {
    try {
      return options.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  static PipelineOptions create(List<String> beamArgs, boolean strictDirectRunner) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(String[]::new)).withValidation().create();
    options.setJobName("quarry-extract");
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      direct.setBlockOnRun(false);
      if (!strictDirectRunner) {
        direct.setEnforceImmutability(false);
        direct.setEnforceEncodability(false);
      }
      if (beamArgs.stream().noneMatch(a -> a.startsWith("--targetParallelism"))) {
        direct.setTargetParallelism(Math.max(1, Runtime.getRuntime().availableProcessors()));
      }
    } else if (isRemoteFlink(options, beamArgs) && beamArgs.stream().noneMatch(a -> a.startsWith("--filesToStage"))) {
      options.as(FileStagingOptions.class).setFilesToStage(List.of(flinkJobJar()));
    }
    return options;
  }

  /** Whether the pipeline runs in this JVM: DirectRunner, or Flink in its embedded mini cluster. */
  static boolean runsInThisJvm(PipelineOptions options, List<String> beamArgs) {
    return options.getRunner() == DirectRunner.class
        || options.getRunner().getSimpleName().equals("FlinkRunner") && !isRemoteFlink(options, beamArgs);
  }

  private static boolean isRemoteFlink(PipelineOptions options, List<String> beamArgs) {
    if (!options.getRunner().getSimpleName().equals("FlinkRunner")) {
      return false;
    }
    String master = beamArgs.stream().filter(a -> a.startsWith("--flinkMaster=")).findFirst()
        .map(a -> a.substring("--flinkMaster=".length())).orElse("[auto]");
    return !master.equals("[local]") && !master.equals("[auto]") && !master.equals("[collection]");
  }

  private static String flinkJobJar() {
    String jar = System.getProperty(FLINK_JOB_JAR);
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalArgumentException(
          "submitting to a Flink cluster needs the job jar (runners/target/quarry-runners-*-flink-job.jar), but "
              + (jar == null ? "-D" + FLINK_JOB_JAR + " is not set" : jar + " does not exist")
              + ". Run through ./quarry (it builds and passes the jar), or pass --filesToStage=/path/to/job.jar.");
    }
    return jar;
  }
}
