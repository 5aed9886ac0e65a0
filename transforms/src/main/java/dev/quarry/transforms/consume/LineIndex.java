package dev.quarry.transforms.consume;

import java.util.Arrays;

/**
 * Rows and byte columns of segment offsets, counted the way tree-sitter counts them: a row ends at {@code '\n'}
 * (a lone {@code '\r'} does not end a row), columns are bytes. Computing them from the bytes costs one scan per
 * segment and saves a native point lookup per node.
 */
final class LineIndex {
  private int[] lineStarts = new int[256];
  private int lineCount;

  /** Re-indexes for new content (the arrays are reused across segments). */
  void reset(byte[] content) {
    lineCount = 0;
    add(0);
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        add(i + 1);
      }
    }
  }

  private void add(int start) {
    if (lineCount == lineStarts.length) {
      lineStarts = Arrays.copyOf(lineStarts, lineCount * 2);
    }
    lineStarts[lineCount++] = start;
  }

  /** 0-based row of a segment-local byte offset. */
  int row(int offset) {
    int i = Arrays.binarySearch(lineStarts, 0, lineCount, offset);
    return i >= 0 ? i : -i - 2;
  }

  /** Segment-local offset where the given row starts. */
  int rowStart(int row) {
    return lineStarts[row];
  }

  int rowCount() {
    return lineCount;
  }
}
