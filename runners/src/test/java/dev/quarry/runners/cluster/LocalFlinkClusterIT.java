package dev.quarry.runners.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Starts a real Flink session cluster (two JVMs, about 10 s on this machine kind, plus a one-time Maven
 * resolution of the Flink jars), so it is an integration test ({@code *IT}), not part of the unit tests.
 */
class LocalFlinkClusterIT {

  private static final Pattern SLOTS_TOTAL = Pattern.compile("\"slots-total\":(\\d+)");

  @Test
  void startsReplacesAKilledTaskManagerAndStops() throws IOException {
    LocalFlinkCluster cluster = LocalFlinkCluster.start(2);
    try (cluster) {
      assertTrue(slotsTotal(cluster.overview()) == 2, cluster.overview());
      assertTrue(Files.isRegularFile(cluster.logDir().resolve("jobmanager.log")));

      cluster.killTaskManager();
      cluster.startTaskManager();
      // The killed TaskManager may still be listed until its heartbeat times out.
      assertTrue(slotsTotal(cluster.overview()) >= 2, cluster.overview());
    }
    assertThrows(IOException.class, cluster::overview, "the REST API still answers after close()");
    assertFalse(Files.exists(cluster.workDir().resolve("jobmanager.pid")));
  }

  private static int slotsTotal(String overview) {
    Matcher matcher = SLOTS_TOTAL.matcher(overview);
    assertTrue(matcher.find(), "no slots-total in " + overview);
    return Integer.parseInt(matcher.group(1));
  }
}
