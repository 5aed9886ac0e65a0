package dev.quarry.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small corpora written into temp directories: good code in several languages plus every kind of bad input. */
final class Fixtures {
  private Fixtures() {}

  static Path mixedRepo(Path parent) throws IOException {
    Path repo = Files.createDirectories(parent.resolve("demo"));
    write(repo, "src/Main.java", """
        package demo;

        /** Entry point. */
        public class Main {
          private final int count;

          public Main(int count) {
            this.count = count;
          }

          public int twice() {
            return helper(count) * 2;
          }

          static int helper(int x) {
            return x + 1;
          }
        }
        """);
    write(repo, "tools/report.py", """
        import sys


        class Report:
            def __init__(self, rows):
                self.rows = rows

            def total(self):
                return sum(r.value for r in self.rows)


        def main(argv):
            print(Report([]).total())


        if __name__ == "__main__":
            main(sys.argv)
        """);
    write(repo, "web/app.js", """
        export function greet(name) {
          return `hello ${name}`;
        }

        class Widget {
          render() { return greet("w"); }
        }
        """);
    write(repo, "lib/lib.rs", """
        pub struct Point { pub x: i32, pub y: i32 }

        impl Point {
            pub fn norm(&self) -> i32 { self.x.abs() + self.y.abs() }
        }
        """);
    write(repo, "broken/Broken.java", "class Broken {\n  void f() {\n    int x = ;\n  }\n");
    write(repo, "empty.go", "");
    write(repo, "crlf.c", "int main(void) {\r\n  return 0;\r\n}\r\n");
    Files.write(repo.resolve("bom.ts"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "const x: number = 1;\n".getBytes(StandardCharsets.UTF_8)));
    Files.write(repo.resolve("blob.c"), new byte[] {'i', 'n', 't', 0, 1, 2, 3, '\n'});
    Files.write(repo.resolve("latin1.java"), "class Caf\u00e9 {}\n".getBytes(StandardCharsets.ISO_8859_1));
    write(repo, "big.go", "package big\n\n" + "var x = 1\n".repeat(2000));
    write(repo, "notes.txt", "plain text, no grammar\n");
    write(repo, "name with spaces.py", "x = 1\n");
    write(repo, "scripts/run", "#!/usr/bin/env python3\nprint('hi')\n");
    Path outside = Files.createDirectories(parent.resolve("outside"));
    write(outside, "secret.py", "password = 'not for quarry'\n");
    Files.createSymbolicLink(repo.resolve("escape.py"), outside.resolve("secret.py"));
    Files.createSymbolicLink(repo.resolve("alias.java"), repo.resolve("src/Main.java"));
    Files.createSymbolicLink(repo.resolve("dangling.rs"), repo.resolve("nope.rs"));
    return repo;
  }

  static void write(Path root, String rel, String text) throws IOException {
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
