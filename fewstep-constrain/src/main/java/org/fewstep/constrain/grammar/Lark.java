package org.fewstep.constrain.grammar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Pattern;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;
import org.fewstep.core.BadInputException;

/**
 * The Lark-like EBNF of llguidance and Lark: definitions {@code name: expansions} for rules
 * (lowercase names, optionally prefixed by {@code ? ! _} and followed by a priority {@code .N}) and
 * terminals (uppercase names), the start rule {@code start}; items {@code "literal"},
 * {@code /regex/}, names, {@code "a".."z"} ranges, groups {@code ( )}, optional {@code [ ]}, the
 * operators {@code ? * +} and {@code ~ n} or {@code ~ n..m}; aliases {@code -> name} (no effect on
 * the language); alternatives continue on the next line when it starts with {@code |}; comments from
 * {@code //}. Directives: {@code %ignore} (text allowed between terminals) and {@code %import
 * common.NAME} for the common terminals listed in {@link #COMMON}. Case-insensitive literals, regex
 * flags and other directives are refused. Priorities and aliases shape Lark's parse trees, not the
 * language, and are read and dropped.
 */
public final class Lark {
  /** The terminals {@code %import common.NAME} provides, as regular expressions written for fewstep. */
  public static final Map<String, String> COMMON = Map.ofEntries(
      Map.entry("WS", "[ \\t\\f\\r\\n]+"),
      Map.entry("WS_INLINE", "[ \\t]+"),
      Map.entry("NEWLINE", "(\\r?\\n)+"),
      Map.entry("DIGIT", "[0-9]"),
      Map.entry("HEXDIGIT", "[0-9a-fA-F]"),
      Map.entry("INT", "[0-9]+"),
      Map.entry("SIGNED_INT", "[+-]?[0-9]+"),
      Map.entry("DECIMAL", "[0-9]+\\.[0-9]*|\\.[0-9]+"),
      Map.entry("FLOAT", "([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+"),
      Map.entry("NUMBER", "[0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?"),
      Map.entry("SIGNED_NUMBER", "[+-]?([0-9]+(\\.[0-9]*)?([eE][+-]?[0-9]+)?|\\.[0-9]+([eE][+-]?[0-9]+)?)"),
      Map.entry("ESCAPED_STRING", "\"([^\"\\\\]|\\\\.)*\""),
      Map.entry("LETTER", "[a-zA-Z]"),
      Map.entry("LCASE_LETTER", "[a-z]"),
      Map.entry("UCASE_LETTER", "[A-Z]"),
      Map.entry("WORD", "[a-zA-Z]+"),
      Map.entry("CNAME", "[_a-zA-Z][_a-zA-Z0-9]*"));

  private final Cursor in;
  private final Map<String, Expr> rules = new LinkedHashMap<>();
  private final List<Expr> ignore = new ArrayList<>();

  private Lark(String text, String source) {
    this.in = new Cursor(text, source);
  }

