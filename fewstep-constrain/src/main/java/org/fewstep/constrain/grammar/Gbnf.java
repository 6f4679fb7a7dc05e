package org.fewstep.constrain.grammar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;

/**
 * GBNF, llama.cpp's grammar format (its grammars/README.md): rules {@code name ::= body}, the start
 * rule {@code root}; bodies of string literals {@code "..."}, character classes {@code [a-z]} and
 * {@code [^...]}, any character {@code .}, rule names, groups {@code ( )}, alternatives {@code |} and
 * the repetitions {@code * + ? {m} {m,} {m,n}}; escapes {@code \n \r \t \\ \" \[ \] \- \xHH}, and a
 * backslash with {@code u} and 4 or {@code U} and 8 hex digits; comments from {@code #} to the end
 * of the line. A rule ends at the end of its line, except inside parentheses and after {@code |}. Token references ({@code <...>}) are refused. Errors
 * name the source, line and column.
 */
public final class Gbnf {
  private final Cursor in;

  private Gbnf(String text, String source) {
    this.in = new Cursor(text, source);
  }

  /** The grammar of a {@code .gbnf} file. */
  public static Grammar read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw BadInputException.of("grammar file", file, "a readable UTF-8 GBNF file (" + e.getMessage() + ")");
    }
    return parse(text, file.toString());
  }

  /** The grammar written in {@code text}; {@code source} names it in messages. */
  public static Grammar parse(String text, String source) {
    return new Gbnf(text, source).grammar();
  }

  private Grammar grammar() {
    Map<String, Expr> rules = new LinkedHashMap<>();
    while (true) {
      space(true);
      if (in.pos >= in.text.length()) {
        break;
      }
      int at = in.pos;
      String name = name();
      if (name.isEmpty()) {
        throw in.error(at, "a rule name ([A-Za-z0-9_-]+) at the start of a rule");
      }
      space(false);
      if (!in.text.startsWith("::=", in.pos)) {
        throw in.error(in.pos, "'::=' after the rule name " + name);
      }
      in.pos += 3;
      space(true);
      Expr body = alternatives(false);
      space(false);
      if (in.pos < in.text.length() && in.text.charAt(in.pos) != '\n' && in.text.charAt(in.pos) != '\r') {
        throw in.error(in.pos, "the end of rule " + name + " (a new line), or another item");
      }
      if (rules.put(name, body) != null) {
        throw in.error(at, "one definition of rule " + name + " (it is defined again here)");
      }
    }
    if (rules.isEmpty()) {
      throw BadInputException.of(in.source, "no rules", "a GBNF grammar with a root rule");
    }
    if (!rules.containsKey("root")) {
      throw BadInputException.of(in.source + ": start rule", "root (missing)", "a rule named root, where the text starts");
    }
    return new Grammar(rules, "root", in.source);
  }

  /** Alternatives separated by {@code |} (a new line may follow a {@code |}). */
  private Expr alternatives(boolean nested) {
    List<Expr> options = new ArrayList<>();
    options.add(sequence(nested));
    while (in.pos < in.text.length() && in.text.charAt(in.pos) == '|') {
      in.pos++;
      space(true);
      options.add(sequence(nested));
    }
    return options.size() == 1 ? options.get(0) : new Alt(options);
  }

  private Expr sequence(boolean nested) {
    List<Expr> items = new ArrayList<>();
    while (true) {
      space(nested);
      if (in.pos >= in.text.length()) {
        break;
      }
      char c = in.text.charAt(in.pos);
      Expr item;
      if (c == '"') {
        item = literal();
      } else if (c == '[') {
        item = charClass();
      } else if (c == '.') {
        in.pos++;
        item = new CharClass(new int[0], true);
      } else if (c == '(') {
        int open = in.pos++;
        space(true);
        item = alternatives(true);
        space(true);
        if (in.pos >= in.text.length() || in.text.charAt(in.pos) != ')') {
          throw in.error(in.pos, "')' closing the group opened at " + in.where(open));
        }
        in.pos++;
      } else if (c == '<') {
        throw in.error(in.pos, "a literal, class, group or rule name (token references <...> are not supported)");
      } else if (isNameChar(c)) {
        int at = in.pos;
        String name = name();
        int after = in.pos;
        space(false);
        if (in.text.startsWith("::=", in.pos)) { // the next rule begins: this name is not an item
          in.pos = at;
          break;
        }
        in.pos = after;
        item = new Ref(name, in.line(at), in.column(at));
      } else {
        break;
      }
      items.add(repetitions(item, nested));
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  private Expr repetitions(Expr item, boolean nested) {
    while (true) {
      int save = in.pos;
      space(nested);
      if (in.pos >= in.text.length()) {
        in.pos = save;
        return item;
      }
      char c = in.text.charAt(in.pos);
      if (c == '*') {
        in.pos++;
        item = new Repeat(item, 0, Repeat.UNBOUNDED);
      } else if (c == '+') {
        in.pos++;
        item = new Repeat(item, 1, Repeat.UNBOUNDED);
      } else if (c == '?') {
        in.pos++;
        item = new Repeat(item, 0, 1);
      } else if (c == '{') {
        int open = in.pos++;
        int min = number(open);
        int max = min;
        if (in.pos < in.text.length() && in.text.charAt(in.pos) == ',') {
          in.pos++;
          max = in.pos < in.text.length() && in.text.charAt(in.pos) == '}' ? Repeat.UNBOUNDED : number(open);
        }
        if (in.pos >= in.text.length() || in.text.charAt(in.pos) != '}') {
          throw in.error(in.pos, "'}' closing the repetition opened at " + in.where(open));
        }
        in.pos++;
        if (max != Repeat.UNBOUNDED && max < min) {
          throw in.error(open, "a repetition {m,n} with m <= n, not {" + min + "," + max + "}");
        }
        item = new Repeat(item, min, max);
      } else {
        in.pos = save;
        return item;
      }
    }
  }

  private int number(int open) {
    int start = in.pos;
    while (in.pos < in.text.length() && Character.isDigit(in.text.charAt(in.pos)) && in.pos - start < 9) {
      in.pos++;
    }
    if (in.pos == start) {
      throw in.error(in.pos, "a count in the repetition opened at " + in.where(open));
    }
    return Integer.parseInt(in.text, start, in.pos, 10);
  }

  private Literal literal() {
    int open = in.pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.pos >= in.text.length() || in.text.charAt(in.pos) == '\n') {
        throw in.error(open, "a string literal closed by '\"' on the same line");
      }
      char c = in.text.charAt(in.pos);
      if (c == '"') {
        in.pos++;
        return new Literal(out.toString());
      }
      out.appendCodePoint(c == '\\' ? escape() : in.codePoint());
    }
  }

  private CharClass charClass() {
    int open = in.pos++;
    boolean negated = in.pos < in.text.length() && in.text.charAt(in.pos) == '^';
    if (negated) {
      in.pos++;
    }
    List<int[]> ranges = new ArrayList<>();
    while (true) {
      if (in.pos >= in.text.length() || in.text.charAt(in.pos) == '\n') {
        throw in.error(open, "a character class closed by ']' on the same line");
      }
      if (in.text.charAt(in.pos) == ']') {
        in.pos++;
        break;
      }
      int at = in.pos;
      int lo = classChar();
      int hi = lo;
      if (in.pos + 1 < in.text.length() && in.text.charAt(in.pos) == '-' && in.text.charAt(in.pos + 1) != ']') {
        in.pos++;
        hi = classChar();
        if (hi < lo) {
          throw in.error(at, "a range with its low end first, not " + new String(Character.toChars(lo)) + "-"
              + new String(Character.toChars(hi)));
        }
      }
      ranges.add(new int[] {lo, hi});
    }
    return CharClass.of(ranges, negated);
  }

  private int classChar() {
    return in.text.charAt(in.pos) == '\\' ? escape() : in.codePoint();
  }



  private int escape() {
    int at = in.pos++;
    if (in.pos >= in.text.length()) {
      throw in.error(at, "an escape after '\\'");
    }
    char c = in.text.charAt(in.pos++);
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '\\': case '"': case '[': case ']': case '-': return c;
      case 'x': return in.hex(at, 2);
      case 'u': return in.hex(at, 4);
      case 'U': return in.hex(at, 8);
      default:
        throw in.error(at, "one of the escapes \\n \\r \\t \\\\ \\\" \\[ \\] \\- \\xHH \\uHHHH \\UHHHHHHHH, not \\" + c);
    }
  }



  private String name() {
    int start = in.pos;
    while (in.pos < in.text.length() && isNameChar(in.text.charAt(in.pos))) {
      in.pos++;
    }
    return in.text.substring(start, in.pos);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** Skips blanks and comments, and new lines when {@code newlines}. */
  private void space(boolean newlines) {
    while (in.pos < in.text.length()) {
      char c = in.text.charAt(in.pos);
      if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
        in.pos++;
      } else if (c == '#') {
        while (in.pos < in.text.length() && in.text.charAt(in.pos) != '\n') {
          in.pos++;
        }
      } else {
        return;
      }
    }
  }








}
