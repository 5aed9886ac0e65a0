package dev.quarry.transforms.segment;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Names people give languages in fence info strings and {@code lang} attributes, mapped to grammar names of the
 * lock file. A name that is not in the table passes through lower-cased, so a grammar name works as itself
 * ({@code c_sharp}) and an unknown one ({@code mermaid}) reaches the planner, which records it with reason
 * {@code no_grammar}. docs/segments.md lists the table; keep the two in step.
 */
public final class LanguageAliases {
  private static final Map<String, String> ALIASES = new TreeMap<>();

  static {
    alias("bash", "sh", "shell", "zsh", "ksh", "shellscript", "bash");
    alias("c", "c", "h");
    alias("cpp", "cpp", "c++", "cc", "cxx", "hpp", "hh", "hxx", "h++");
    alias("c_sharp", "csharp", "cs", "c#");
    alias("css", "css", "postcss");
    alias("dart", "dart");
    alias("elixir", "elixir", "ex", "exs");
    alias("embedded_template", "erb", "ejs");
    alias("go", "go", "golang");
    alias("haskell", "haskell", "hs");
    alias("hcl", "hcl", "terraform", "tf");
    alias("html", "html", "htm", "xhtml");
    alias("java", "java");
    alias("javascript", "javascript", "js", "jsx", "mjs", "cjs", "node", "ecmascript", "es6");
    alias("json", "json", "jsonc");
    alias("julia", "julia", "jl");
    alias("kotlin", "kotlin", "kt", "kts");
    alias("lua", "lua");
    alias("make", "make", "makefile", "mk");
    alias("markdown", "markdown", "md");
    alias("ocaml", "ocaml", "ml");
    alias("php", "php");
    alias("python", "python", "py", "python3", "py3", "python2", "py2");
    alias("r", "r");
    alias("regex", "regex", "regexp");
    alias("ruby", "ruby", "rb");
    alias("rust", "rust", "rs");
    alias("scala", "scala", "sbt");
    alias("sql", "sql", "mysql", "postgresql", "postgres", "pgsql", "sqlite");
    alias("svelte", "svelte");
    alias("swift", "swift");
    alias("toml", "toml");
    alias("tsx", "tsx");
    alias("typescript", "typescript", "ts", "mts", "cts");
    alias("vue", "vue");
    alias("yaml", "yaml", "yml");
    alias("zig", "zig");
  }

  private LanguageAliases() {}

  private static void alias(String grammar, String... names) {
    for (String name : names) {
      String previous = ALIASES.put(name, grammar);
      if (previous != null) {
        throw new IllegalStateException("alias '" + name + "' maps to both " + previous + " and " + grammar);
      }
    }
  }

  /** The grammar name for {@code name} (case-insensitive), or {@code name} lower-cased when it is no alias. */
  public static String normalize(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(key, key);
  }

  /** Every alias and its grammar name, sorted by alias (for docs and tests). */
  public static Map<String, String> table() {
    return Collections.unmodifiableMap(ALIASES);
  }
}
