package dev.quarry.transforms.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.publish.TableDigests.FileDigest;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The table digests as {@code run.json} records them ({@code tables.<table>}), and the per-file part read back:
 * the next incremental run links unchanged table files from this snapshot, and takes their sha256 and rows from here
 * instead of reading them again.
 */
public final class RecordedDigests {
  private static final String FILE_DIGESTS = "fileDigests";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private RecordedDigests() {}

  /**
   * A table as {@code run.json} records it: {@code rows}, {@code digest}, {@code files} (in path order) and
   * {@code fileDigests}: per file, in path order, its {@code path}, {@code sha256}, {@code rows} and {@code bytes}.
   */
  public static Map<String, Object> json(TableDigest table) {
    List<Map<String, Object>> perFile = new ArrayList<>();
    table.byFile().forEach((path, d) -> {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("path", path);
      f.put("sha256", d.sha256());
      f.put("rows", d.rows());
      f.put("bytes", d.bytes());
      perFile.add(f);
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", table.rows());
    m.put("digest", table.digest());
    m.put("files", table.files());
    m.put(FILE_DIGESTS, perFile);
    return m;
  }

  /**
   * The digests the {@code run.json} of {@code snapshot} records for {@code paths} (relative to the snapshot), as
   * recorded: a published snapshot's files are never modified. A path without an entry, or whose entry lacks a field
   * or has one that is not what {@link #json} writes, is left out (its file gets hashed). Nothing is returned when
   * {@code run.json} is missing or not JSON, or records no per-file digests (written by an older Quarry).
   */
  public static Map<String, FileDigest> read(Path snapshot, Set<String> paths) {
    Path runJson = snapshot.resolve("run.json");
    JsonNode tables;
    try {
      tables = PlanJson.MAPPER.readTree(Files.readString(runJson)).path("tables");
    } catch (IOException e) {
      // Only a shortcut is lost: the files are read instead.
      return Map.of();
    }
    Map<String, FileDigest> out = new HashMap<>();
    for (JsonNode table : tables) {
      for (JsonNode f : table.path(FILE_DIGESTS)) {
        JsonNode path = f.path("path");
        if (path.isTextual() && paths.contains(path.asText())) {
          parse(f).ifPresent(d -> out.put(path.asText(), d));
        }
      }
    }
    return out;
  }

  /** The digest of one {@code fileDigests} entry, or empty when a field is missing or not what {@link #json} writes. */
  private static Optional<FileDigest> parse(JsonNode f) {
    JsonNode sha = f.path("sha256");
    JsonNode rows = f.path("rows");
    JsonNode bytes = f.path("bytes");
    if (!sha.isTextual() || !SHA256.matcher(sha.asText()).matches() || !isCount(rows) || !isCount(bytes)) {
      return Optional.empty();
    }
    return Optional.of(new FileDigest(sha.asText(), rows.asLong(), bytes.asLong()));
  }

  private static boolean isCount(JsonNode n) {
    return n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0;
  }
}