  /** The grammar of a {@code .lark} file. */
  public static Grammar read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw BadInputException.of("grammar file", file, "a readable UTF-8 Lark grammar (" + e.getMessage() + ")");
    }
  }

  /** The grammar written in {@code text}; {@code source} names it in messages. */
  public static Grammar parse(String text, String source) {
    return new Lark(text, source).grammar();
  }

  private Grammar grammar() {
    while (true) {
      space(true);
      if (in.atEnd()) {
        break;
      }
      int at = in.pos;
      if (in.peek() == '%') {
        directive();
      } else {
        definition(at);
      }
      space(false);
      if (!in.atEnd() && in.peek() != '\n' && in.peek() != '\r') {
        throw in.error(in.pos, "the end of the definition (a new line), or another item");
      }
    }
    if (!rules.containsKey("start")) {
      throw BadInputException.of(in.source + ": start rule", "start (missing)", "a rule named start, where the text starts");
    }
    return new Grammar(rules, "start", ignore, in.source);
  }

  private void definition(int at) {
    while (in.peek() == '?' || in.peek() == '!') {
      in.pos++;
    }
    String name = name();
    if (name.isEmpty()) {
      throw in.error(at, "a rule or terminal name, or a directive (%ignore, %import)");
    }
    if (in.peek() == '.') { // priority: shapes Lark's lexer and trees, not the language
      in.pos++;
      int digits = in.pos;
      if (in.peek() == '-') {
        in.pos++;
      }
      while (Character.isDigit(in.peek())) {
        in.pos++;
      }
      if (in.pos == digits) {
        throw in.error(digits, "a priority number after '.'");
      }
    }
    space(false);
    if (in.peek() != ':') {
      throw in.error(in.pos, "':' after the name " + name);
    }
    in.pos++;
    space(false);
    Expr body = alternatives();
    if (rules.put(name, body) != null) {
      throw in.error(at, "one definition of " + name + " (it is defined again here)");
    }
  }

  private void directive() {
    int at = in.pos;
    if (in.startsWith("%ignore")) {
      in.pos += "%ignore".length();
      space(false);
      ignore.add(alternatives());
    } else if (in.startsWith("%import")) {
      in.pos += "%import".length();
      space(false);
      int from = in.pos;
      while (!in.atEnd() && !Character.isWhitespace(in.peek()) && in.peek() != '(') {
        in.pos++;
      }
      String path = in.text.substring(from, in.pos);
      String name = path.startsWith("common.") ? path.substring("common.".length()) : null;
      if (name == null || !COMMON.containsKey(name)) {
        throw in.error(from, "common.NAME with NAME one of " + new java.util.TreeSet<>(COMMON.keySet()));
      }
      space(false);
      String as = name;
      if (in.startsWith("->")) {
        in.pos += 2;
        space(false);
        as = name();
      }
      rules.put(as, new Pattern(COMMON.get(name)));
    } else {
      throw in.error(at, "%ignore or %import (other directives are not supported)");
    }
  }

  private Expr alternatives() {
    List<Expr> options = new ArrayList<>();
    options.add(expansion());
    while (true) {
      int save = in.pos;
      space(true);
      if (in.peek() == '|') { // a bar on this line or starting the next one
        in.pos++;
        space(false);
        options.add(expansion());
      } else {
        in.pos = save;
        break;
      }
    }
    return options.size() == 1 ? options.get(0) : new Alt(options);
  }

  private Expr expansion() {
    List<Expr> items = new ArrayList<>();
    while (true) {
      space(false);
      char c = in.peek();
      Expr item;
      int at = in.pos;
      if (c == '"') {
        item = literalOrRange();
      } else if (c == '/' && !in.startsWith("//")) {
        item = regex();
      } else if (c == '(' || c == '[') {
        char close = c == '(' ? ')' : ']';
        in.pos++;
        space(true);
        Expr inner = alternatives();
        space(true);
        if (in.peek() != close) {
          throw in.error(in.pos, "'" + close + "' closing the group opened at " + in.where(at));
        }
        in.pos++;
        item = c == '[' ? new Repeat(inner, 0, 1) : inner;
      } else if (isNameStart(c)) {
        String name = name();
        item = new Ref(name, in.line(at), in.column(at));
      } else {
        break;
      }
      items.add(operators(item));
    }
    space(false);
    if (in.startsWith("->")) { // an alias names the tree node; the language is the same
      in.pos += 2;
      space(false);
      if (name().isEmpty()) {
        throw in.error(in.pos, "an alias name after '->'");
      }
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  private Expr operators(Expr item) {
    while (true) {
      char c = in.peek();
      if (c == '?') {
        in.pos++;
        item = new Repeat(item, 0, 1);
      } else if (c == '*') {
        in.pos++;
        item = new Repeat(item, 0, Repeat.UNBOUNDED);
      } else if (c == '+') {
        in.pos++;
        item = new Repeat(item, 1, Repeat.UNBOUNDED);
      } else if (c == '~' || (c == ' ' && in.text.startsWith("~", nonBlank()))) {
        in.pos = nonBlank() + 1;
        space(false);
        int at = in.pos;
        int min = number();
        int max = min;
        if (in.startsWith("..")) {
          in.pos += 2;
          max = number();
        }
        if (max < min) {
          throw in.error(at, "a repetition ~ n..m with n <= m, not " + min + ".." + max);
        }
        item = new Repeat(item, min, max);
      } else {
        return item;
      }
    }
  }

  private int nonBlank() {
    int p = in.pos;
    while (p < in.text.length() && (in.text.charAt(p) == ' ' || in.text.charAt(p) == '\t')) {
      p++;
    }
    return p;
  }

  private int number() {
    int start = in.pos;
    while (Character.isDigit(in.peek()) && in.pos - start < 9) {
      in.pos++;
    }
    if (in.pos == start) {
      throw in.error(start, "a repetition count");
    }
    return Integer.parseInt(in.text, start, in.pos, 10);
  }

  /** {@code "text"}, or the range {@code "a".."z"} of single characters. */
  private Expr literalOrRange() {
    int at = in.pos;
    String text = string();
    if (in.peek() == 'i' && !isNameChar(peekAt(in.pos + 1))) {
      throw in.error(in.pos, "no 'i' flag (case-insensitive literals are not supported)");
    }
    if (!in.startsWith("..")) {
      return new Literal(text);
    }
    in.pos += 2;
    String to = string();
    if (text.codePointCount(0, text.length()) != 1 || to.codePointCount(0, to.length()) != 1) {
      throw in.error(at, "a range of single characters \"a\"..\"z\"");
    }
    int lo = text.codePointAt(0);
    int hi = to.codePointAt(0);
    if (hi < lo) {
      throw in.error(at, "a range with its low end first");
    }
    return CharClass.of(List.of(new int[] {lo, hi}), false);
  }

  private char peekAt(int p) {
    return p < in.text.length() ? in.text.charAt(p) : 0;
  }

  private String string() {
    int open = in.pos;
    if (in.peek() != '"') {
      throw in.error(open, "a string literal");
    }
    in.pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.atEnd() || in.peek() == '\n') {
        throw in.error(open, "a string literal closed by '\"' on the same line");
      }
      char c = in.peek();
      if (c == '"') {
        in.pos++;
        return out.toString();
      }
      if (c != '\\') {
        out.appendCodePoint(in.codePoint());
        continue;
      }
      int at = in.pos++;
      char e = in.peek();
      in.pos++;
      switch (e) {
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'f' -> out.append('\f');
        case '\\', '"', '\'' -> out.append(e);
        case 'x' -> out.appendCodePoint(in.hex(at, 2));
        case 'u' -> out.appendCodePoint(in.hex(at, 4));
        case 'U' -> out.appendCodePoint(in.hex(at, 8));
        default -> throw in.error(at, "one of the escapes \\n \\r \\t \\f \\\\ \\\" \\' \\x \\u \\U, not \\" + e);
      }
    }
  }

  /** {@code /regex/}: the text between the slashes ({@code \/} is a slash), without flags. */
  private Expr regex() {
    int open = in.pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.atEnd() || in.peek() == '\n') {
        throw in.error(open, "a regular expression closed by '/' on the same line");
      }
      char c = in.peek();
      if (c == '/') {
        in.pos++;
        break;
      }
      if (c == '\\' && peekAt(in.pos + 1) == '/') {
        out.append('/');
        in.pos += 2;
        continue;
      }
      if (c == '\\') {
        out.append(c);
        in.pos++;
      }
      out.appendCodePoint(in.codePoint());
    }
    if (Character.isLetter(in.peek())) {
      throw in.error(in.pos, "no regex flags (/.../" + in.peek() + " is not supported)");
    }
    return new Pattern(out.toString());
  }

  private String name() {
    int start = in.pos;
    while (!in.atEnd() && isNameChar(in.peek())) {
      in.pos++;
    }
    return in.text.substring(start, in.pos);
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  /** Skips blanks and {@code //} comments, and new lines when {@code newlines}. */
  private void space(boolean newlines) {
    while (!in.atEnd()) {
      char c = in.peek();
      if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
        in.pos++;
      } else if (in.startsWith("//")) {
        while (!in.atEnd() && in.peek() != '\n') {
          in.pos++;
        }
      } else {
        return;
      }
    }
  }
}
