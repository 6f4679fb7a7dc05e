package org.fewstep.text.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.fewstep.core.BadInputException;
import org.fewstep.text.token.SymbolTokenizer;

/**
 * Reads the PCFG text format of {@code docs/pcfg-format.md}: one rule per line,
 * {@code Lhs -> sym sym [p] | sym [p]}, terminals double-quoted, {@code #} comments, a line that
 * starts with {@code |} continuing the rules of the last left-hand side. Syntax errors name the line
 * and column.
 */
final class PcfgReader {
  private static final Pattern NUMBER = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  /** A grammar symbol as written: a nonterminal name or a terminal's text. */
  record Symbol(String text, boolean terminal) {}

  /** One alternative: {@code lhs -> rhs [probability]}, written on line {@code line} (1-based). */
  record Rule(String lhs, List<Symbol> rhs, double probability, int line) {}

  private final String source;
  private final String text;
  private final int line;
  private int pos;

  private PcfgReader(String source, String text, int line) {
    this.source = source;
    this.text = text;
    this.line = line;
  }

  /** The rules of {@code text} in order; {@code source} names it in errors. */
  static List<Rule> read(String text, String source) {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    String lhs = null;
    for (int i = 0; i < lines.length; i++) {
      PcfgReader in = new PcfgReader(source, lines[i], i + 1);
      in.skipSpace();
      if (in.atEnd()) {
        continue;
      }
      if (in.peek() == '|') {
        if (lhs == null) {
          throw in.error("a rule 'Name -> ...' before a line that continues one with '|'");
        }
        in.pos++;
      } else {
        lhs = in.name("a nonterminal name (the left-hand side of a rule)");
        in.skipSpace();
        if (!in.text.startsWith("->", in.pos)) {
          throw in.error("'->' after the left-hand side " + lhs);
        }
        in.pos += 2;
      }
      in.alternatives(lhs, rules);
    }
    return rules;
  }

  private void alternatives(String lhs, List<Rule> rules) {
    while (true) {
      List<Symbol> rhs = new ArrayList<>();
      skipSpace();
      while (!atEnd() && peek() != '[') {
        if (peek() == '"') {
          rhs.add(new Symbol(terminal(), true));
        } else if (isNameStart(peek())) {
          rhs.add(new Symbol(name("a symbol"), false));
        } else {
          throw error("a symbol (a nonterminal name or a quoted terminal) or a probability [p]");
        }
        skipSpace();
      }
      if (atEnd()) {
        throw error("a probability [p] at the end of the alternative");
      }
      rules.add(new Rule(lhs, List.copyOf(rhs), probability(), line));
      skipSpace();
      if (atEnd()) {
        return;
      }
      if (peek() != '|') {
        throw error("'|' or the end of the line after the probability");
      }
      pos++;
    }
  }

  private String name(String expected) {
    if (atEnd() || !isNameStart(peek())) {
      throw error(expected);
    }
    int begin = pos;
    while (pos < text.length() && isNamePart(text.codePointAt(pos))) {
      pos += Character.charCount(text.codePointAt(pos));
    }
    return text.substring(begin, pos);
  }

  private String terminal() {
    int begin = pos;
    StringBuilder out = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length()) {
        pos = begin;
        throw error("a terminal closed by '\"' on the same line");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        if (pos >= text.length() || (text.charAt(pos) != '"' && text.charAt(pos) != '\\')) {
          pos--;
          throw error("\\\" or \\\\ (the only escapes in a terminal)");
        }
        c = text.charAt(pos++);
      }
      out.append(c);
    }
    String terminal = out.toString();
    if (terminal.isEmpty() || terminal.codePoints().anyMatch(Character::isWhitespace)) {
      throw at(begin, "terminal \"" + terminal + "\": expected a non-empty terminal without whitespace"
          + " (text is split into terminals at whitespace; write an empty alternative as just [p])");
    }
    if (terminal.equals(SymbolTokenizer.EOS_TEXT)) {
      throw at(begin, "terminal \"" + terminal + "\": expected a terminal other than the end token (it is added"
          + " to every grammar's vocabulary)");
    }
    return terminal;
  }

  private double probability() {
    int begin = pos;
    pos++;
    int close = text.indexOf(']', pos);
    if (close < 0) {
      pos = begin;
      throw error("a probability closed by ']'");
    }
    String number = text.substring(pos, close).strip();
    if (!NUMBER.matcher(number).matches()) {
      throw at(begin, "probability [" + number + "]: expected a decimal number in (0, 1]");
    }
    double p = Double.parseDouble(number);
    if (!(p > 0 && p <= 1)) {
      throw at(begin, "probability [" + number + "]: expected a number in (0, 1]");
    }
    pos = close + 1;
    return p;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  /** At the end of the line or at a comment. */
  private boolean atEnd() {
    return pos >= text.length() || text.charAt(pos) == '#';
  }

  private char peek() {
    return text.charAt(pos);
  }

  private static boolean isNameStart(int c) {
    return Character.isLetter(c) || c == '_';
  }

  private static boolean isNamePart(int c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '\'';
  }

  private BadInputException error(String expected) {
    String found = atEnd() ? "the end of the line" : "'" + text.substring(pos, Math.min(text.length(), pos + 12)) + "'";
    return at(pos, "expected " + expected + ", found " + found);
  }

  private BadInputException at(int column, String message) {
    return new BadInputException(source + " line " + line + ", column " + (column + 1) + ": " + message);
  }
}
