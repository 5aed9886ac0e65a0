package dev.quarry.transforms.scan;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory to scan and the repo name its rows carry. */
public record SourceRoot(String repo, Path root) implements Serializable {

  /**
   * Parses {@code DIR} or {@code NAME=DIR}. Without a name the repo is the directory's own name, so two
   * sources with the same leaf name must be named explicitly.
   */
  public static SourceRoot parse(String spec) {
    String name = null;
    String dir = spec;
    int eq = spec.indexOf('=');
    if (eq > 0 && !Files.isDirectory(Path.of(spec))) {
      name = spec.substring(0, eq);
      dir = spec.substring(eq + 1);
    }
    Path root = Path.of(dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(
          "--source " + spec + ": " + root + " is not a directory. Pass an existing directory, optionally as NAME=DIR.");
    }
    if (name == null) {
      Path leaf = root.getFileName();
      name = leaf == null ? "root" : leaf.toString();
    }
    if (name.isEmpty() || name.contains("/") || name.contains("=")) {
      throw new IllegalArgumentException(
          "--source " + spec + ": repo name '" + name + "' must be non-empty and contain no '/' or '='.");
    }
    return new SourceRoot(name, root);
  }
}
