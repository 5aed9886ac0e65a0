package dev.quarry.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A corpus whose code lives partly inside other files: Markdown with java, python, js and rust fences, HTML with
 * scripts and styles, Vue and Svelte components, next to plain files of the same languages.
 */
final class EmbeddedFixtures {
  private EmbeddedFixtures() {}

  static Path docsRepo(Path parent) throws IOException {
    Path repo = Files.createDirectories(parent.resolve("site"));
    Fixtures.write(repo, "docs/guide.md", GUIDE);
    Fixtures.write(repo, "docs/book/ch1.md", """
        # Chapter 1

        ```python
        def chapter_one():
            return [n * n for n in range(10)]
        ```

        ```java
        interface Shape { double area(); }
        ```

        ```js
        export const answer = () => 42;
        ```

        ```text
        plain text: a segment without a job
        ```
        """);
    Fixtures.write(repo, "web/index.html", """
        <!doctype html>
        <html>
        <head>
          <style>
            .card { display: grid; }
          </style>
          <script type="application/ld+json">{"@type": "WebSite", "name": "demo"}</script>
        </head>
        <body>
          <!-- <script>commentedOut()</script> -->
          <script>
            function boot(root) {
              return root.querySelector(".card");
            }
          </script>
          <script type="module">import { boot } from "./boot.js"; boot(document);</script>
          <script type="text/x-template"><div>not code</div></script>
        </body>
        </html>
        """);
    Fixtures.write(repo, "ui/Counter.vue", COUNTER_VUE);
    Fixtures.write(repo, "ui/Legacy.vue", """
        <template>
          <p>{{ label }}</p>
        </template>

        <script>
        export default {
          data() { return { label: "legacy" }; },
        };
        </script>
        """);
    Fixtures.write(repo, "ui/Badge.svelte", """
        <script lang="ts">
          export let text: string = "new";
          function shout(s: string): string { return s.toUpperCase(); }
        </script>

        <span class="badge" on:click={() => (text = shout(text))}>{text}</span>

        <style>
          .badge { font-weight: bold; }
        </style>
        """);
    Fixtures.write(repo, "src/Main.java", """
        package site;

        public class Main {
          public static void main(String[] args) {
            System.out.println(Guide.greet("site"));
          }
        }
        """);
    Fixtures.write(repo, "tools/build.py", """
        def build(paths):
            return sorted(paths)
        """);
    Fixtures.write(repo, "web/boot.js", """
        export function boot(doc) {
          return doc.body;
        }
        """);
    return repo;
  }

  /** Line numbers matter: tests look for these definitions at these lines of the .md file. */
  static final String GUIDE = """
      # Guide

      Java first:

      ```java
      class Guide {
        static String greet(String name) {
          return "hello " + name;
        }
      }
      ```

      Then Python:

      ```py
      def parse_config(text):
          return dict(line.split("=", 1) for line in text.splitlines())
      ```

      Some JavaScript:

      ```js
      function render(items) {
        return items.map((i) => `<li>${i}</li>`).join("");
      }
      ```

      And Rust, with an attribute:

      ```rust,ignore
      pub fn checksum(data: &[u8]) -> u32 {
          data.iter().map(|b| *b as u32).sum()
      }
      ```

      More Java:

      ```java
      record Point(int x, int y) {}
      ```

      A diagram nobody parses:

      ```mermaid
      graph TD; A-->B;
      ```

      And a fence with no language:

      ```
      $ quarry extract --source . --out out
      ```
      """;

  /** {@code increment} is defined on line 9, inside the {@code <script setup lang="ts">} of line 5. */
  static final String COUNTER_VUE = """
      <template>
        <button @click="increment">{{ count }}</button>
      </template>

      <script setup lang="ts">
      import { ref } from "vue";
      const count = ref<number>(0);

      function increment(): void {
        count.value++;
      }
      </script>

      <style scoped lang="scss">
      $pad: 4px;
      button { padding: $pad; }
      </style>
      """;
}
