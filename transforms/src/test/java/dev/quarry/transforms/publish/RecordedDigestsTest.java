package dev.quarry.transforms.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.publish.TableDigests.FileDigest;
import dev.quarry.transforms.publish.TableDigests.TableDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordedDigestsTest {
  @TempDir Path snapshot;

  private List<String> files;
  private Map<String, TableDigest> tables;

  @BeforeEach
  void writeSnapshotAndRunJson() throws Exception {
    files = TableDigestsTest.writeChunks(snapshot);
    tables = TableDigests.of(snapshot);
    Map<String, Object> t = new LinkedHashMap<>();
    tables.forEach((name, d) -> t.put(name, RecordedDigests.json(d)));
    Files.writeString(snapshot.resolve("run.json"), PlanJson.MAPPER.writeValueAsString(Map.of("tables", t)));
  }

  @Test
  void theRecordedDigestsOfTheAskedFilesReadBackAsTheyWereComputed() {
    Map<String, FileDigest> all = tables.get("chunks").byFile();
    assertEquals(all, RecordedDigests.read(snapshot, all.keySet()));
    Set<String> some = Set.of(files.get(1), files.get(7), "chunks/repo=c/part-0-of-1.parquet");
    assertEquals(Map.of(files.get(1), all.get(files.get(1)), files.get(7), all.get(files.get(7))),
        RecordedDigests.read(snapshot, some));
  }

  @Test
  void theExistingFieldsOfATableAreKept() throws Exception {
    ObjectNode chunks = (ObjectNode) PlanJson.MAPPER.readTree(snapshot.resolve("run.json").toFile())
        .path("tables").path("chunks");
    assertEquals(tables.get("chunks").rows(), chunks.path("rows").asLong());
    assertEquals(tables.get("chunks").digest(), chunks.path("digest").asText());
    assertEquals(tables.get("chunks").files(), PlanJson.MAPPER.convertValue(chunks.path("files"), List.class));
  }

  @Test
  void entriesThatAreNotWhatWasWrittenAreLeftOutAndTheirFilesGetHashed() throws Exception {
    ObjectNode run = (ObjectNode) PlanJson.MAPPER.readTree(snapshot.resolve("run.json").toFile());
    ArrayNode entries = (ArrayNode) run.path("tables").path("chunks").path("fileDigests");
    ((ObjectNode) entries.get(0)).put("sha256", "0".repeat(63));
    ((ObjectNode) entries.get(1)).put("sha256", "A".repeat(64));
    ((ObjectNode) entries.get(2)).put("rows", -1);
    ((ObjectNode) entries.get(3)).put("rows", "7");
    ((ObjectNode) entries.get(4)).remove("bytes");
    ((ObjectNode) entries.get(5)).put("bytes", 1.5);
    ((ObjectNode) entries.get(6)).put("path", 6);
    Files.writeString(snapshot.resolve("run.json"), PlanJson.MAPPER.writeValueAsString(run));

    Map<String, FileDigest> all = tables.get("chunks").byFile();
    Map<String, FileDigest> read = RecordedDigests.read(snapshot, all.keySet());
    List<String> sorted = List.copyOf(all.keySet());
    assertEquals(sorted.subList(7, sorted.size()).stream().collect(Collectors.toMap(f -> f, all::get)), read);
    // The table digests are the same as with nothing recorded: the files of the bad entries were read.
    assertEquals(tables, TableDigests.of(snapshot, read, Map.of()));
  }

  @Test
  void nothingIsReturnedWithoutAUsableRunJson() throws Exception {
    Set<String> all = tables.get("chunks").byFile().keySet();
    Files.writeString(snapshot.resolve("run.json"), "{\"tables\": {\"chunks\": {\"rows\": 1, \"files\": []}}}");
    assertEquals(Map.of(), RecordedDigests.read(snapshot, all), "written by an older Quarry");
    Files.writeString(snapshot.resolve("run.json"), "{\"tables\": ");
    assertEquals(Map.of(), RecordedDigests.read(snapshot, all), "not JSON");
    Files.delete(snapshot.resolve("run.json"));
    assertEquals(Map.of(), RecordedDigests.read(snapshot, all), "no run.json");
  }
}
