package dev.quarry.transforms.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.schemas.Job;
import dev.quarry.schemas.ManifestRow;
import dev.quarry.schemas.PlannedFile;
import dev.quarry.schemas.SegmentRow;
import dev.quarry.schemas.StableIds;
import dev.quarry.transforms.plan.Plan;
import dev.quarry.transforms.plan.PlanConfig;
import dev.quarry.transforms.plan.Planner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden segments per container kind: every input under {@code src/test/resources/segments/inputs} (fences of
 * every shape, HTML scripts and styles, Vue and Svelte blocks) is planned as-is, with CRLF line endings and with
 * a byte-order mark, and the planner's jobs and job-less segments are rendered into
 * {@code src/test/resources/segments/golden/<input>.txt}. After an intended change, regenerate with
 * {@code -Dquarry.updateGoldens=true}, read the diff, and run again without the flag: while it is set the test
 * fails, so it cannot be left on.
 */
class MultilangSegmentsTest {
  static final String UPDATE_PROPERTY = "quarry.updateGoldens";
  static final Path INPUTS = Path.of("src", "test", "resources", "segments", "inputs");
  static final Path GOLDENS = Path.of("src", "test", "resources", "segments", "golden");
  static final Map<String, String> LANGUAGE_BY_EXTENSION =
      Map.of("md", "markdown", "html", "html", "vue", "vue", "svelte", "svelte");
  static final int PREVIEW_CHARS = 100;

  @TempDir Path tmp;

  static Stream<String> inputs() throws IOException {
    try (Stream<Path> files = Files.list(INPUTS)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @Test
  void everyContainerKindHasInputs() throws IOException {
    List<String> names = inputs().toList();
    for (String ext : LANGUAGE_BY_EXTENSION.keySet()) {
      assertTrue(names.stream().anyMatch(n -> n.endsWith("." + ext)), "an input for ." + ext + ": " + names);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void matchesGolden(String input) throws IOException {
    byte[] lf = Files.readAllBytes(INPUTS.resolve(input));
    StringBuilder out = new StringBuilder();
    out.append("# segments of ").append(input).append(" as planned, with LF, CRLF and a BOM\n");
    out.append("# regenerate: mvn -pl transforms test -Dtest=MultilangSegmentsTest -D").append(UPDATE_PROPERTY)
        .append("=true\n");
    render(out, "LF", input, lf);
    render(out, "CRLF", input, Variants.crlf(lf));
    render(out, "BOM", input, Variants.bom(lf));
    String actual = out.toString();

    Path expected = GOLDENS.resolve(input + ".txt");
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      Files.createDirectories(GOLDENS);
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
      fail("regenerated " + expected + " because -D" + UPDATE_PROPERTY + "=true; review the diff and run the tests"
          + " again without the flag");
    }
    if (!Files.exists(expected)) {
      fail(expected + " does not exist; generate it with -D" + UPDATE_PROPERTY + "=true and review it");
    }
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual,
        "segments of " + input + " differ from " + expected + " (regenerate with -D" + UPDATE_PROPERTY
            + "=true if the change is intended)");
  }

  private void render(StringBuilder out, String variant, String input, byte[] bytes) throws IOException {
    Path root = Files.createDirectories(tmp.resolve(variant.toLowerCase(Locale.ROOT)));
    Files.write(root.resolve(input), bytes);
    String language = LANGUAGE_BY_EXTENSION.get(input.substring(input.lastIndexOf('.') + 1));
    ManifestRow row = ManifestRow.newBuilder()
        .setRepo("r").setPath(input).setSourceRoot(root.toString()).setSizeBytes(bytes.length).setMtimeNs(0)
        .setFileSha256(StableIds.sha256Hex(bytes)).setLanguage(language).build();
    Plan plan = new Planner(PlanConfig.defaults(), GrammarRegistry.get()).plan(List.of(row));
    PlannedFile file = plan.files().get(0);
    out.append("\n## ").append(variant).append(": ").append(bytes.length).append(" bytes, status ")
        .append(file.getFile().getStatus()).append(", ").append(file.getExpectedJobs()).append(" jobs, ")
        .append(file.getFile().getSegmentCount()).append(" segments\n");

    List<String[]> lines = new ArrayList<>();
    List<Job> jobs = new ArrayList<>(plan.jobs());
    jobs.sort(Planner.EXECUTION_ORDER);
    for (Job j : jobs) {
      lines.add(new String[] {pad(j.getStartByte()), line("job ", j.getContainerKind(), j.getLanguage(),
          j.getDeclaredLanguage(), null, j.getStartByte(), j.getEndByte(), j.getBaseRow(), j.getBaseColumn(),
          j.getVirtualPath(), bytes)});
    }
    for (SegmentRow s : file.getUnparsedSegments()) {
      lines.add(new String[] {pad(s.getStartByte()), line("none", s.getContainerKind(), s.getLanguage(),
          s.getDeclaredLanguage(), s.getReason(), s.getStartByte(), s.getEndByte(), s.getStartLine() - 1, -1,
          s.getVirtualPath(), bytes)});
    }
    lines.sort(Comparator.comparing((String[] l) -> l[0]));
    lines.forEach(l -> out.append(l[1]));
  }

  private static String pad(long start) {
    return String.format(Locale.ROOT, "%012d", start);
  }

  private static String line(String what, String kind, String language, String declared, String reason, long start,
      long end, int row, int column, String virtualPath, byte[] bytes) {
    StringBuilder b = new StringBuilder();
    b.append(what).append(' ').append(kind).append(' ').append(language)
        .append(" [").append(start).append(", ").append(end).append(")")
        .append(" line ").append(row + 1);
    if (column >= 0) {
      b.append(" col ").append(column + 1);
    }
    if (declared != null) {
      b.append(" declared ").append(quote(declared));
    }
    if (reason != null) {
      b.append(" reason ").append(reason);
    }
    b.append(' ').append(virtualPath.substring(virtualPath.indexOf('#'))).append('\n');
    if (!kind.equals(Planner.FILE)) {
      b.append("    | ").append(preview(bytes, (int) start, (int) end)).append('\n');
    }
    return b.toString();
  }

  /** The segment's text; a long one as its head and tail, so both ends of the range show. */
  private static String preview(byte[] bytes, int start, int end) {
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    if (text.length() <= PREVIEW_CHARS) {
      return quote(text);
    }
    return quote(text.substring(0, PREVIEW_CHARS - 30)) + " ... " + quote(text.substring(text.length() - 30));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0xFEFF) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
