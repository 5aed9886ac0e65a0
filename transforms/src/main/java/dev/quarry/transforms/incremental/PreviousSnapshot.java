package dev.quarry.transforms.incremental;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.schemas.ContainerSegments;
import dev.quarry.schemas.FileRow;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PreviousSegment;
import dev.quarry.schemas.Table;
import dev.quarry.transforms.io.ParallelReads;
import dev.quarry.transforms.io.ParquetFiles;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.Planner;
import dev.quarry.transforms.plan.TableVersions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * What an incremental run needs to know about the published snapshot it builds on, read in the driver: the table
 * versions it was made with ({@code plan.json}), its {@code files} table (for hash reuse and the worklists), the
 * job columns of its {@code segments} table (read with a column projection: {@link PreviousSegment}), the list
 * of its table files, and its containers' segments ({@value #CONTAINERS}), from which the planner plans unchanged
 * containers without reading them. The rows of the other tables are never read here: the pipeline streams the ones
 * it carries.
 */
public final class PreviousSnapshot {
  /** A snapshot's containers as its run segmented them ({@link ContainerSegments}, an Avro file). */
  public static final String CONTAINERS = "containers.avro";

  private static final Pattern PART = Pattern.compile("part-(\\d+)-of-(\\d+)\\.parquet");

  /** One Parquet file of a table: a repo's bucket. */
  public record TableFile(String table, String repo, int bucket, int count, String relativePath) {}

  private final Path dir;
  private final Map<String, String> versions;
  private final Map<String, FileRow> files;
  private final Map<String, Map<String, PreviousSegment>> segments;
  private final Map<String, List<TableFile>> tableFiles;
  private final Map<String, Integer> bucketCounts;
  private final Map<String, ContainerSegments> containers;

  private PreviousSnapshot(Path dir, Map<String, String> versions, Map<String, FileRow> files,
      Map<String, Map<String, PreviousSegment>> segments, Map<String, List<TableFile>> tableFiles,
      Map<String, Integer> bucketCounts, Map<String, ContainerSegments> containers) {
    this.dir = dir;
    this.versions = versions;
    this.files = files;
    this.segments = segments;
    this.tableFiles = tableFiles;
    this.bucketCounts = bucketCounts;
    this.containers = containers;
  }

  /**
   * Why the snapshot in {@code dir} cannot be built on (it predates table versions, or has another table schema), or
   * empty when it can. Reads only {@code plan.json}.
   */
  public static Optional<String> incompatibility(Path dir) throws IOException {
    Map<String, String> v = versions(dir);
    if (v.isEmpty()) {
      return Optional.of("it records no table versions (made by an older Quarry)");
    }
    String schema = v.get(TableVersions.SCHEMA_KEY);
    if (!Integer.toString(Table.SCHEMA_VERSION).equals(schema)) {
      return Optional.of("its table schema is version " + schema + ", this Quarry writes " + Table.SCHEMA_VERSION);
    }
    return Optional.empty();
  }

  /** Reads what the worklists need; call {@link #incompatibility} first. */
  public static PreviousSnapshot load(Path dir) throws IOException {
    Map<String, List<TableFile>> tableFiles = new LinkedHashMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (Table table : Table.values()) {
      List<TableFile> list = list(dir, table);
      tableFiles.put(table.dirName(), list);
      if (table == Table.FILES) {
        for (TableFile f : list) {
          Integer before = counts.put(f.repo(), f.count());
          if (before != null && before != f.count()) {
            throw new IOException("the previous snapshot " + dir + " has files of repo " + f.repo() + " in " + before
                + " and in " + f.count() + " buckets; it is corrupt. Run with --full to rebuild.");
          }
        }
      }
    }
    // The files are read in parallel and merged in file order, as if read one after the other.
    Map<String, FileRow> files = new HashMap<>();
    for (List<FileRow> rows : ParallelReads.map(tableFiles.get(Table.FILES.dirName()),
        f -> ParquetFiles.readAll(dir.resolve(f.relativePath()), FileRow.class))) {
      rows.forEach(row -> files.put(Planner.fileKey(row.getRepo(), row.getPath()), row));
    }
    Map<String, Map<String, PreviousSegment>> segments = new HashMap<>();
    for (List<PreviousSegment> rows : ParallelReads.map(tableFiles.get(Table.SEGMENTS.dirName()),
        f -> jobSegments(dir.resolve(f.relativePath())))) {
      rows.forEach(row -> segments.computeIfAbsent(Planner.fileKey(row.getRepo(), row.getPath()), k -> new HashMap<>())
          .put(row.getSegmentUid(), row));
    }
    return new PreviousSnapshot(dir, versions(dir), files, segments, tableFiles, counts, containers(dir));
  }

