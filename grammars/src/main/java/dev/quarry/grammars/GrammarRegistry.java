package dev.quarry.grammars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The grammars shipped in this jar, read once from the class-path index {@code quarry/grammars.json}
 * written by {@code build/build-natives.mjs}. Reading the index loads no native code, so listing and
 * planning work on any platform.
 */
public final class GrammarRegistry {
  static final String INDEX = "quarry/grammars.json";
  private static final int FORMAT_VERSION = 1;

  private final List<GrammarSpec> all;
  private final Map<String, GrammarSpec> byName;
  private final Map<String, GrammarSpec> byWasmKey;
  private final String platform;
  private final String coreVersion;
  private final String coreLibrary;
  private final String coreLibrarySha256;

  private GrammarRegistry(JsonNode index) {
    int format = index.path("formatVersion").asInt(-1);
    if (format != FORMAT_VERSION) {
      throw new IllegalStateException(
          INDEX + " has formatVersion " + format + ", this code reads " + FORMAT_VERSION + ": rebuild quarry-grammars");
    }
    List<GrammarSpec> specs = new ArrayList<>();
    for (JsonNode grammar : required(index, "grammars")) {
      specs.add(spec(grammar));
    }
    specs.sort(Comparator.comparing(GrammarSpec::name));
    this.all = List.copyOf(specs);
    this.byName = all.stream().collect(Collectors.toUnmodifiableMap(GrammarSpec::name, Function.identity()));
    this.byWasmKey = all.stream().collect(Collectors.toUnmodifiableMap(GrammarSpec::wasmKey, Function.identity()));
    this.platform = text(index, "platform");
    JsonNode core = required(index, "core");
    this.coreVersion = text(core, "version");
    this.coreLibrary = text(core, "library");
    this.coreLibrarySha256 = text(core, "librarySha256");
  }

  private static final class Holder {
    static final GrammarRegistry INSTANCE = load();
  }

  /** The registry of this jar, parsed on first use. */
  public static GrammarRegistry get() {
    return Holder.INSTANCE;
  }

  private static GrammarRegistry load() {
    try (InputStream in = GrammarRegistry.class.getClassLoader().getResourceAsStream(INDEX)) {
      if (in == null) {
        throw new IllegalStateException(
            INDEX + " is not on the class path: is quarry-grammars built (mvn -pl grammars package)?");
      }
      return new GrammarRegistry(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + INDEX, e);
    }
  }

  /** Every shipped grammar, sorted by name. */
  public List<GrammarSpec> all() {
    return all;
  }

  public Optional<GrammarSpec> byName(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Optional<GrammarSpec> byWasmKey(String wasmKey) {
    return Optional.ofNullable(byWasmKey.get(wasmKey));
  }

  /** The shipped query text (already patched for jtreesitter), or empty when the grammar has none. */
  public Optional<String> query(GrammarSpec spec, QueryKind kind) {
    if (!spec.hasQuery(kind)) {
      return Optional.empty();
    }
    String resource = "quarry/queries/" + spec.name() + "/" + kind.fileName();
    try (InputStream in = GrammarRegistry.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            INDEX + " says " + spec.name() + " ships " + resource + ", but it is missing: rebuild quarry-grammars");
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /** Version of the tree-sitter core library shipped with the grammars. */
  public String coreVersion() {
    return coreVersion;
  }

  String coreLibrary() {
    return coreLibrary;
  }

  String coreLibrarySha256() {
    return coreLibrarySha256;
  }

  /** Fails unless the natives in this jar were built for the running OS and CPU. */
  void requireRunnablePlatform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch =
        switch (System.getProperty("os.arch")) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> System.getProperty("os.arch");
        };
    String running = (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-" + arch;
    if (!running.equals(platform)) {
      throw new GrammarLoadException(
          "The tree-sitter natives in this jar are built for " + platform + ", but this JVM runs on " + running
              + ": build quarry-grammars on " + running);
    }
  }

  private static GrammarSpec spec(JsonNode g) {
    JsonNode queries = required(g, "queries");
    return new GrammarSpec(
        text(g, "name"),
        text(g, "package"),
        text(g, "version"),
        text(g, "symbol"),
        required(g, "abi").asInt(),
        text(g, "wasmKey"),
        strings(g, "extensions"),
        strings(g, "fileNames"),
        strings(g, "interpreters"),
        required(queries, "tags").asBoolean(),
        required(queries, "highlights").asBoolean(),
        required(queries, "injections").asBoolean(),
        text(g, "library"),
        text(g, "librarySha256"));
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      String where = node.has("name") ? " of grammar " + node.get("name").asText() : "";
      throw new IllegalStateException(INDEX + ": field '" + field + "'" + where + " is missing: rebuild quarry-grammars");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    return required(node, field).asText();
  }

  private static List<String> strings(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    required(node, field).forEach(v -> values.add(v.asText()));
    return values;
  }
}
