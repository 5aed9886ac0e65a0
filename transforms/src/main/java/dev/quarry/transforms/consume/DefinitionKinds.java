package dev.quarry.transforms.consume;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which node types are definitions, and of what kind: the vocabulary of chunk kinds and of fallback symbols.
 *
 * <p>A generic rule recognises the usual tree-sitter naming ({@code function_definition},
 * {@code class_declaration}, {@code struct_item}, {@code enum_specifier}, ...); per-grammar tables add what the
 * rule misses and veto what it gets wrong (Lua's {@code function_definition} is an anonymous function).
 */
final class DefinitionKinds {
  static final String FUNCTION = "function";
  static final String METHOD = "method";
  static final String CLASS = "class";
  static final String INTERFACE = "interface";
  static final String STRUCT = "struct";
  static final String ENUM = "enum";
  static final String TRAIT = "trait";
  static final String IMPL = "impl";
  static final String MODULE = "module";
  static final String TYPE = "type";
  static final String MACRO = "macro";

  /** The definition kinds, in documentation order. */
  static final Set<String> ALL =
      Set.of(FUNCTION, METHOD, CLASS, INTERFACE, STRUCT, ENUM, TRAIT, IMPL, MODULE, TYPE, MACRO);

  /** Kinds whose function members are methods. */
  static final Set<String> MEMBER_SCOPES = Set.of(CLASS, STRUCT, INTERFACE, TRAIT, IMPL, ENUM);

  /** Marks a type the generic rule would accept but that is not a definition in that grammar. */
  private static final String NOT_A_DEFINITION = "";

  private static final Pattern GENERIC =
      Pattern.compile(
          "^(?:[a-z_]+_)?(function|method|class|interface|struct|enum|trait|impl|module|namespace|macro|protocol"
              + "|union|object|record|type_alias|typealias|type)_(?:definition|declaration|item|specifier|def)$");

  private static final Map<String, String> GENERIC_WORDS =
      Map.ofEntries(
          Map.entry("function", FUNCTION),
          Map.entry("method", METHOD),
          Map.entry("class", CLASS),
          Map.entry("object", CLASS),
          Map.entry("record", CLASS),
          Map.entry("interface", INTERFACE),
          Map.entry("protocol", INTERFACE),
          Map.entry("struct", STRUCT),
          Map.entry("union", STRUCT),
          Map.entry("enum", ENUM),
          Map.entry("trait", TRAIT),
          Map.entry("impl", IMPL),
          Map.entry("module", MODULE),
          Map.entry("namespace", MODULE),
          Map.entry("macro", MACRO),
          Map.entry("type_alias", TYPE),
          Map.entry("typealias", TYPE),
          Map.entry("type", TYPE));

  private static final Map<String, String> COMMON =
      Map.ofEntries(
          Map.entry("constructor_declaration", METHOD),
          Map.entry("compact_constructor_declaration", METHOD),
          Map.entry("annotation_type_declaration", INTERFACE),
          Map.entry("function_signature_item", FUNCTION),
          Map.entry("mod_item", MODULE),
          Map.entry("preproc_function_def", MACRO),
          Map.entry("preproc_def", MACRO),
          Map.entry("delegate_declaration", TYPE),
          Map.entry("local_function_statement", FUNCTION),
          Map.entry("type_spec", TYPE),
          Map.entry("type_alias", TYPE),
          // Go's type_declaration and TypeScript's ambient_declaration wrap the definition(s) they declare.
          Map.entry("type_declaration", NOT_A_DEFINITION),
          Map.entry("function_type_declaration", NOT_A_DEFINITION));

  private static final Map<String, Map<String, String>> BY_GRAMMAR =
      Map.of(
          "typescript", typescript(),
          "tsx", typescript(),
          "ruby",
              Map.of(
                  "class", CLASS, "module", MODULE, "method", METHOD, "singleton_method", METHOD,
                  "singleton_class", CLASS),
          "lua", Map.of("function_definition", NOT_A_DEFINITION));

  private DefinitionKinds() {}

  private static Map<String, String> typescript() {
    return Map.of(
        "module", MODULE,
        "internal_module", MODULE,
        "function_signature", FUNCTION,
        "method_signature", METHOD,
        "abstract_method_signature", METHOD);
  }

  /** The definition kind of a named node type in a grammar, or null. */
  static String of(String grammar, String type) {
    String kind = BY_GRAMMAR.getOrDefault(grammar, Map.of()).get(type);
    if (kind == null) {
      kind = COMMON.get(type);
    }
    if (kind == null) {
      Matcher m = GENERIC.matcher(type);
      if (m.matches()) {
        kind = GENERIC_WORDS.get(m.group(1));
      }
    }
    return kind == null || kind.equals(NOT_A_DEFINITION) ? null : kind;
  }

  /** C-family declarator nodes, followed through their {@code declarator} field to find a definition's name. */
  static boolean isDeclarator(String type) {
    return type.endsWith("_declarator");
  }
}
