package dev.quarry.transforms.plan;

import dev.quarry.schemas.FileStatus;
import dev.quarry.schemas.Reasons;
import java.util.Set;

/** Whether a reason means Quarry chose not to parse (skipped) or tried and could not (failed). */
public final class FileStatuses {
  private static final Set<String> FAILURES =
      Set.of(
          Reasons.UNREADABLE,
          Reasons.PARSE_TIMEOUT,
          Reasons.CHANGED_DURING_RUN,
          Reasons.DELETED_DURING_RUN,
          Reasons.PARSE_FAILED);

  private FileStatuses() {}

  public static String forReason(String reason) {
    return FAILURES.contains(reason) ? FileStatus.FAILED : FileStatus.SKIPPED;
  }
}
