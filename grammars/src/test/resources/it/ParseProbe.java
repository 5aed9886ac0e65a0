import dev.quarry.grammars.GrammarRegistry;
import dev.quarry.grammars.Grammars;
import io.github.treesitter.jtreesitter.Parser;
import io.github.treesitter.jtreesitter.Tree;

/** Run by GrammarsJarIT in a fresh JVM whose class path is only the grammars jar and its dependencies. */
public class ParseProbe {
  public static void main(String[] args) {
    Grammars.verifyAll();
    System.out.println("verified " + GrammarRegistry.get().all().size() + " grammars");
    var spec = GrammarRegistry.get().byName(args[0]).orElseThrow();
    try (Parser parser = new Parser(Grammars.language(spec));
        Tree tree = parser.parse(args[1]).orElseThrow()) {
      System.out.println(tree.getRootNode().toSexp());
    }
  }
}
