package dev.quarry.transforms.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quarry.grammars.GrammarRegistry;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzz target (run from {@code dev.quarry.transforms.fuzz}): shebang parsing of {@link LanguageDetector} on
 * arbitrary file heads. It never throws; an interpreter is found only after {@code #!}, is one non-empty word of
 * the first line without {@code /} or whitespace; what follows the first line never changes the answer; and
 * {@link LanguageDetector#detect} answers either nothing or a grammar of the registry.
 *
 * <p>Input: {@code [head length]} then the head bytes (the scanner passes at most 256).
 */
public final class ShebangTarget {
  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s");
  private static final LanguageDetector DETECTOR = new LanguageDetector(GrammarRegistry.get().all());

  private ShebangTarget() {}

  public static void run(byte[] data) {
    int declared = data.length > 0 ? data[0] & 0xFF : 0;
    byte[] head = data.length > 1 ? Arrays.copyOfRange(data, 1, Math.min(data.length, 257)) : new byte[0];
    int length = Math.min(declared, head.length);

    Optional<String> interpreter = LanguageDetector.interpreter(head, length);
    if (interpreter.isPresent()) {
      String word = interpreter.get();
      assertTrue(length >= 3 && head[0] == '#' && head[1] == '!', "only a #! line names an interpreter");
      assertTrue(!word.isEmpty() && word.indexOf('/') < 0 && !WHITESPACE.matcher(word).find(),
          "one word without a slash: '" + word + "'");
    }
    int newline = firstLineEnd(head, length);
    if (newline < length) {
      byte[] changed = head.clone();
      for (int i = newline + 1; i < length; i++) {
        changed[i] = (byte) ~changed[i];
      }
      assertEquals(interpreter, LanguageDetector.interpreter(changed, length), "only the first line counts");
    }
    Optional<String> language = DETECTOR.detect("script", head, length);
    language.ifPresent(l -> assertTrue(GrammarRegistry.get().byName(l).isPresent(), "a registry grammar: " + l));
  }

  private static int firstLineEnd(byte[] head, int length) {
    for (int i = 0; i < length; i++) {
      if (head[i] == '\n' || head[i] == '\r') {
        return i;
      }
    }
    return length;
  }
}
