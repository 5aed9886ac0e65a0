package dev.quarry.runners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.runners.cluster.LocalFlinkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same input gives byte-identical Parquet files and the same planHash on DirectRunner, embedded Flink at
 * parallelism 1 and 2, and a real standalone Flink cluster with 2 slots. Small shard and bucket targets make
 * the hot grammar run as several sub-shards and each repo write several buckets.
 */
class FlinkEquivalenceIT {
  @TempDir static Path tmp;
  static Path corpus;
  static Path reference;

  static List<String> extract(Path out, String... runnerArgs) {
    List<String> args = new ArrayList<>(List.of("extract", "--source", "jdk=" + corpus, "--out", out.toString(),
        "--shard-target-bytes", "131072", "--bucket-target-bytes", "262144", "--max-file-bytes", "200000"));
    args.addAll(List.of(runnerArgs));
    return args;
  }

  @BeforeAll
  static void directRunnerReference() throws Exception {
    corpus = Snapshots.jdkSources(tmp.resolve("corpus"), "java.base/java/util/concurrent/", 60);
    Files.writeString(corpus.resolve("notes.txt"), "no grammar\n");
    Files.write(corpus.resolve("blob.c"), new byte[] {'x', 0, 'y'});
    Path out = tmp.resolve("direct");
    int exit = QuarryProcess.run(tmp.resolve("direct.log"), extract(out));
    assertEquals(0, exit, QuarryProcess.output(tmp.resolve("direct.log")));
    reference = Snapshots.current(out);
    assertTrue(Snapshots.parquetFiles(reference).size() > 5, "several buckets per table");
  }

  @Test
  void embeddedFlinkAtParallelismOneAndTwo() throws Exception {
    for (int parallelism : new int[] {1, 2}) {
      Path out = tmp.resolve("embedded-" + parallelism);
      Path log = tmp.resolve("embedded-" + parallelism + ".log");
      int exit = QuarryProcess.run(log,
          extract(out, "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=" + parallelism));
      assertEquals(0, exit, QuarryProcess.output(log));
      Snapshots.assertIdentical(reference, Snapshots.current(out));
    }
  }

  @Test
  void realClusterWithTwoSlots() throws Exception {
    try (LocalFlinkCluster cluster = LocalFlinkCluster.start(2)) {
      Path out = tmp.resolve("cluster");
      Path log = tmp.resolve("cluster.log");
      int exit = QuarryProcess.run(log,
          extract(out, "--runner=FlinkRunner", "--flinkMaster=" + cluster.flinkMaster(), "--parallelism=2"));
      assertEquals(0, exit, QuarryProcess.output(log));
      Snapshots.assertIdentical(reference, Snapshots.current(out));

      // An incremental run on the cluster (its writers read the carried rows from the previous snapshot) equals
      // one on DirectRunner from the same previous snapshot and the same edits.
      Path edited = Snapshots.copyTree(corpus, tmp.resolve("edited"));
      Path direct = tmp.resolve("inc-direct");
      Path flink = tmp.resolve("inc-flink");
      assertEquals(0, QuarryProcess.run(tmp.resolve("inc-base.log"), extractFrom(edited, direct)));
      Snapshots.copyTree(direct, flink);
      try (Stream<Path> files = Files.list(edited.resolve("java.base/java/util/concurrent"))) {
        List<Path> java = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        Files.writeString(java.get(0), "\n// edited\n", StandardOpenOption.APPEND);
        Files.delete(java.get(1));
        Files.move(java.get(2), java.get(2).resolveSibling("Renamed.java"));
      }
      Files.writeString(edited.resolve("Added.java"), "class Added { int x; }\n");
      assertEquals(0, QuarryProcess.run(tmp.resolve("inc-direct.log"), extractFrom(edited, direct)));
      Path incLog = tmp.resolve("inc-flink.log");
      int incExit = QuarryProcess.run(incLog, extractFrom(edited, flink,
          "--runner=FlinkRunner", "--flinkMaster=" + cluster.flinkMaster(), "--parallelism=2"));
      assertEquals(0, incExit, QuarryProcess.output(incLog));
      assertTrue(QuarryProcess.output(incLog).contains("incremental:"), QuarryProcess.output(incLog));
      Snapshots.assertIdentical(Snapshots.current(direct), Snapshots.current(flink));
    }
  }

  private static List<String> extractFrom(Path source, Path out, String... runnerArgs) {
    List<String> args = extract(out, runnerArgs);
    args.set(args.indexOf("jdk=" + corpus), "jdk=" + source);
    return args;
  }
}
