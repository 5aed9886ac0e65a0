package dev.quarry.grammars;

import io.github.treesitter.jtreesitter.Language;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Loads grammar libraries from this jar as jtreesitter {@link Language}s.
 *
 * <p>Each grammar is loaded once per JVM (per wasmKey) into the global arena: a {@code Language} is
 * immutable and thread-safe, and a loaded library cannot be unloaded while trees may still use it.
 */
public final class Grammars {
  private static final ConcurrentMap<String, Language> LOADED = new ConcurrentHashMap<>();

  private Grammars() {}

  /**
   * The grammar's language, loaded on first use.
   *
   * @throws GrammarLoadException if the library lacks the symbol or has an unsupported ABI version
   * @throws NativeIntegrityException if the library in the jar does not match its recorded hash
   */
  public static Language language(GrammarSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return LOADED.computeIfAbsent(spec.wasmKey(), key -> load(spec, NativeLibraries.defaults()));
  }

  /**
   * Loads every grammar of the registry, so that a broken jar or platform fails at start-up rather than
   * in the middle of a run.
   *
   * @throws GrammarLoadException naming every grammar that failed (each failure is also suppressed in it)
   */
  public static void verifyAll() {
    List<GrammarSpec> specs = GrammarRegistry.get().all();
    // In parallel: each load hashes its library (tens of MB in all) before opening it, and every run starts here.
    // The failures keep the registry's order.
    List<RuntimeException> failures = specs.parallelStream().map(spec -> {
      try {
        language(spec);
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    }).filter(Objects::nonNull).toList();
    if (!failures.isEmpty()) {
      GrammarLoadException e =
          new GrammarLoadException(
              failures.size() + " of " + specs.size() + " grammars failed to load:\n  "
                  + failures.stream().map(Throwable::getMessage).collect(Collectors.joining("\n  ")));
      failures.forEach(e::addSuppressed);
      throw e;
    }
  }

  /** Loads without caching; the checks run before anything calls into the library. */
  static Language load(GrammarSpec spec, NativeLibraries natives) {
    GrammarRegistry.get().requireRunnablePlatform();
    requireSupportedAbi(spec);
    Path file = natives.file(spec.library(), spec.librarySha256());
    // A library cut short kills the process inside dlopen (SIGBUS); refuse it with a message instead.
    String incomplete;
    try {
      incomplete = ElfImage.problem(file);
    } catch (IOException e) {
      throw new GrammarLoadException(describe(spec) + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    if (incomplete != null) {
      throw new GrammarLoadException(
          describe(spec) + ": " + spec.library() + " (extracted to " + file + ") is not a complete library: "
              + incomplete + "; rebuild quarry-grammars (mvn -pl grammars package)");
    }
    SymbolLookup symbols;
    try {
      symbols = SymbolLookup.libraryLookup(file, Arena.global());
    } catch (IllegalArgumentException e) {
      throw new GrammarLoadException(
          describe(spec) + ": cannot load " + spec.library() + " (extracted to " + file + "): " + e.getMessage(), e);
    }
    if (symbols.find(spec.symbol()).isEmpty()) {
      throw new GrammarLoadException(
          describe(spec) + ": symbol '" + spec.symbol() + "' not found in " + spec.library() + " (extracted to "
              + file + ")");
    }
    Language language;
    try {
      language = Language.load(symbols, spec.symbol());
    } catch (IllegalArgumentException e) {
      // jtreesitter's own ABI check; ours above only saw the declared version.
      throw new GrammarLoadException(describe(spec) + ": " + e.getMessage(), e);
    }
    if (language.getAbiVersion() != spec.abiVersion()) {
      throw new GrammarLoadException(
          describe(spec) + ": library reports ABI version " + language.getAbiVersion() + " but "
              + GrammarRegistry.INDEX + " declares " + spec.abiVersion() + ": rebuild quarry-grammars");
    }
    return language;
  }

  private static void requireSupportedAbi(GrammarSpec spec) {
    int min = Language.MIN_COMPATIBLE_LANGUAGE_VERSION;
    int max = Language.LANGUAGE_VERSION;
    if (spec.abiVersion() < min || spec.abiVersion() > max) {
      throw new GrammarLoadException(
          describe(spec) + ": ABI version " + spec.abiVersion() + " is outside the range [" + min + ", " + max
              + "] supported by this jtreesitter; pin a grammar generated for that range or upgrade jtreesitter");
    }
  }

  private static String describe(GrammarSpec spec) {
    return "grammar '" + spec.name() + "' (" + spec.packageName() + "@" + spec.packageVersion() + ")";
  }
}
