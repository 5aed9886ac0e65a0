package dev.quarry.transforms.write;

import dev.quarry.schemas.JobResult;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;

/**
 * Spills the job results of each bundle to one {@link ResultSpill} file and emits their references when the bundle
 * finishes (once the file is complete). Used when {@link WriteSnapshotTables} is handed results rather than
 * references; the pipeline spills inside the executor instead ({@code ParseByGrammar.spilling}), so that
 * results never pile up between stages.
 */
final class SpillResultsFn extends DoFn<JobResult, KV<String, byte[]>> {
  private final String spillDir;
  private transient ResultSpill spill;

  SpillResultsFn(String spillDir) {
    this.spillDir = spillDir;
  }

  @ProcessElement
  public void processElement(@Element JobResult result) throws IOException {
    if (spill == null) {
      spill = ResultSpill.open(spillDir);
    }
    spill.append(result);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) throws IOException {
    if (spill != null) {
      for (KV<String, byte[]> ref : spill.finish()) {
        context.output(ref, BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
      }
      spill = null;
    }
  }

  @Teardown
  public void teardown() throws IOException {
    if (spill != null) {
      spill.close();
      spill = null;
    }
  }
}
