package org.fewstep.constrain.regex;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;

/**
 * A recursive-descent parser for the ECMAScript (ECMA-262, Unicode mode) regular expressions that
 * JSON Schema 2020-12 uses for {@code pattern}, restricted to what a finite automaton can decide:
 * assertions other than {@code ^} and {@code $}, backreferences, Unicode property escapes and
 * modifiers are refused with the offset where they start. Offsets are indices into the pattern
 * string (UTF-16 chars). Two leniencies of the non-Unicode grammar (ECMA-262 Annex B) are kept
 * because they are unambiguous: any non-alphanumeric character may be escaped ({@code \-},
 * {@code \:}), and a lone {@code ]} or {@code }} is a literal.
 */
final class Parser {
  static final String SUPPORTED = "the ECMAScript subset of JSON Schema patterns: literals, ., [...] and [^...] classes"
      + " with ranges, \\d \\D \\w \\W \\s \\S, escapes \\t \\n \\r \\f \\v \\0 \\cX \\xHH \\uHHHH \\u{H...} and escaped"
      + " punctuation, groups (...) (?:...) (?<name>...), alternation |, quantifiers * + ? {n} {n,} {n,m} (greedy or"
      + " lazy), anchors ^ and $";

  private final String pattern;
  private int pos;

  private Parser(String pattern) {
    this.pattern = pattern;
  }

  static Node parse(String pattern) {
    Parser p = new Parser(pattern);
    Node n = p.alternation();
    if (p.pos < pattern.length()) { // only ')' stops an alternation early
      throw p.error(p.pos, "an unmatched ')'", "balanced parentheses");
    }
    return n;
  }

  BadInputException error(int at, String found, String expected) {
    return BadInputException.of("pattern", quote(pattern),
        expected + " (at offset " + at + ": " + found + ")");
  }

  private BadInputException unsupported(int at, String what) {
    return BadInputException.of("pattern", quote(pattern),
        SUPPORTED + " (at offset " + at + ": " + what + " is not supported)");
  }

  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private boolean more() {
    return pos < pattern.length();
  }

  private char peek() {
    return pattern.charAt(pos);
  }

  private boolean lookingAt(String s) {
    return pattern.startsWith(s, pos);
  }

  private Node alternation() {
    List<Node> options = new ArrayList<>();
    options.add(sequence());
    while (more() && peek() == '|') {
      pos++;
      options.add(sequence());
    }
    return options.size() == 1 ? options.get(0) : new Node.Alt(options);
  }

  private Node sequence() {
    List<Node> items = new ArrayList<>();
    while (more() && peek() != '|' && peek() != ')') {
      items.add(term());
    }
    return items.size() == 1 ? items.get(0) : new Node.Concat(items);
  }

  private Node term() {
    char c = peek();
    if (c == '^' || c == '$') {
      pos++;
      if (more() && quantifierStart()) {
        throw error(pos, "a quantifier after the anchor '" + c + "'", "a quantifier after something that can be repeated");
      }
      return new Node.Anchor(c == '^');
    }
    Node atom = atom();
    if (!more() || !quantifierStart()) {
      return atom;
    }
    int qAt = pos;
    int min;
    int max;
    char q = peek();
    if (q == '{') {
      int[] bounds = braces();
      min = bounds[0];
      max = bounds[1];
    } else {
      pos++;
      min = q == '+' ? 1 : 0;
      max = q == '?' ? 1 : Node.UNBOUNDED;
    }
    if (more() && peek() == '?') {
      pos++; // lazy: the same language
    }
    if (more() && quantifierStart()) {
      throw error(pos, "a second quantifier", "one quantifier per atom (group it: (?:...){n})");
    }
    if (max != Node.UNBOUNDED && max < min) {
      throw error(qAt, "{" + min + "," + max + "}", "a quantifier {n,m} with n <= m");
    }
    return new Node.Repeat(atom, min, max);
  }

  /** Whether a quantifier starts here: * + ? or a well-formed {n}, {n,}, {n,m}. */
  private boolean quantifierStart() {
    char c = peek();
    if (c == '*' || c == '+' || c == '?') {
      return true;
    }
    if (c != '{') {
      return false;
    }
    int save = pos;
    try {
      braces();
      return true;
    } catch (BadInputException e) {
      return false;
    } finally {
      pos = save;
    }
  }

