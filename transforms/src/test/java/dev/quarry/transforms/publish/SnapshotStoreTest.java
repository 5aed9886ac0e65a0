package dev.quarry.transforms.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir Path out;

  @Test
  void publishSwitchesCurrentAndDiscardLeavesItAlone() throws IOException {
    String first;
    try (SnapshotStore store = SnapshotStore.open(out)) {
      SnapshotStore.Staging s = store.stage("aaaaaaaaaaaa");
      Files.writeString(s.dir().resolve("x"), "1");
      store.publish(s);
      first = s.id();
      SnapshotStore.Staging failed = store.stage("bbbbbbbbbbbb");
      Files.writeString(failed.dir().resolve("x"), "partial");
      store.discard(failed);
      assertFalse(Files.exists(failed.dir()));
    }
    assertEquals(first, Files.readString(out.resolve("CURRENT")).trim());
  }

  @Test
  void staleStagingFromAKilledRunIsRemovedAndRunsAreExclusive() throws IOException {
    Path stale = Files.createDirectories(out.resolve("snapshots/.staging-20200101T000000Z-deadbeef"));
    try (SnapshotStore store = SnapshotStore.open(out)) {
      assertFalse(Files.exists(stale), "removed on open of " + store.out());
      IOException e = assertThrows(IOException.class, () -> SnapshotStore.open(out));
      assertTrue(e.getMessage().contains("another Quarry run"), e.getMessage());
    }
  }

  /** Runs in quick succession (in one second, unless the machine is slow) keep their ids in publish order. */
  @Test
  void eachNewSnapshotsIdSortsAfterTheOnesRetentionKept() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(out)) {
      for (int run = 0; run < 5; run++) {
        SnapshotStore.Staging s = store.stage("aaaaaaaaaaaa");
        store.publish(s);
        store.retain(2);
        List<String> ids;
        try (java.util.stream.Stream<Path> list = Files.list(out.resolve("snapshots"))) {
          ids = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(s.id(), ids.getLast(), "run " + run + ": " + ids);
        assertEquals(Math.min(run + 1, 2), ids.size(), "run " + run + ": " + ids);
      }
    }
  }

  @Test
  void retentionKeepsTheNewestAndNeverTheCurrent() throws IOException {
    try (SnapshotStore store = SnapshotStore.open(out)) {
      for (String id : List.of("20200101T000000Z-a", "20200102T000000Z-b", "20200103T000000Z-c", "20200104T000000Z-d")) {
        Files.createDirectories(out.resolve("snapshots").resolve(id));
      }
      Files.writeString(out.resolve("CURRENT"), "20200101T000000Z-a\n");
      List<String> removed = store.retain(2);
      assertEquals(List.of("20200102T000000Z-b"), removed);
      assertTrue(Files.exists(out.resolve("snapshots/20200101T000000Z-a")));
    }
  }
}
