package dev.quarry.grammars;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A library cut short is refused before dlopen, which would otherwise kill the JVM with SIGBUS. */
class ElfImageTest {
  private static final GrammarSpec JSON = GrammarRegistry.get().byName("json").orElseThrow();

  @TempDir Path tmp;

  @Test
  void everyShippedLibraryIsComplete() throws Exception {
    NativeLibraries natives = new NativeLibraries(tmp.resolve("cache"));
    for (GrammarSpec spec : GrammarRegistry.get().all()) {
      assertNull(ElfImage.problem(natives.file(spec.library(), spec.librarySha256())), spec.name());
    }
  }

  @Test
  void aTruncatedLibraryIsNamedNotLoaded() throws Exception {
    byte[] good = Files.readAllBytes(new NativeLibraries(tmp.resolve("cache")).file(JSON.library(), JSON.librarySha256()));
    for (int length : new int[] {10, 63, 64, 4096, good.length / 2, good.length - 1}) {
      Path torn = tmp.resolve("torn-" + length + ".so");
      Files.write(torn, Arrays.copyOf(good, length));
      String problem = ElfImage.problem(torn);
      assertNotNull(problem, "cut at " + length);
    }
  }

  @Test
  void otherFilesAreLeftToTheLoader() throws Exception {
    Path text = tmp.resolve("not-elf.so");
    Files.writeString(text, "not a library");
    assertNull(ElfImage.problem(text));
    Path empty = tmp.resolve("empty.so");
    Files.write(empty, new byte[0]);
    assertNull(ElfImage.problem(empty));
  }

  @Test
  void loadingATruncatedLibraryFailsWithAMessage() throws Exception {
    Path cache = tmp.resolve("cache2");
    NativeLibraries natives = new NativeLibraries(cache);
    Path file = natives.file(JSON.library(), JSON.librarySha256());
    byte[] good = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(good, 4096)); // the JVM already verified this file: it trusts it now
    GrammarSpec spec = new GrammarSpec(JSON.name(), JSON.packageName(), JSON.packageVersion(), JSON.symbol(),
        JSON.abiVersion(), JSON.wasmKey() + "-torn", JSON.extensions(), JSON.fileNames(), JSON.interpreters(),
        JSON.hasTags(), JSON.hasHighlights(), JSON.hasInjections(), JSON.library(), JSON.librarySha256());
    GrammarLoadException e = assertThrows(GrammarLoadException.class, () -> Grammars.load(spec, natives));
    assertTrue(e.getMessage().contains("is not a complete library") && e.getMessage().contains("rebuild"),
        e.getMessage());
  }
}