  /** Parses {n}, {n,} or {n,m} at pos ('{'); bounds saturate at Integer.MAX_VALUE. */
  private int[] braces() {
    int at = pos;
    pos++;
    int min = number(at);
    int max = min;
    if (more() && peek() == ',') {
      pos++;
      max = more() && peek() >= '0' && peek() <= '9' ? number(at) : Node.UNBOUNDED;
    }
    if (!more() || peek() != '}') {
      throw error(at, "'{' that starts no quantifier", "a quantifier {n}, {n,} or {n,m} (write \\{ for a literal brace)");
    }
    pos++;
    return new int[] {min, max};
  }

  private int number(int braceAt) {
    int start = pos;
    long v = 0;
    while (more() && peek() >= '0' && peek() <= '9') {
      v = Math.min(Integer.MAX_VALUE, v * 10 + (peek() - '0'));
      pos++;
    }
    if (pos == start) {
      throw error(braceAt, "'{' that starts no quantifier", "a quantifier {n}, {n,} or {n,m} (write \\{ for a literal brace)");
    }
    return (int) v;
  }

  private Node atom() {
    int at = pos;
    char c = peek();
    switch (c) {
      case '.':
        pos++;
        return new Node.Chars(CodePoints.DOT);
      case '(':
        return group();
      case '[':
        return new Node.Chars(charClass());
      case '\\':
        return new Node.Chars(escape(false));
      case '*':
      case '+':
      case '?':
        throw error(at, "'" + c + "' with nothing before it", "a quantifier after something that can be repeated");
      case '{':
        if (quantifierStart()) {
          throw error(at, "'{' with nothing before it", "a quantifier after something that can be repeated");
        }
        throw error(at, "'{' that starts no quantifier", "a quantifier {n}, {n,} or {n,m} (write \\{ for a literal brace)");
      default:
        return new Node.Chars(CodePoints.single(codePoint()));
    }
  }

