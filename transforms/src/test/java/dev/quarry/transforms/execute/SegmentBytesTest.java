package dev.quarry.transforms.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.Reasons;
import dev.quarry.schemas.StableIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentBytesTest {
  @TempDir Path root;

  Job job(String path, byte[] bytes) {
    return Job.newBuilder()
        .setRepo("r").setPath(path).setSourceRoot(root.toString()).setFileSha256(StableIds.sha256Hex(bytes))
        .setFileSize(bytes.length).setSegmentUid("s").setVirtualPath(path + "#seg:s.x").setStartByte(0)
        .setEndByte(bytes.length).setBaseRow(0).setBaseColumn(0).setContainerKind("file").setLanguage("java")
        .setWasmKey("java-x").setContentHash("c").setShard(0).setBucket(0).setBucketCount(1).build();
  }

  SegmentBytes.Outcome read(String path, byte[] bytes) throws Exception {
    Files.write(root.resolve(path), bytes);
    return SegmentBytes.read(job(path, bytes));
  }

  @Test
  void binaryAndInvalidUtf8PointAtTheFirstBadByte() throws Exception {
    var bin = assertInstanceOf(SegmentBytes.Problem.class, read("a", "ab\ncd\0".getBytes(StandardCharsets.UTF_8)));
    assertEquals(Reasons.BINARY, bin.reason());
    assertEquals(5, bin.offset());
    assertEquals(2, bin.line());
    assertEquals(3, bin.column());
    var latin = assertInstanceOf(SegmentBytes.Problem.class, read("b", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals(Reasons.NOT_UTF8, latin.reason());
    assertEquals(3, latin.offset());
    var utf16 = assertInstanceOf(SegmentBytes.Problem.class, read("c", "\uFEFFhi".getBytes(StandardCharsets.UTF_16LE)));
    assertEquals(Reasons.NOT_UTF8, utf16.reason());
  }

  @Test
  void bomIsBlankedWithoutMovingOffsets() throws Exception {
    byte[] bytes = "\uFEFFclass A {}".getBytes(StandardCharsets.UTF_8);
    var text = assertInstanceOf(SegmentBytes.Text.class, read("d", bytes));
    assertEquals("   class A {}", text.text());
    assertEquals(bytes.length, text.text().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void changedAndDeletedFilesAreReportedNotParsed() throws Exception {
    byte[] bytes = "class A {}".getBytes(StandardCharsets.UTF_8);
    Files.write(root.resolve("e"), bytes);
    Job job = job("e", bytes);
    Files.writeString(root.resolve("e"), "class B {}");
    assertEquals(Reasons.CHANGED_DURING_RUN, ((SegmentBytes.Problem) SegmentBytes.read(job)).reason());
    Files.delete(root.resolve("e"));
    assertEquals(Reasons.DELETED_DURING_RUN, ((SegmentBytes.Problem) SegmentBytes.read(job)).reason());
  }
}
