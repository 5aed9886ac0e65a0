package dev.quarry.transforms.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quarry.grammars.GrammarRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
  private final LanguageDetector detector = new LanguageDetector(GrammarRegistry.get().all());

  private Optional<String> detect(String name, String head) {
    byte[] bytes = head.getBytes(StandardCharsets.UTF_8);
    return detector.detect(name, bytes, bytes.length);
  }

  @Test
  void byExtensionNameAndShebang() {
    assertEquals(Optional.of("java"), detect("A.java", ""));
    assertEquals(Optional.of("typescript"), detect("a.TS", ""));
    assertEquals(Optional.of("tsx"), detect("a.tsx", ""));
    assertEquals(Optional.of("cpp"), detect("a.hpp", ""));
    assertEquals(Optional.of("python"), detect("run", "#!/usr/bin/env python3\n"));
    assertEquals(Optional.of("python"), detect("run", "#!/usr/bin/python3.12 -u\n"));
    assertEquals(Optional.of("bash"), detect("build", "#!/bin/bash\nset -e\n"));
    assertEquals(Optional.of("javascript"), detect("cli", "#!/usr/bin/env -S node --no-warnings\n"));
    assertEquals(Optional.empty(), detect("notes.txt", "hello"));
    assertEquals(Optional.empty(), detect("x", "#!"));
  }
}
