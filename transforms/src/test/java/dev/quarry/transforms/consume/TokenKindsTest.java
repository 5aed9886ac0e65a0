package dev.quarry.transforms.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TokenKindsTest {
  static String capture(String name) {
    return TokenKinds.name(TokenKinds.fromCapture(name));
  }

  static String leaf(String type, boolean named) {
    return TokenKinds.name(TokenKinds.fromLeafType(type, named, false));
  }

  @Test
  void captureNames() {
    assertEquals("keyword", capture("keyword"));
    assertEquals("keyword", capture("keyword.return"));
    assertEquals("keyword", capture("constant.builtin"));
    assertEquals("string", capture("string.escape"));
    assertEquals("string", capture("string.special.key"));
    assertEquals("string", capture("character"));
    assertEquals("comment", capture("comment.documentation"));
    assertEquals("function", capture("function.method"));
    assertEquals("function", capture("function.macro"));
    assertEquals("type", capture("type.builtin"));
    assertEquals("type", capture("constructor"));
    assertEquals("number", capture("number"));
    assertEquals("number", capture("constant.numeric.integer"));
    assertEquals("number", capture("float"));
    assertEquals("operator", capture("operator"));
    assertEquals("punctuation", capture("punctuation.bracket"));
    assertEquals("punctuation", capture("tag.delimiter"));
    assertEquals("identifier", capture("variable.parameter"));
    assertEquals("identifier", capture("property"));
    assertEquals("identifier", capture("constant"));
    assertEquals("identifier", capture("attribute"));
    assertEquals("", capture("embedded"));
    assertEquals("", capture("none"));
    assertEquals("", capture("spell"));
    assertEquals("string", capture("text.literal"));
    assertEquals("", capture("text.title"));
  }

  @Test
  void leafTypes() {
    assertEquals("keyword", leaf("if", false));
    assertEquals("keyword", leaf("#include", false));
    assertEquals("keyword", leaf("macro_rules!", false));
    assertEquals("punctuation", leaf("(", false));
    assertEquals("punctuation", leaf("];", false));
    assertEquals("punctuation", leaf("::", false));
    assertEquals("operator", leaf("=>", false));
    assertEquals("operator", leaf("+=", false));
    assertEquals("identifier", leaf("identifier", true));
    assertEquals("identifier", leaf("property_identifier", true));
    assertEquals("type", leaf("type_identifier", true));
    assertEquals("type", leaf("primitive_type", true));
    assertEquals("string", leaf("string_fragment", true));
    assertEquals("string", leaf("escape_sequence", true));
    assertEquals("string", leaf("char_literal", true));
    assertEquals("comment", leaf("line_comment", true));
    assertEquals("number", leaf("integer_literal", true));
    assertEquals("number", leaf("decimal_floating_point_literal", true));
    assertEquals("keyword", leaf("true", true));
    assertEquals("other", leaf("type_conversion", true));
    assertEquals("other", TokenKinds.name(TokenKinds.fromLeafType("ERROR", true, true)));
  }

  @Test
  void definitionKinds() {
    assertEquals("function", DefinitionKinds.of("python", "function_definition"));
    assertEquals("class", DefinitionKinds.of("java", "class_declaration"));
    assertEquals("class", DefinitionKinds.of("java", "record_declaration"));
    assertEquals("method", DefinitionKinds.of("java", "constructor_declaration"));
    assertEquals("interface", DefinitionKinds.of("java", "annotation_type_declaration"));
    assertEquals("struct", DefinitionKinds.of("c", "struct_specifier"));
    assertEquals("struct", DefinitionKinds.of("rust", "union_item"));
    assertEquals("trait", DefinitionKinds.of("rust", "trait_item"));
    assertEquals("impl", DefinitionKinds.of("rust", "impl_item"));
    assertEquals("module", DefinitionKinds.of("rust", "mod_item"));
    assertEquals("module", DefinitionKinds.of("cpp", "namespace_definition"));
    assertEquals("type", DefinitionKinds.of("typescript", "type_alias_declaration"));
    assertEquals("module", DefinitionKinds.of("typescript", "internal_module"));
    assertEquals("macro", DefinitionKinds.of("c", "preproc_function_def"));
    assertEquals("class", DefinitionKinds.of("ruby", "class"));
    assertNull(DefinitionKinds.of("javascript", "class"), "a JavaScript class expression is not a definition");
    assertNull(DefinitionKinds.of("lua", "function_definition"), "Lua's function_definition is anonymous");
    assertNull(DefinitionKinds.of("go", "type_declaration"), "a wrapper of type_spec");
    assertNull(DefinitionKinds.of("java", "field_declaration"));
    assertNull(DefinitionKinds.of("java", "method_invocation"));
  }
}
