package dev.quarry.transforms.execute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.schemas.Job;
import dev.quarry.schemas.Reasons;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target (run from {@code dev.quarry.transforms.fuzz}): {@link SegmentBytes#classify} on arbitrary bytes,
 * against an independent oracle. A UTF-16 byte-order mark is {@code not_utf8} at the first byte; otherwise the first
 * NUL makes it {@code binary}; otherwise the first byte of the first ill-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF) makes it {@code not_utf8}; otherwise it is text whose UTF-8
 * encoding has exactly the segment's bytes (a leading BOM blanked to three spaces), so byte offsets stay aligned.
 * Offsets, lines and columns of a problem are container-absolute.
 *
 * <p>Input: {@code [base byte (2)][base row][base column]} then the segment bytes.
 */
public final class ClassifyTarget {
  private ClassifyTarget() {}

  public static void run(byte[] data) {
    int baseByte = data.length > 1 ? ((data[0] & 0xFF) << 8 | (data[1] & 0xFF)) : 0;
    int baseRow = data.length > 2 ? data[2] & 0xFF : 0;
    int baseColumn = data.length > 3 ? data[3] & 0xFF : 0;
    byte[] bytes = data.length > 4 ? Arrays.copyOfRange(data, 4, data.length) : new byte[0];
    Job job = Job.newBuilder()
        .setRepo("r").setPath("p").setSourceRoot("/nowhere").setFileSha256("-").setFileSize(baseByte + bytes.length)
        .setSegmentUid("s").setVirtualPath("p#seg:s.x").setStartByte(baseByte).setEndByte(baseByte + bytes.length)
        .setBaseRow(baseRow).setBaseColumn(baseColumn).setContainerKind("file").setLanguage("x").setWasmKey("x")
        .setContentHash("-").setShard(0).setBucket(0).setBucketCount(1).build();

    SegmentBytes.Outcome outcome = SegmentBytes.classify(bytes, job);

    int bad;
    String reason;
    if (bytes.length >= 2 && ((bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE
        || (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF)) {
      bad = 0;
      reason = Reasons.NOT_UTF8;
    } else if ((bad = indexOfNul(bytes)) >= 0) {
      reason = Reasons.BINARY;
    } else if ((bad = firstIllFormed(bytes)) >= 0) {
      reason = Reasons.NOT_UTF8;
    } else {
      reason = null;
    }

    if (reason == null) {
      SegmentBytes.Text text = assertInstanceOfText(outcome);
      assertArrayEquals(bytes, text.bytes(), "the bytes are the segment's own");
      byte[] encoded = text.text().getBytes(StandardCharsets.UTF_8);
      boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
          && (bytes[2] & 0xFF) == 0xBF;
      if (bom) {
        assertTrue(text.text().startsWith("   "), "a leading BOM is blanked");
        assertArrayEquals(Arrays.copyOfRange(bytes, 3, bytes.length), Arrays.copyOfRange(encoded, 3, encoded.length));
      } else {
        assertArrayEquals(bytes, encoded, "the parser sees exactly these bytes");
      }
      assertEquals(bytes.length, encoded.length, "byte offsets stay aligned");
      return;
    }
    assertTrue(outcome instanceof SegmentBytes.Problem, "expected " + reason + " at " + bad + ", got text");
    SegmentBytes.Problem p = (SegmentBytes.Problem) outcome;
    assertEquals(reason, p.reason());
    assertEquals(baseByte + bad, p.offset(), "offset of the first offending byte");
    int row = 0;
    int lineStart = 0;
    for (int i = 0; i < bad; i++) {
      if (bytes[i] == '\n') {
        row++;
        lineStart = i + 1;
      }
    }
    assertEquals(baseRow + row + 1, p.line(), "line of the first offending byte");
    assertEquals((row == 0 ? baseColumn : 0) + bad - lineStart + 1, p.column(), "column of the first offending byte");
    assertTrue(p.detail() != null && !p.detail().isBlank());
  }

  private static SegmentBytes.Text assertInstanceOfText(SegmentBytes.Outcome outcome) {
    assertTrue(outcome instanceof SegmentBytes.Text, "valid UTF-8 without NUL must be text, got " + outcome);
    return (SegmentBytes.Text) outcome;
  }

  private static int indexOfNul(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  /** The start of the first ill-formed UTF-8 sequence (RFC 3629, Table 3-7 of Unicode), or -1. */
  static int firstIllFormed(byte[] b) {
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      if (c < 0x80) {
        i++;
        continue;
      } else if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
      } else if (c == 0xE0) {
        n = 2;
        lo = 0xA0;
      } else if (c == 0xED) {
        n = 2;
        hi = 0x9F;
      } else if (c >= 0xE1 && c <= 0xEF) {
        n = 2;
      } else if (c == 0xF0) {
        n = 3;
        lo = 0x90;
      } else if (c == 0xF4) {
        n = 3;
        hi = 0x8F;
      } else if (c >= 0xF1 && c <= 0xF3) {
        n = 3;
      } else {
        return i;
      }
      for (int k = 1; k <= n; k++) {
        if (i + k >= b.length) {
          return i;
        }
        int d = b[i + k] & 0xFF;
        if (k == 1 ? d < lo || d > hi : d < 0x80 || d > 0xBF) {
          return i;
        }
      }
      i += n + 1;
    }
    return -1;
  }
}
