package dev.quarry.transforms.scan;

import dev.quarry.grammars.GrammarSpec;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Language by file name, then extension, then shebang, from the claims in the grammar lock file. Exact names
 * win over extensions (a {@code Makefile} has none); the shebang only decides files that neither claims.
 */
public final class LanguageDetector {
  private final Map<String, String> byFileName = new HashMap<>();
  private final Map<String, String> byExtension = new HashMap<>();
  private final Map<String, String> byInterpreter = new HashMap<>();

  public LanguageDetector(List<GrammarSpec> grammars) {
    for (GrammarSpec g : grammars) {
      g.fileNames().forEach(n -> claim(byFileName, n, g.name(), "file name"));
      g.extensions().forEach(e -> claim(byExtension, e.toLowerCase(Locale.ROOT), g.name(), "extension"));
      g.interpreters().forEach(i -> claim(byInterpreter, i, g.name(), "interpreter"));
    }
  }

  private static void claim(Map<String, String> map, String key, String grammar, String what) {
    String previous = map.putIfAbsent(key, grammar);
    if (previous != null && !previous.equals(grammar)) {
      throw new IllegalStateException(
          "grammar lock file: " + what + " '" + key + "' is claimed by both " + previous + " and " + grammar
              + "; each must belong to exactly one grammar");
    }
  }

  /**
   * @param fileName the last path element
   * @param head the first bytes of the file (may be empty), used for a shebang line
   */
  public Optional<String> detect(String fileName, byte[] head, int headLength) {
    String exact = byFileName.get(fileName);
    if (exact != null) {
      return Optional.of(exact);
    }
    int dot = fileName.lastIndexOf('.');
    if (dot > 0) {
      String ext = byExtension.get(fileName.substring(dot).toLowerCase(Locale.ROOT));
      if (ext != null) {
        return Optional.of(ext);
      }
    }
    return interpreter(head, headLength).map(byInterpreter::get);
  }

  /** {@code #!/usr/bin/env -S python3 -u} and {@code #!/bin/python3.12} both name {@code python3}. */
  static Optional<String> interpreter(byte[] head, int length) {
    if (length < 3 || head[0] != '#' || head[1] != '!') {
      return Optional.empty();
    }
    int end = 2;
    while (end < length && head[end] != '\n' && head[end] != '\r') {
      end++;
    }
    String[] words = new String(head, 2, end - 2, StandardCharsets.UTF_8).trim().split("\\s+");
    int i = 0;
    String word = words[i];
    if (word.endsWith("/env")) {
      i++;
      while (i < words.length && (words[i].startsWith("-") || words[i].contains("="))) {
        i++;
      }
      if (i >= words.length) {
        return Optional.empty();
      }
      word = words[i];
    }
    String name = word.substring(word.lastIndexOf('/') + 1);
    // python3.12 -> python3, node18 stays node18 (not claimed), so strip only a trailing ".N" version.
    name = name.replaceFirst("\\.\\d+$", "");
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }
}