  /** The snapshot's {@value #CONTAINERS} by file key; empty for a snapshot made before there was one. */
  private static Map<String, ContainerSegments> containers(Path dir) throws IOException {
    Path file = dir.resolve(CONTAINERS);
    Map<String, ContainerSegments> out = new HashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (DataFileReader<ContainerSegments> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ContainerSegments.class))) {
      for (ContainerSegments c : reader) {
        out.put(Planner.fileKey(c.getRepo(), c.getPath()), c);
      }
    } catch (IOException | AvroRuntimeException e) {
      throw new IOException(file + " cannot be read (" + e.getMessage() + "); the previous snapshot is damaged."
          + " Run with --full to rebuild.", e);
    }
    return out;
  }

  /** The job segments of one segments file, read with a projection: only the job columns. */
  private static List<PreviousSegment> jobSegments(Path file) throws IOException {
    List<PreviousSegment> jobs = new ArrayList<>();
    ParquetFiles.read(file, PreviousSegment.class, row -> {
      if (row.getWasmKey() != null) {
        jobs.add(row);
      }
    });
    return jobs;
  }

  private static Map<String, String> versions(Path dir) throws IOException {
    Path plan = dir.resolve("plan.json");
    if (!Files.isRegularFile(plan)) {
      return Map.of();
    }
    JsonNode node = PlanJson.MAPPER.readTree(plan.toFile()).path("config").path("tableVersions");
    Map<String, String> m = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static List<TableFile> list(Path snapshot, Table table) throws IOException {
    Path tableDir = snapshot.resolve(table.dirName());
    List<TableFile> out = new ArrayList<>();
    if (!Files.isDirectory(tableDir)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(tableDir, 2)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        Matcher m = PART.matcher(p.getFileName().toString());
        String parent = p.getParent().getFileName().toString();
        if (m.matches() && parent.startsWith("repo=")) {
          out.add(new TableFile(table.dirName(), parent.substring("repo=".length()), Integer.parseInt(m.group(1)),
              Integer.parseInt(m.group(2)), snapshot.relativize(p).toString()));
        }
      }
    }
    return out;
  }

  public Path dir() {
    return dir;
  }

  public String id() {
    return dir.getFileName().toString();
  }

  /** Table (and {@code segmenters}, {@code schema}) to version, as recorded in its plan.json. */
  public Map<String, String> versions() {
    return versions;
  }

  /** Its files rows by {@link Planner#fileKey}. */
  public Map<String, FileRow> files() {
    return files;
  }

  /** The job segments of one file, by segment uid (empty when it had none). */
  public Map<String, PreviousSegment> segments(String fileKey) {
    return segments.getOrDefault(fileKey, Map.of());
  }

  public List<TableFile> tableFiles(String table) {
    return tableFiles.getOrDefault(table, List.of());
  }

  /** Its bucket count per repo. */
  /** Its containers' segments by file key ({@link Planner#fileKey}). */
  public Map<String, ContainerSegments> containers() {
    return containers;
  }

  public Map<String, Integer> bucketCounts() {
    return bucketCounts;
  }

  /**
   * Its files as a previous manifest for the scanner's hash reuse, keyed like {@code RepoScanner.previousKey}: a
   * file whose size and mtime are unchanged keeps its hash without being read.
   */
  public Map<String, ManifestRow> manifest() {
    Map<String, ManifestRow> m = new HashMap<>(files.size() * 2);
    files.forEach((key, f) -> {
      if (f.getFileSha256() != null) {
        m.put(key, ManifestRow.newBuilder()
            .setRepo(f.getRepo())
            .setPath(f.getPath())
            .setSourceRoot("")
            .setSizeBytes(f.getSizeBytes())
            .setMtimeNs(f.getMtimeNs())
            .setFileSha256(f.getFileSha256())
            .setLanguage(f.getLanguage())
            .setScanReason(null)
            .build());
      }
    });
    return m;
  }
}
