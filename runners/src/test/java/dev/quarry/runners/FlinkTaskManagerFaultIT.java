package dev.quarry.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.quarry.runners.cluster.LocalFlinkCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Killing the TaskManager mid-job (and starting a new one) yields either a published snapshot byte-identical to
 * a clean run, or a failed run with CURRENT untouched: never a partial or mixed snapshot.
 */
class FlinkTaskManagerFaultIT {
  @TempDir Path tmp;

  @Test
  void killedTaskManagerNeverLeavesAPartialSnapshot() throws Exception {
    Path corpus = Snapshots.jdkSources(tmp.resolve("corpus"), "java.base/java/util/", 400);
    Path out = tmp.resolve("out");
    List<String> base = List.of("extract", "--source", "jdk=" + corpus, "--out", out.toString(),
        "--shard-target-bytes", "524288");
    assertEquals(0, QuarryProcess.run(tmp.resolve("clean.log"), base), QuarryProcess.output(tmp.resolve("clean.log")));
    Path clean = Snapshots.current(out);

    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(2)) {
      Path log = tmp.resolve("faulted.log");
      // --full: the same output directory would otherwise make this run incremental, with nothing to parse.
      QuarryProcess run = QuarryProcess.start(log, Stream.concat(base.stream(),
          Stream.of("--full", "--runner=FlinkRunner", "--flinkMaster=" + cluster.flinkMaster(), "--parallelism=2")).toList());
      awaitRunningJob(cluster, run);
      cluster.killTaskManager();
      cluster.startTaskManager();
      int exit = run.await(8, TimeUnit.MINUTES);

      Path current = Snapshots.current(out);
      if (exit == 0) {
        assertNotEquals(clean, current, "a successful run publishes a new snapshot");
        Snapshots.assertIdentical(clean, current);
      } else {
        assertEquals(clean, current, "a failed run leaves CURRENT on the previous snapshot\n" + run.output());
      }
      try (Stream<Path> dirs = Files.list(out.resolve("snapshots"))) {
        assertFalse(dirs.anyMatch(d -> d.getFileName().toString().startsWith(".staging")),
            "no staging directory is left behind");
      }
    }
  }

  /** Waits until the cluster reports a RUNNING job, so the kill lands mid-job. */
  private static void awaitRunningJob(LocalFlinkCluster cluster, QuarryProcess run) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest jobs = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.restPort() + "/jobs/overview"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      String body = http.send(jobs, HttpResponse.BodyHandlers.ofString()).body();
      if (body.contains("\"state\":\"RUNNING\"")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no job reached RUNNING within 3 minutes; quarry log:\n" + run.output());
  }
}
