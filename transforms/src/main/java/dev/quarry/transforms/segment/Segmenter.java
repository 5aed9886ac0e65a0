package dev.quarry.transforms.segment;

import java.util.List;

/**
 * Finds the code embedded in one kind of container by hand-written lexing (no tree-sitter: parsing happens only
 * in the grammar-batched executor). Implementations are stateless and deterministic: the same bytes always give
 * the same segments.
 */
public interface Segmenter {
  /** The container kind written to {@code segments.container_kind}: markdown, html, vue, svelte. */
  String containerKind();

  /**
   * The embedded blocks of {@code container}, in increasing start order, with disjoint ranges. The planner checks
   * both (an invalid range fails the run), so an implementation never needs to be trusted.
   *
   * @param container the file's bytes, valid UTF-8 (an optional UTF-8 byte-order mark included)
   */
  List<Segment> segments(byte[] container);
}
