package org.fewstep.constrain.regex;

import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.core.BadInputException;

/**
 * Regular expressions as {@link ByteAutomaton}s over UTF-8 bytes, for constrained generation.
 *
 * <p>Syntax and meaning are those of ECMAScript (ECMA-262) regular expressions in Unicode mode, the
 * dialect of JSON Schema 2020-12 {@code pattern}, as far as a finite automaton can decide them:
 * literals, {@code .} (any code point but \n, \r, U+2028, U+2029), classes {@code [...]} and
 * {@code [^...]} with ranges, {@code \d \D \w \W \s \S}, character escapes {@code \t \n \r \f \v \0
 * \cX \xHH} <code>&#92;uHHHH &#92;u{H...}</code> and escaped punctuation, groups {@code (...)}, {@code (?:...)},
 * {@code (?<name>...)} (all non-capturing here), alternation, greedy and lazy quantifiers {@code *
 * + ? {n} {n,} {n,m}} (lazy ones denote the same language), and the anchors {@code ^} and
 * {@code $} (start and end of input; no multiline mode). Lookaround, {@code \b}, {@code \B},
 * backreferences, {@code \p{...}} and flags or inline modifiers throw {@link BadInputException}, as
 * do malformed patterns; the message names the pattern and the offset.
 *
 * <p>The language is over code points and the automaton reads their UTF-8 encodings: it accepts
 * valid UTF-8 only (no surrogates, no overlong forms). Construction: a parse tree, a Thompson NFA
 * over byte ranges pruned by co-reachability, and a DFA made lazily by subset construction as it is
 * walked, capped at {@link #MAX_STATES} states (a step that would need more throws
 * {@link BadInputException} naming the pattern). Automata are safe to walk from several threads.
 */
public final class Regex {
  /** The most DFA states an automaton makes before a step throws. */
  public static final int MAX_STATES = 100_000;

  private Regex() {}

  /**
   * The strings that {@code pattern} matches whole, as if written {@code ^(?:pattern)$}: the usual
   * meaning of a regular expression constraint on generated text.
   */
  public static ByteAutomaton fullMatch(String pattern) {
    return compile(pattern, false, MAX_STATES);
  }

  /**
   * The strings in which {@code pattern} matches somewhere, as JSON Schema's {@code pattern} keyword
   * requires (patterns are not implicitly anchored: {@code "a+"} accepts {@code "xxaay"}, while
   * {@code "^a+$"} accepts only runs of a).
   */
  public static ByteAutomaton search(String pattern) {
    return compile(pattern, true, MAX_STATES);
  }

  /**
   * The insides of JSON string literals (the text between the quotes, escapes included) whose
   * decoded value {@code pattern} matches: somewhere when {@code search} (JSON Schema's
   * {@code pattern}), whole otherwise. Each character may be written in any way RFC 8259 allows
   * except as an escaped surrogate pair: raw UTF-8 (not a quote, backslash or control character), a
   * two-character escape, or {@code \}{@code uXXXX}. {@code ^} and {@code $} mark the value's ends.
   */
  public static ByteAutomaton jsonStringBody(String pattern, boolean search) {
    return compile(pattern, search, MAX_STATES, Encoding.JSON_STRING);
  }

  static LazyDfa compile(String pattern, boolean search, int maxStates) {
    return compile(pattern, search, maxStates, Encoding.UTF8);
  }

  private static LazyDfa compile(String pattern, boolean search, int maxStates, Encoding encoding) {
    if (pattern == null) {
      throw BadInputException.of("pattern", null, "a regular expression");
    }
    Node root = Parser.parse(pattern);
    if (search) {
      Node any = new Node.Repeat(new Node.Chars(CodePoints.ANY), 0, Node.UNBOUNDED);
      root = new Node.Concat(java.util.List.of(any, root, any));
    }
    String kind = (encoding == Encoding.JSON_STRING ? "json-string-" : "") + (search ? "search:" : "regex:");
    return new LazyDfa(new Nfa(root, pattern, encoding), pattern, kind + pattern, maxStates);
  }
}
