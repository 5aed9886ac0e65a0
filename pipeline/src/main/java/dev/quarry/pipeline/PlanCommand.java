package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanJson;
import dev.quarry.transforms.plan.PlanSummary;
import dev.quarry.transforms.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = "Dry run: scan and plan, write OUT/plan.json and print its summary. Parses nothing.")
final class PlanCommand implements Callable<Integer> {
  @Mixin PlanOptions plan;

  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Directory for plan.json.")
  Path out;

  @Override
  public Integer call() throws Exception {
    GrammarRegistry grammars = GrammarRegistry.get();
    List<ManifestRow> manifest = switch (plan.source()) {
      case Manifests.Scan scan -> Manifests.scan(scan, grammars);
      case Manifests.File file -> file.load(grammars, java.util.Map.of());
    };
    Plan p = new Planner(plan.config(), grammars).plan(manifest);
    Files.createDirectories(out);
    Path file = out.resolve("plan.json");
    PlanJson.write(p.summary(), file);
    PlanSummary s = p.summary();
    System.out.printf(Locale.ROOT, "plan %s: %d files, %d jobs, %.1f MB to parse in %d grammar batches%n",
        s.planHash(), s.files(), s.jobs(), s.plannedBytes() / 1e6,
        s.wasmKeys().stream().mapToInt(PlanSummary.KeyPlan::shards).sum());
    for (PlanSummary.KeyPlan k : s.wasmKeys()) {
      System.out.printf(Locale.ROOT, "  %-32s %-12s %7d jobs %10d bytes %3d shards%n",
          k.wasmKey(), k.language(), k.jobs(), k.bytes(), k.shards());
    }
    s.segmentsByContainer().forEach((kind, c) -> System.out.printf(Locale.ROOT,
        "  segments in %-9s %6d files %7d jobs %10d bytes %6d without a job %s%n",
        kind, c.files(), c.jobs(), c.bytes(), c.unparsed(), c.jobsByLanguage()));
    s.skippedByReason().forEach((r, n) -> System.out.printf(Locale.ROOT, "  skipped %-22s %d%n", r, n));
    System.out.println("wrote " + file.toAbsolutePath());
    return 0;
  }
}
