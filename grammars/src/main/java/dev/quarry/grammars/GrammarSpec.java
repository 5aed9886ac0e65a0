package dev.quarry.grammars;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One grammar shipped in the quarry-grammars jar, as described by {@code quarry/grammars.json}.
 *
 * <p>Plain strings and lists only, so specs can travel inside pipeline elements and DoFn fields; the
 * native {@link io.github.treesitter.jtreesitter.Language} is obtained per JVM from {@link Grammars}.
 *
 * @param name tree-sitter name, the suffix of {@code symbol} (e.g. {@code c_sharp})
 * @param packageName npm package the grammar was built from
 * @param packageVersion pinned version of that package
 * @param symbol C function returning the {@code TSLanguage} (e.g. {@code tree_sitter_c_sharp})
 * @param abiVersion {@code LANGUAGE_VERSION} of the generated parser
 * @param wasmKey build identity: changes whenever the grammar source, build recipe or queries change
 * @param extensions file name suffixes this grammar claims, with the dot (e.g. {@code .cs})
 * @param fileNames exact file names this grammar claims (e.g. {@code Makefile})
 * @param interpreters shebang interpreters this grammar claims (e.g. {@code python3})
 * @param hasTags whether a tags query ships with the grammar
 * @param hasHighlights whether a highlights query ships with the grammar
 * @param hasInjections whether an injections query ships with the grammar
 * @param library class-path resource of the shared library
 * @param librarySha256 lower-case hex sha256 of that resource
 */
public record GrammarSpec(
    String name,
    String packageName,
    String packageVersion,
    String symbol,
    int abiVersion,
    String wasmKey,
    List<String> extensions,
    List<String> fileNames,
    List<String> interpreters,
    boolean hasTags,
    boolean hasHighlights,
    boolean hasInjections,
    String library,
    String librarySha256)
    implements Serializable {

  public GrammarSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(packageVersion, "packageVersion");
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(wasmKey, "wasmKey");
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(librarySha256, "librarySha256");
    extensions = List.copyOf(extensions);
    fileNames = List.copyOf(fileNames);
    interpreters = List.copyOf(interpreters);
  }

  /** Whether the grammar ships a query of this kind. */
  public boolean hasQuery(QueryKind kind) {
    return switch (kind) {
      case TAGS -> hasTags;
      case HIGHLIGHTS -> hasHighlights;
      case INJECTIONS -> hasInjections;
    };
  }
}
