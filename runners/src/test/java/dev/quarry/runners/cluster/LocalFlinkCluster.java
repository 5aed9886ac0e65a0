package dev.quarry.runners.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Flink 1.19 standalone session cluster on 127.0.0.1 (one JobManager, one TaskManager)
 * for integration tests, driven by {@code runners/cluster/flink-cluster.sh}.
 *
 * <pre>{@code
 * try (LocalFlinkCluster cluster = LocalFlinkCluster.start(2)) {
 *   run the pipeline with --runner=FlinkRunner --flinkMaster=cluster.flinkMaster() --parallelism=2
 *   cluster.killTaskManager();   // fault injection: kill -9
 *   cluster.startTaskManager();  // a replacement registers; the job restarts per the restart strategy
 * }
 * }</pre>
 *
 * <p>Each cluster gets free ports and its own work directory (config, logs, pid files), so tests and
 * a developer's own cluster on 8081 do not collide. {@link #close()} always stops both processes; a
 * shutdown hook does the same if the test JVM exits without closing. The first start on a machine
 * resolves the Flink jars with Maven (about 10 s); later starts take about 10 s for the JVMs.
 *
 * <p>The script is found through the system property {@code quarry.flink.cluster.script}, else by
 * walking up from the working directory to {@code runners/cluster/flink-cluster.sh}. The cluster runs
 * on the test JVM's JDK when that is 22+ and {@code QUARRY_JAVA_HOME} is not set.
 */
public final class LocalFlinkCluster implements AutoCloseable {

  private static final String SCRIPT_PROPERTY = "quarry.flink.cluster.script";
  private static final String SCRIPT_IN_REPO = "runners/cluster/flink-cluster.sh";
  /** Generous: the first start resolves the Flink jars with Maven, and CI machines are shared. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
  /** Seconds the script waits for the REST API to report every slot. */
  private static final int READY_TIMEOUT_SECONDS = 180;
  private static final int START_ATTEMPTS = 3;

  private final Path script;
  private final Path workDir;
  private final int slots;
  private final int restPort;
  private final Thread shutdownHook;
  private boolean closed;

  private LocalFlinkCluster(Path script, Path workDir, int slots, int restPort) {
    this.script = script;
    this.workDir = workDir;
    this.slots = slots;
    this.restPort = restPort;
    this.shutdownHook = new Thread(this::stopQuietly, "stop-local-flink-cluster");
  }

  /** Starts a cluster with {@code slots} task slots in a fresh work directory under {@code target/}. */
  public static LocalFlinkCluster start(int slots) throws IOException {
    return start(slots, newWorkDir());
  }

