package dev.quarry.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's no-legacy-paths test: tree-sitter parsing is reachable only from the grammar-batched executor.
 *
 * <p>The rule, checked on the compiled production classes of every Quarry module on the class path (schemas,
 * grammars, transforms, pipeline): only classes of {@code dev.quarry.transforms.execute} may refer to jtreesitter's
 * {@code Parser} (its class or any of its nested classes, in any constant: instantiation, calls, field and method
 * types). Classes of the planning side ({@code plan}, {@code segment}, {@code scan}, {@code incremental},
 * {@code write}, {@code publish}, {@code io}) and the pipeline may not refer to jtreesitter at all, so segment discovery can never
 * quietly grow a parse. The consumers ({@code consume}) walk and query the trees the executor hands them, but may
 * not parse. Test classes are not checked: grammar and consumer tests parse snippets to test grammars and
 * consumers in isolation, and never ship.
 */
class NoLegacyPathsTest {
  static final String JTREESITTER = "io/github/treesitter/jtreesitter/";
  static final String PARSER = JTREESITTER + "Parser";
  static final String EXECUTE = "dev/quarry/transforms/execute/";
  static final List<String> NO_TREE_SITTER_AT_ALL = List.of(
      "dev/quarry/transforms/plan/", "dev/quarry/transforms/segment/", "dev/quarry/transforms/scan/",
      "dev/quarry/transforms/write/", "dev/quarry/transforms/publish/", "dev/quarry/transforms/io/",
      "dev/quarry/transforms/incremental/", "dev/quarry/pipeline/", "dev/quarry/schemas/");
  /**
   * {@code quarry bench}'s bare loop (issue 7): the plain read-parse-walk loop with jtreesitter that the executor is
   * measured against. It is a yardstick, never part of an extraction, and it must stay outside the executor to
   * measure what the executor adds.
   */
  static final String BENCH_BARE_LOOP = "dev/quarry/pipeline/bench/BareLoop";

  @Test
  void onlyTheExecutorParses() throws IOException {
    Map<String, Set<String>> references = quarryClassReferences();
    for (String module : List.of("dev/quarry/schemas/", "dev/quarry/grammars/", "dev/quarry/transforms/plan/",
        "dev/quarry/transforms/segment/", EXECUTE, "dev/quarry/transforms/consume/", "dev/quarry/pipeline/")) {
      assertTrue(references.keySet().stream().anyMatch(c -> c.startsWith(module)), "classes of " + module + " were scanned");
    }
    assertTrue(references.get(EXECUTE + "BudgetedParser").stream().anyMatch(r -> r.startsWith(PARSER)),
        "the check sees the executor's own Parser use");

    List<String> violations = new ArrayList<>();
    references.forEach((cls, refs) -> {
      if (cls.equals(BENCH_BARE_LOOP) || cls.startsWith(BENCH_BARE_LOOP + "$")) {
        return;
      }
      for (String ref : refs) {
        boolean parser = ref.equals(PARSER) || ref.startsWith(PARSER + "$");
        if (parser && !cls.startsWith(EXECUTE)) {
          violations.add(cls + " refers to " + ref + ": only " + EXECUTE + " may parse");
        }
        if (ref.startsWith(JTREESITTER) && NO_TREE_SITTER_AT_ALL.stream().anyMatch(cls::startsWith)) {
          violations.add(cls + " refers to " + ref + ": planning, segmenting, writing and the pipeline use no tree-sitter");
        }
      }
    });
    assertEquals(List.of(), violations);
  }

  /** Every {@code dev/quarry} production class on the class path, with the classes its constant pool names. */
  static Map<String, Set<String>> quarryClassReferences() throws IOException {
    Map<String, Set<String>> out = new TreeMap<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (entry.endsWith(".jar") && path.getFileName().toString().startsWith("quarry-")) {
        try (JarFile jar = new JarFile(path.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry je = e.nextElement();
            if (isQuarryClass(je.getName())) {
              try (InputStream in = jar.getInputStream(je)) {
                out.put(className(je.getName()), referencedClasses(in));
              }
            }
          }
        }
      } else if (Files.isDirectory(path) && path.endsWith(Path.of("target", "classes"))) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path p : walk.filter(Files::isRegularFile).toList()) {
            String name = path.relativize(p).toString().replace(File.separatorChar, '/');
            if (isQuarryClass(name)) {
              try (InputStream in = Files.newInputStream(p)) {
                out.put(className(name), referencedClasses(in));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean isQuarryClass(String name) {
    return name.startsWith("dev/quarry/") && name.endsWith(".class");
  }

  private static String className(String file) {
    return file.substring(0, file.length() - ".class".length());
  }

  /**
   * Internal names of classes a class file mentions: CONSTANT_Class entries, and class names inside descriptors
   * and signatures ({@code Lpkg/Name;}) of its UTF-8 constants.
   */
  static Set<String> referencedClasses(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    List<Integer> classIndexes = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classIndexes.add(in.readUnsignedShort());
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // 8-byte constants take two slots
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    Set<String> classes = new TreeSet<>();
    for (int index : classIndexes) {
      String name = utf8[index];
      classes.add(name.startsWith("[") ? name.replaceAll("^\\[+L?", "").replace(";", "") : name);
    }
    for (String s : utf8) {
      if (s == null) {
        continue;
      }
      for (int at = s.indexOf('L'); at >= 0; at = s.indexOf('L', at + 1)) {
        int semicolon = s.indexOf(';', at);
        int generic = s.indexOf('<', at);
        int end = generic >= 0 && generic < semicolon ? generic : semicolon;
        if (end > at + 1 && s.substring(at + 1, end).contains("/")) {
          String candidate = s.substring(at + 1, end);
          if (candidate.matches("[\\w/$]+")) {
            classes.add(candidate);
          }
        }
      }
    }
    return classes;
  }
}
