package dev.quarry.pipeline.hostile;

import java.nio.charset.StandardCharsets;

/** Contents of pathological files, deterministic and generated (nothing large is checked in). */
final class HostileFiles {
  private HostileFiles() {}

  /**
   * Minified JavaScript on one line, at least {@code minBytes} long: functions, loops, object and array literals,
   * strings with escapes and regular expressions, the way a bundler's output looks.
   */
  static byte[] minifiedJs(int minBytes) {
    StringBuilder sb = new StringBuilder(minBytes + 256);
    sb.append("!function(e,t){\"use strict\";");
    for (int i = 0; sb.length() < minBytes; i++) {
      sb.append("function a").append(i).append("(b,c){var d=b+c*").append(i % 97)
          .append(";if(d>").append(i).append("){return[d,\"s").append(i).append("\\\"q\",/r").append(i % 10)
          .append("+/g,{k:d,v:[1,2,3]}]}for(var e=0;e<3;e++){d^=e}return d}")
          .append("var x").append(i).append("=a").append(i).append("(1,2),y").append(i)
          .append("={a:x").append(i).append(",b:'t").append(i).append("',c:function(){return this.a}};");
    }
    sb.append("}(this,{});");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code [[[...1...]]]}: JSON nested {@code depth} levels deep. */
  static String deepJson(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth) + "\n";
  }

  /** A JavaScript expression in {@code depth} parentheses. */
  static String deepJs(int depth) {
    return "x = " + "(".repeat(depth) + "1" + ")".repeat(depth) + ";\n";
  }

  /** C blocks nested {@code depth} levels deep inside one function. */
  static String deepC(int depth) {
    return "int f(void) {\n" + "{".repeat(depth) + "return 1;" + "}".repeat(depth) + "\n}\n";
  }

  /** A JavaScript declaration and use of one identifier of {@code length} bytes. */
  static String hugeIdentifierJs(int length) {
    String name = "id_" + "x".repeat(length - 3);
    return "var " + name + " = 1;\nconsole.log(" + name + ");\n";
  }

  /** Markdown with {@code count} fenced blocks, alternating backtick and tilde fences and languages. */
  static String manyFences(int count) {
    StringBuilder sb = new StringBuilder();
    String[] languages = {"python", "js", "rust", "", "mermaid"};
    for (int i = 0; i < count; i++) {
      String fence = i % 2 == 0 ? "```" : "~~~~";
      sb.append("Step ").append(i).append("\n\n").append(fence).append(languages[i % languages.length]).append('\n')
          .append("x").append(i).append(" = ").append(i).append('\n').append(fence).append("\n\n");
    }
    return sb.toString();
  }

  /** HTML where every {@code <script>} is opened and none is closed properly, plus a real one at the end. */
  static String unclosedScripts(int count) {
    return "<html><body>\n" + "<script <p>not a script\n".repeat(count) + "<script>let ok = 1;</script>\n</body></html>\n";
  }
}
