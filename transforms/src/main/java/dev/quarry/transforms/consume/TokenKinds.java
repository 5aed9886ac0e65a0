package dev.quarry.transforms.consume;

import java.util.List;
import java.util.Set;

/**
 * The token kind vocabulary and the two ways a kind is derived: from a highlights capture name, or from a node
 * type when no capture applies. Kinds are bytes internally ({@code NONE} = not decided) and strings in rows.
 */
final class TokenKinds {
  static final byte NONE = 0;
  static final byte KEYWORD = 1;
  static final byte IDENTIFIER = 2;
  static final byte TYPE = 3;
  static final byte FUNCTION = 4;
  static final byte STRING = 5;
  static final byte NUMBER = 6;
  static final byte COMMENT = 7;
  static final byte OPERATOR = 8;
  static final byte PUNCTUATION = 9;
  static final byte OTHER = 10;
  /** Container marker only: an interpolation inside a string, whose tokens are code again. */
  static final byte RESET = 11;

  /** Row values, indexed by kind byte. */
  static final List<String> NAMES =
      List.of(
          "", "keyword", "identifier", "type", "function", "string", "number", "comment", "operator", "punctuation",
          "other");

  private static final Set<String> WORD_LITERALS =
      Set.of("true", "false", "null", "nil", "none", "None", "undefined", "this", "self", "super", "boolean");
  private static final Set<String> PUNCTUATION_TOKENS =
      Set.of(".", ":", "::", "...", "\"", "'", "`", "\"\"\"", "'''", "${", "#{", "@", "#", "\\");

  private TokenKinds() {}

  static String name(byte kind) {
    return NAMES.get(kind);
  }

  /**
   * Kind of a highlights capture name ({@code keyword.return}, {@code string.escape}, ...), or {@code NONE} for
   * captures that say nothing about the token ({@code @embedded}, {@code @none}, {@code @spell}, markup ...).
   */
  static byte fromCapture(String capture) {
    String[] parts = capture.split("\\.");
    String last = parts[parts.length - 1];
    if (parts.length > 1 && (last.equals("delimiter") || last.equals("bracket"))) {
      return PUNCTUATION;
    }
    String second = parts.length > 1 ? parts[1] : "";
    return switch (parts[0]) {
      case "keyword", "conditional", "repeat", "include", "exception", "storageclass", "preproc", "define",
          "boolean" -> KEYWORD;
      case "string", "character", "escape", "regexp" -> STRING;
      case "comment" -> COMMENT;
      case "number", "float" -> NUMBER;
      case "constant" -> switch (second) {
        case "numeric" -> NUMBER;
        case "builtin" -> KEYWORD;
        case "character" -> STRING;
        default -> IDENTIFIER;
      };
      case "function", "method" -> FUNCTION;
      case "type", "constructor" -> TYPE;
      case "operator" -> OPERATOR;
      case "punctuation", "delimiter" -> PUNCTUATION;
      case "variable", "property", "field", "parameter", "label", "namespace", "module", "attribute", "tag",
          "symbol" -> IDENTIFIER;
      case "text", "markup" -> capture.contains("literal") || capture.contains("raw") || capture.contains("uri")
              || capture.contains("url") ? STRING : NONE;
      default -> NONE;
    };
  }

  /** Fallback kind of a leaf, from its node type alone. */
  static byte fromLeafType(String type, boolean named, boolean error) {
    if (error) {
      return OTHER;
    }
    if (named) {
      byte container = containerKind(type, true);
      if (container == STRING || container == COMMENT) {
        return container;
      }
      if (isNumberType(type)) {
        return NUMBER;
      }
      if (type.endsWith("type") || type.contains("type_identifier")) {
        return TYPE;
      }
      if (type.contains("identifier") || type.equals("name") || type.endsWith("_name") || type.equals("word")
          || type.equals("constant")) {
        return IDENTIFIER;
      }
      if (WORD_LITERALS.contains(type)) {
        return KEYWORD;
      }
      return OTHER;
    }
    if (type.isEmpty()) {
      return OTHER;
    }
    if (isKeywordToken(type)) {
      return KEYWORD;
    }
    if (PUNCTUATION_TOKENS.contains(type) || onlyChars(type, "()[]{},;")) {
      return PUNCTUATION;
    }
    boolean symbolic = true;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (Character.isLetterOrDigit(c) || Character.isWhitespace(c)) {
        symbolic = false;
        break;
      }
    }
    return symbolic ? OPERATOR : OTHER;
  }

  /**
   * For a named node: whether the tokens below it are lexically one string or comment ({@code STRING},
   * {@code COMMENT}), code again ({@code RESET}, interpolations), or undecided ({@code NONE}).
   */
  static byte containerKind(String type, boolean named) {
    if (!named) {
      return NONE;
    }
    if (type.contains("interpolation") || type.contains("substitution") || type.contains("embedded")
        || type.contains("expansion")) {
      return RESET;
    }
    if (type.contains("comment")) {
      return COMMENT;
    }
    if (type.contains("string") || type.contains("char_literal") || type.contains("character_literal")
        || type.equals("char") || type.equals("character") || type.contains("heredoc") || type.contains("regex")
        || type.equals("escape_sequence") || type.equals("rune_literal")) {
      return STRING;
    }
    return NONE;
  }

  private static boolean isNumberType(String type) {
    return type.contains("number") || type.contains("integer") || type.contains("float") || type.contains("decimal")
        || type.startsWith("hex") || type.startsWith("octal") || type.contains("numeric") || type.equals("int_literal")
        || type.equals("imaginary_literal");
  }

  /** An alphanumeric literal token such as {@code if}, {@code #include}, {@code @interface}, {@code macro_rules!}. */
  private static boolean isKeywordToken(String type) {
    char first = type.charAt(0);
    if (!(Character.isLetter(first) || first == '_' || first == '#' || first == '@')) {
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (Character.isLetter(c)) {
        letter = true;
      } else if (!(Character.isDigit(c) || c == '_' || c == '-' || c == '!' || c == '?' || c == '#' || c == '@')) {
        return false;
      }
    }
    return letter;
  }

  private static boolean onlyChars(String s, String allowed) {
    for (int i = 0; i < s.length(); i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