  /** A literal code point of the pattern itself; a lone surrogate char is malformed. */
  private int codePoint() {
    int cp = pattern.codePointAt(pos);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      throw error(pos, String.format("the lone surrogate U+%04X", cp), "a well-formed string (surrogates only in pairs)");
    }
    pos += Character.charCount(cp);
    return cp;
  }

  private Node group() {
    int open = pos;
    pos++;
    if (lookingAt("?")) {
      if (lookingAt("?:")) {
        pos += 2;
      } else if (lookingAt("?=") || lookingAt("?!")) {
        throw unsupported(open, "the lookahead (" + pattern.substring(pos, pos + 2));
      } else if (lookingAt("?<=") || lookingAt("?<!")) {
        throw unsupported(open, "the lookbehind (" + pattern.substring(pos, pos + 3));
      } else if (lookingAt("?<")) {
        pos += 2;
        groupName(open);
      } else {
        throw unsupported(open, "the group modifier (?" + (pos + 1 < pattern.length() ? pattern.charAt(pos + 1) : "")
            + " (flags, inline modifiers)");
      }
    }
    Node body = alternation();
    if (!more()) {
      throw error(open, "a '(' never closed", "balanced parentheses");
    }
    pos++; // ')'
    return body;
  }

  private void groupName(int open) {
    int start = pos;
    while (more() && peek() != '>') {
      char c = peek();
      boolean ok = c == '_' || c == '$' || Character.isLetter(c) || pos > start && Character.isDigit(c);
      if (!ok) {
        throw error(pos, "'" + c + "' in a group name", "a group name of letters, digits, _ and $ closed by '>'");
      }
      pos++;
    }
    if (!more() || pos == start) {
      throw error(open, "a named group without a name closed by '>'", "(?<name>...) with a non-empty name");
    }
    pos++; // '>'
  }

  /** A [...] class, at pos ('['): the union of its atoms and ranges, complemented for [^...]. */
  private int[] charClass() {
    int open = pos;
    pos++;
    boolean negated = more() && peek() == '^';
    if (negated) {
      pos++;
    }
    int[] set = CodePoints.EMPTY;
    while (true) {
      if (!more()) {
        throw error(open, "a '[' never closed", "a character class closed by ']'");
      }
      if (peek() == ']') {
        pos++;
        break;
      }
      int lowAt = pos;
      int[] low = classAtom();
      if (more() && peek() == '-' && pos + 1 < pattern.length() && pattern.charAt(pos + 1) != ']') {
        pos++;
        int[] high = classAtom();
        if (!isSingle(low) || !isSingle(high)) {
          throw error(lowAt, "a range with a class escape (\\d, \\w, \\s...) as an end", "a range between two characters");
        }
        if (low[0] > high[0]) {
          throw error(lowAt, String.format("the range U+%04X-U+%04X out of order", low[0], high[0]),
              "a range whose start is not after its end");
        }
        set = CodePoints.union(set, new int[] {low[0], high[0]});
      } else {
        set = CodePoints.union(set, low);
      }
    }
    return negated ? CodePoints.complement(set) : set;
  }

  private static boolean isSingle(int[] set) {
    return set.length == 2 && set[0] == set[1];
  }

  private int[] classAtom() {
    if (peek() == '\\') {
      return escape(true);
    }
    return CodePoints.single(codePoint());
  }

  /** An escape at pos ('\'), as a set (a single code point for character escapes). */
  private int[] escape(boolean inClass) {
    int at = pos;
    pos++;
    if (!more()) {
      throw error(at, "a '\\' at the end", "a character after '\\'");
    }
    char c = peek();
    pos++;
    switch (c) {
      case 'd': return CodePoints.DIGIT;
      case 'D': return CodePoints.complement(CodePoints.DIGIT);
      case 'w': return CodePoints.WORD;
      case 'W': return CodePoints.complement(CodePoints.WORD);
      case 's': return CodePoints.SPACE;
      case 'S': return CodePoints.complement(CodePoints.SPACE);
      case 't': return CodePoints.single('\t');
      case 'n': return CodePoints.single('\n');
      case 'r': return CodePoints.single('\r');
      case 'f': return CodePoints.single('\f');
      case 'v': return CodePoints.single(0x0B);
      case 'b':
        if (inClass) {
          return CodePoints.single(0x08);
        }
        throw unsupported(at, "the word boundary assertion \\b");
      case 'B':
        throw unsupported(at, "the non-word-boundary assertion \\B");
      case '0':
        if (more() && peek() >= '0' && peek() <= '9') {
          throw unsupported(at, "the legacy octal escape \\0" + peek());
        }
        return CodePoints.single(0);
      case 'x':
        return CodePoints.single(hex(at, 2, 2));
      case 'u':
        return CodePoints.single(unicodeEscape(at));
      case 'c':
        if (more() && (peek() >= 'a' && peek() <= 'z' || peek() >= 'A' && peek() <= 'Z')) {
          return CodePoints.single(pattern.charAt(pos++) % 32);
        }
        throw error(at, "\\c not followed by a letter", "a control escape \\cA..\\cZ");
      case 'p':
      case 'P':
        throw unsupported(at, "the Unicode property escape \\" + c);
      case 'k':
        throw unsupported(at, "the named backreference \\k");
      default:
        if (c >= '1' && c <= '9') {
          throw unsupported(at, "the backreference \\" + c);
        }
        if (c < 128 && Character.isLetterOrDigit(c)) {
          throw error(at, "the unknown escape \\" + c, "a known escape (" + SUPPORTED + ")");
        }
        pos--;
        return CodePoints.single(codePoint()); // identity escape of punctuation and the like
    }
  }

  private int unicodeEscape(int at) {
    if (more() && peek() == '{') {
      pos++;
      int start = pos;
      long v = 0;
      while (more() && hexDigit(peek()) >= 0) {
        v = Math.min(v * 16 + hexDigit(peek()), Integer.MAX_VALUE);
        pos++;
      }
      if (pos == start || !more() || peek() != '}' || v > CodePoints.MAX) {
        throw error(at, "a malformed \\u{...}", "\\u{H...} with 1 or more hex digits up to 10FFFF");
      }
      pos++;
      return surrogateFree(at, (int) v);
    }
    int cp = hex(at, 4, 4);
    if (cp >= 0xD800 && cp <= 0xDBFF && lookingAt("\\u")) {
      int save = pos;
      pos += 2;
      int low = hexOrMinus(4);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        return Character.toCodePoint((char) cp, (char) low);
      }
      pos = save;
    }
    return surrogateFree(at, cp);
  }

  private int surrogateFree(int at, int cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      throw error(at, String.format("the lone surrogate U+%04X", cp),
          "a code point outside U+D800..U+DFFF (a lone surrogate has no UTF-8 encoding)");
    }
    return cp;
  }

  private int hexOrMinus(int digits) {
    int v = 0;
    for (int i = 0; i < digits; i++) {
      int d = more() ? hexDigit(peek()) : -1;
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  private static int hexDigit(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
  }

  private int hex(int at, int min, int max) {
    int v = 0;
    int n = 0;
    while (n < max && more() && hexDigit(peek()) >= 0) {
      v = v * 16 + hexDigit(peek());
      pos++;
      n++;
    }
    if (n < min) {
      String esc = pattern.substring(at, Math.min(pattern.length(), at + 2));
      throw error(at, "a malformed " + esc, esc + " followed by " + min + " hex digits");
    }
    return v;
  }
}
