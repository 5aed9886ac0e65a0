package dev.quarry.pipeline;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.GrammarSpec;
import dev.quarry.transforms.plan.PlanJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "grammars",
    mixinStandardHelpOptions = true,
    description = "List the grammars this build ships: name, extensions, package@version, ABI, wasmKey, queries.")
final class GrammarsCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print a JSON array of objects instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<GrammarSpec> all = GrammarRegistry.get().all();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (GrammarSpec g : all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("wasmKey", g.wasmKey());
        m.put("package", g.packageName() + "@" + g.packageVersion());
        m.put("abi", g.abiVersion());
        m.put("extensions", g.extensions());
        m.put("fileNames", g.fileNames());
        m.put("interpreters", g.interpreters());
        m.put("queries", Map.of("tags", g.hasTags(), "highlights", g.hasHighlights(), "injections", g.hasInjections()));
        rows.add(m);
      }
      System.out.println(PlanJson.MAPPER.writeValueAsString(rows));
      return 0;
    }
    System.out.printf(Locale.ROOT, "%-18s %-44s %-3s %-28s %-5s %s%n", "NAME", "PACKAGE", "ABI", "WASMKEY", "T/H/I", "EXTENSIONS");
    for (GrammarSpec g : all) {
      String q = (g.hasTags() ? "T" : "-") + (g.hasHighlights() ? "H" : "-") + (g.hasInjections() ? "I" : "-");
      List<String> claims = new ArrayList<>(g.extensions());
      claims.addAll(g.fileNames());
      System.out.printf(Locale.ROOT, "%-18s %-44s %-3d %-28s %-5s %s%n", g.name(),
          g.packageName() + "@" + g.packageVersion(), g.abiVersion(), g.wasmKey(), q, String.join(" ", claims));
    }
    return 0;
  }
}
