package dev.quarry.grammars;

import io.github.treesitter.jtreesitter.NativeLibraryLookup;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

/**
 * Hands jtreesitter the tree-sitter core shipped in this jar, so nobody has to install it or set {@code
 * LD_LIBRARY_PATH} / {@code java.library.path}. jtreesitter finds this class through {@code
 * META-INF/services/io.github.treesitter.jtreesitter.NativeLibraryLookup} and asks it before the OS paths.
 */
public final class TreeSitterCoreLookup implements NativeLibraryLookup {

  /** Called by {@link java.util.ServiceLoader}. */
  public TreeSitterCoreLookup() {}

  @Override
  public SymbolLookup get(Arena arena) {
    GrammarRegistry registry = GrammarRegistry.get();
    registry.requireRunnablePlatform();
    return SymbolLookup.libraryLookup(
        NativeLibraries.defaults().file(registry.coreLibrary(), registry.coreLibrarySha256()), arena);
  }
}
