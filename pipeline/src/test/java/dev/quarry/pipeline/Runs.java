package dev.quarry.pipeline;

import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.scan.SourceRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs extractions the way the CLI does, with DirectRunner's checks kept on. */
final class Runs {
  /** The caps tests use: small enough that big.go (20 KB) is over the file cap. */
  static final PlanConfig CONFIG =
      new PlanConfig(16_384, Long.MAX_VALUE, 10_000, 512, 64, 256, 4, 4096, false);

  private Runs() {}

  static ExtractionRun.Outcome extract(Path source, Path out, String... beamArgs) throws Exception {
    return extract(source, out, CONFIG, beamArgs);
  }

  static ExtractionRun.Outcome extract(Path source, Path out, PlanConfig config, String... beamArgs) throws Exception {
    Manifests.Source scan = new Manifests.Scan(List.of(SourceRoot.parse(source.toString())), List.of(), false);
    List<String> args = new ArrayList<>(List.of(beamArgs));
    return ExtractionRun.run(new ExtractionRun.Request(
        scan, out, config, 3, args, true, new PrintStream(new ByteArrayOutputStream()), false));
  }
}
