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
  private final String text;
  private final String source;
  private int pos;

  private Gbnf(String text, String source) {
    this.text = text;
    this.source = source;
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
      if (pos >= text.length()) {
        break;
      }
      int at = pos;
      String name = name();
      if (name.isEmpty()) {
        throw error(at, "a rule name ([A-Za-z0-9_-]+) at the start of a rule");
      }
      space(false);
      if (!text.startsWith("::=", pos)) {
        throw error(pos, "'::=' after the rule name " + name);
      }
      pos += 3;
      space(true);
      Expr body = alternatives(false);
      space(false);
      if (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
        throw error(pos, "the end of rule " + name + " (a new line), or another item");
      }
      if (rules.put(name, body) != null) {
        throw error(at, "one definition of rule " + name + " (it is defined again here)");
      }
    }
    if (rules.isEmpty()) {
      throw BadInputException.of(source, "no rules", "a GBNF grammar with a root rule");
    }
    if (!rules.containsKey("root")) {
      throw BadInputException.of(source + ": start rule", "root (missing)", "a rule named root, where the text starts");
    }
    return new Grammar(rules, "root", source);
  }

  /** Alternatives separated by {@code |} (a new line may follow a {@code |}). */
  private Expr alternatives(boolean nested) {
    List<Expr> options = new ArrayList<>();
    options.add(sequence(nested));
    while (pos < text.length() && text.charAt(pos) == '|') {
      pos++;
      space(true);
      options.add(sequence(nested));
    }
    return options.size() == 1 ? options.get(0) : new Alt(options);
  }

  private Expr sequence(boolean nested) {
    List<Expr> items = new ArrayList<>();
    while (true) {
      space(nested);
      if (pos >= text.length()) {
        break;
      }
      char c = text.charAt(pos);
      Expr item;
      if (c == '"') {
        item = literal();
      } else if (c == '[') {
        item = charClass();
      } else if (c == '.') {
        pos++;
        item = new CharClass(new int[0], true);
      } else if (c == '(') {
        int open = pos++;
        space(true);
        item = alternatives(true);
        space(true);
        if (pos >= text.length() || text.charAt(pos) != ')') {
          throw error(pos, "')' closing the group opened at " + where(open));
        }
        pos++;
      } else if (c == '<') {
        throw error(pos, "a literal, class, group or rule name (token references <...> are not supported)");
      } else if (isNameChar(c)) {
        int at = pos;
        String name = name();
        int after = pos;
        space(false);
        if (text.startsWith("::=", pos)) { // the next rule begins: this name is not an item
          pos = at;
          break;
        }
        pos = after;
        item = new Ref(name, line(at), column(at));
      } else {
        break;
      }
      items.add(repetitions(item, nested));
    }
    return items.size() == 1 ? items.get(0) : new Seq(items);
  }

  private Expr repetitions(Expr item, boolean nested) {
    while (true) {
      int save = pos;
      space(nested);
      if (pos >= text.length()) {
        pos = save;
        return item;
      }
      char c = text.charAt(pos);
      if (c == '*') {
        pos++;
        item = new Repeat(item, 0, Repeat.UNBOUNDED);
      } else if (c == '+') {
        pos++;
        item = new Repeat(item, 1, Repeat.UNBOUNDED);
      } else if (c == '?') {
        pos++;
        item = new Repeat(item, 0, 1);
      } else if (c == '{') {
        int open = pos++;
        int min = number(open);
        int max = min;
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
          max = pos < text.length() && text.charAt(pos) == '}' ? Repeat.UNBOUNDED : number(open);
        }
        if (pos >= text.length() || text.charAt(pos) != '}') {
          throw error(pos, "'}' closing the repetition opened at " + where(open));
        }
        pos++;
        if (max != Repeat.UNBOUNDED && max < min) {
          throw error(open, "a repetition {m,n} with m <= n, not {" + min + "," + max + "}");
        }
        item = new Repeat(item, min, max);
      } else {
        pos = save;
        return item;
      }
    }
  }

  private int number(int open) {
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos)) && pos - start < 9) {
      pos++;
    }
    if (pos == start) {
      throw error(pos, "a count in the repetition opened at " + where(open));
    }
    return Integer.parseInt(text, start, pos, 10);
  }

  private Literal literal() {
    int open = pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw error(open, "a string literal closed by '\"' on the same line");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return new Literal(out.toString());
      }
      out.appendCodePoint(c == '\\' ? escape() : nextCodePoint());
    }
  }

  private CharClass charClass() {
    int open = pos++;
    boolean negated = pos < text.length() && text.charAt(pos) == '^';
    if (negated) {
      pos++;
    }
    List<int[]> ranges = new ArrayList<>();
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw error(open, "a character class closed by ']' on the same line");
      }
      if (text.charAt(pos) == ']') {
        pos++;
        break;
      }
      int at = pos;
      int lo = classChar();
      int hi = lo;
      if (pos + 1 < text.length() && text.charAt(pos) == '-' && text.charAt(pos + 1) != ']') {
        pos++;
        hi = classChar();
        if (hi < lo) {
          throw error(at, "a range with its low end first, not " + new String(Character.toChars(lo)) + "-"
              + new String(Character.toChars(hi)));
        }
      }
      ranges.add(new int[] {lo, hi});
    }
    return new CharClass(normalize(ranges), negated);
  }

  /** Sorted, merged, flattened ranges. */
  static int[] normalize(List<int[]> ranges) {
    ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    for (int[] r : ranges) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r[0] <= last[1] + 1) {
        last[1] = Math.max(last[1], r[1]);
      } else {
        merged.add(new int[] {r[0], r[1]});
      }
    }
    int[] out = new int[2 * merged.size()];
    for (int i = 0; i < merged.size(); i++) {
      out[2 * i] = merged.get(i)[0];
      out[2 * i + 1] = merged.get(i)[1];
    }
    return out;
  }

  private int classChar() {
    return text.charAt(pos) == '\\' ? escape() : nextCodePoint();
  }

  private int nextCodePoint() {
    int cp = text.codePointAt(pos);
    pos += Character.charCount(cp);
    return cp;
  }

  private int escape() {
    int at = pos++;
    if (pos >= text.length()) {
      throw error(at, "an escape after '\\'");
    }
    char c = text.charAt(pos++);
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '\\': case '"': case '[': case ']': case '-': return c;
      case 'x': return hex(at, 2);
      case 'u': return hex(at, 4);
      case 'U': return hex(at, 8);
      default:
        throw error(at, "one of the escapes \\n \\r \\t \\\\ \\\" \\[ \\] \\- \\xHH \\uHHHH \\UHHHHHHHH, not \\" + c);
    }
  }

  private int hex(int at, int digits) {
    if (pos + digits > text.length()) {
      throw error(at, digits + " hex digits in the escape");
    }
    int value;
    try {
      value = Integer.parseUnsignedInt(text.substring(pos, pos + digits), 16);
    } catch (NumberFormatException e) {
      throw error(at, digits + " hex digits in the escape, not '" + text.substring(pos, pos + digits) + "'");
    }
    pos += digits;
    if (value > Character.MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
      throw error(at, "a Unicode scalar value (not a surrogate, at most 10FFFF), not " + Integer.toHexString(value));
    }
    return value;
  }

  private String name() {
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** Skips blanks and comments, and new lines when {@code newlines}. */
  private void space(boolean newlines) {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
        pos++;
      } else if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private int line(int at) {
    int line = 1;
    for (int i = 0; i < at; i++) {
      line += text.charAt(i) == '\n' ? 1 : 0;
    }
    return line;
  }

  private int column(int at) {
    int start = text.lastIndexOf('\n', at - 1) + 1;
    return at - start + 1;
  }

  private String where(int at) {
    return line(at) + ":" + column(at);
  }

  private BadInputException error(int at, String expected) {
    String found = at >= text.length() ? "the end of the text"
        : "'" + text.substring(at, Math.min(text.length(), text.indexOf('\n', at) < 0 ? text.length()
            : Math.min(text.indexOf('\n', at), at + 20))) + "'";
    return BadInputException.of(source + ":" + where(at), found, expected);
  }
}
