package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.transforms.scan.SourceRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = "List source directories into a manifest Parquet file (one row per file; no file contents).")
final class ScanCommand implements Callable<Integer> {
  @Option(names = "--source", required = true, paramLabel = "[NAME=]DIR", description = "Directory to scan (repeatable).")
  List<String> sources = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Repo-relative glob to leave out (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE.parquet", description = "Manifest file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Manifests.Scan scan = new Manifests.Scan(sources.stream().map(SourceRoot::parse).toList(), excludes, true);
    List<ManifestRow> rows = Manifests.scan(scan, GrammarRegistry.get());
    Manifests.write(out, rows);
    System.out.println("wrote " + rows.size() + " manifest rows to " + out.toAbsolutePath());
    return 0;
  }
}