  /** Starts a cluster with {@code slots} task slots, keeping config, logs and pid files in {@code workDir}. */
  public static LocalFlinkCluster start(int slots, Path workDir) throws IOException {
    if (slots < 1) {
      throw new IllegalArgumentException("slots must be at least 1, got " + slots);
    }
    Path script = findScript();
    Files.createDirectories(workDir);
    IOException lastFailure = null;
    // Free ports are picked here and bound by the JVMs a few seconds later; another process can take
    // one in between, which the script reports as "already in use": then try other ports.
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int[] ports = freePorts(2);
      LocalFlinkCluster cluster = new LocalFlinkCluster(script, workDir.toAbsolutePath(), slots, ports[0]);
      Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
      CommandResult result = cluster.run(
          "start",
          "--slots", Integer.toString(slots),
          "--rest-port", Integer.toString(ports[0]),
          "--rpc-port", Integer.toString(ports[1]),
          "--timeout", Integer.toString(READY_TIMEOUT_SECONDS));
      if (result.exitCode() == 0) {
        return cluster;
      }
      cluster.close();
      lastFailure = result.failure("start");
      if (!result.output().contains("already in use")) {
        break;
      }
    }
    throw lastFailure;
  }

  /** The REST port, which is also what {@code --flinkMaster} names. */
  public int restPort() {
    return restPort;
  }

  /** The value for Beam's {@code --flinkMaster}. */
  public String flinkMaster() {
    return "127.0.0.1:" + restPort;
  }

  public int slots() {
    return slots;
  }

  public Path workDir() {
    return workDir;
  }

  /** Where {@code jobmanager.log}, {@code taskmanager.log} and their {@code .out} files are. */
  public Path logDir() {
    return workDir.resolve("log");
  }

  /** Kills the TaskManager with SIGKILL; returns once the process is gone. */
  public void killTaskManager() throws IOException {
    runOrThrow("kill-taskmanager");
  }

  /** Starts a new TaskManager; returns once it has registered all its slots with the JobManager. */
  public void startTaskManager() throws IOException {
    runOrThrow("start-taskmanager", "--timeout", Integer.toString(READY_TIMEOUT_SECONDS));
  }

  /**
   * The JSON of {@code GET /overview}, e.g. {@code {"taskmanagers":1,"slots-total":2,...}}. A killed
   * TaskManager stays in it until the JobManager notices the loss (about 10-20 s).
   */
  public String overview() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/overview"))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET /overview on port " + restPort + " answered " + response.statusCode()
            + ": " + response.body());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the Flink REST API on port " + restPort, e);
    }
  }

  /** Stops the TaskManager and the JobManager (TERM, then KILL); safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // The hook is running or about to run and stops the cluster itself.
    }
    try {
      runOrThrow("stop");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopQuietly() {
    try {
      run("stop");
    } catch (IOException e) {
      System.err.println("could not stop the Flink cluster in " + workDir + ": " + e);
    }
  }

  private void runOrThrow(String command, String... options) throws IOException {
    CommandResult result = run(command, options);
    if (result.exitCode() != 0) {
      throw result.failure(command);
    }
  }

  private CommandResult run(String command, String... options) throws IOException {
    List<String> commandLine = new ArrayList<>(List.of("bash", script.toString(), command, "--dir", workDir.toString()));
    commandLine.addAll(List.of(options));
    // The script's output goes to a file, not a pipe: the daemons it starts must not hold our pipe open.
    Path output = Files.createTempFile(workDir, command + "-", ".out");
    ProcessBuilder builder = new ProcessBuilder(commandLine)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> env = builder.environment();
    if (!env.containsKey("QUARRY_JAVA_HOME") && Runtime.version().feature() >= 22) {
      env.put("QUARRY_JAVA_HOME", System.getProperty("java.home"));
    }
    Process process = builder.start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("'flink-cluster.sh " + command + "' did not finish within " + COMMAND_TIMEOUT
            + "; output so far:\n" + Files.readString(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running 'flink-cluster.sh " + command + "'", e);
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    Files.deleteIfExists(output);
    return new CommandResult(process.exitValue(), text, logDir());
  }

  private record CommandResult(int exitCode, String output, Path logDir) {
    IOException failure(String command) {
      return new IOException("'flink-cluster.sh " + command + "' failed with exit code " + exitCode
          + " (logs in " + logDir + "):\n" + output);
    }
  }

  private static Path findScript() {
    String configured = System.getProperty(SCRIPT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException("-D" + SCRIPT_PROPERTY + "=" + configured + " is not a file");
      }
      return path.toAbsolutePath();
    }
    Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SCRIPT_IN_REPO);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find " + SCRIPT_IN_REPO + " in " + start
        + " or any parent; set -D" + SCRIPT_PROPERTY + "=/path/to/flink-cluster.sh");
  }

  private static Path newWorkDir() throws IOException {
    Path target = Path.of(System.getProperty("user.dir"), "target");
    if (Files.isDirectory(target)) {
      return Files.createTempDirectory(target, "flink-cluster-");
    }
    return Files.createTempDirectory("quarry-flink-cluster-");
  }

  private static int[] freePorts(int count) throws IOException {
    // Hold every socket until all are chosen, so the ports differ.
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }
}
