package org.fewstep.constrain.grammar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;

/**
 * A context-free grammar over Unicode text as its source wrote it: named rules whose bodies are
 * EBNF expressions (sequence, alternation, bounded or unbounded repetition) over rule references and
 * regular terminals (literals, character classes, regular expressions). GBNF ({@link Gbnf}) and the
 * Lark-like syntax parse into it; the constraint compiler decides which parts are regular (lexemes)
 * and which need the parser. Every reference is checked to name a rule, with its position.
 */
public final class Grammar {

  /** A rule body. */
  public sealed interface Expr permits Seq, Alt, Repeat, Ref, Literal, CharClass, Pattern, Compiled {}

  /** Items one after another; the empty sequence matches the empty string. */
  public record Seq(List<Expr> items) implements Expr {
    public Seq {
      items = List.copyOf(items);
    }
  }

  /** One of the options. */
  public record Alt(List<Expr> options) implements Expr {
    public Alt {
      options = List.copyOf(options);
    }
  }

  /** {@code body} repeated {@code min} to {@code max} times; {@code max} is {@link #UNBOUNDED} for no bound. */
  public record Repeat(Expr body, int min, int max) implements Expr {
    public static final int UNBOUNDED = -1;
  }

  /** A reference to rule {@code name}, written at {@code line:column} of the source. */
  public record Ref(String name, int line, int column) implements Expr {}

  /** The code points of {@code text}, literally. */
  public record Literal(String text) implements Expr {}

  /**
   * One code point from sorted, disjoint, inclusive ranges {@code [lo0, hi0, lo1, hi1, ...]}, or,
   * when {@code negated}, one code point outside them.
   */
  public record CharClass(int[] ranges, boolean negated) implements Expr {
    public CharClass {
      ranges = ranges.clone();
    }

    /** The class of any {@code [lo, hi]} ranges (in any order, overlapping or not). */
    public static CharClass of(List<int[]> ranges, boolean negated) {
      List<int[]> sorted = new ArrayList<>(ranges);
      sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
      List<int[]> merged = new ArrayList<>();
      for (int[] r : sorted) {
        int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
        if (last != null && r[0] <= last[1] + 1) {
          last[1] = Math.max(last[1], r[1]);
        } else {
          merged.add(new int[] {r[0], r[1]});
        }
      }
      int[] flat = new int[2 * merged.size()];
      for (int i = 0; i < merged.size(); i++) {
        flat[2 * i] = merged.get(i)[0];
        flat[2 * i + 1] = merged.get(i)[1];
      }
      return new CharClass(flat, negated);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CharClass c && c.negated == negated && java.util.Arrays.equals(c.ranges, ranges);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(ranges) * 31 + (negated ? 1 : 0);
    }

    @Override
    public String toString() {
      return "CharClass[" + (negated ? "^" : "") + java.util.Arrays.toString(ranges) + "]";
    }
  }

  /** A regular expression (ECMAScript syntax, matched against the whole terminal). */
  public record Pattern(String regex) implements Expr {}

  /**
   * A terminal given as an automaton that a compiler built (a JSON string under a schema's
   * {@code pattern} and lengths, say): it reads the terminal's bytes and is always a lexeme of its own.
   */
  public record Compiled(org.fewstep.constrain.ByteAutomaton automaton) implements Expr {}

  private final Map<String, Expr> rules;
  private final String start;
  private final List<Expr> ignore;
  private final String source;

  /** A grammar without ignored text. */
  public Grammar(Map<String, Expr> rules, String start, String source) {
    this(rules, start, List.of(), source);
  }

  /**
   * @param rules  the rules in source order
   * @param start  the start rule's name
   * @param ignore what may appear between any two terminals and is not part of the rules (Lark's
   *               {@code %ignore}, usually white space)
   * @param source the file or a short description, for messages
   */
  public Grammar(Map<String, Expr> rules, String start, List<Expr> ignore, String source) {
    this.rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
    this.start = start;
    this.ignore = List.copyOf(ignore);
    this.source = source;
    if (!rules.containsKey(start)) {
      throw BadInputException.of(source + ": start rule", start, "a rule of the grammar (rules: "
          + String.join(", ", rules.keySet()) + ")");
    }
    for (Expr body : rules.values()) {
      checkRefs(body);
    }
    for (Expr e : ignore) {
      checkRefs(e);
    }
  }

  private void checkRefs(Expr e) {
    for (Ref r : references(e)) {
      if (!rules.containsKey(r.name())) {
        throw BadInputException.of(source + ":" + r.line() + ":" + r.column() + ": rule", r.name(),
            "a rule defined in the grammar");
      }
    }
  }

  /** The rule references in {@code e}, depth first. */
  public static List<Ref> references(Expr e) {
    List<Ref> out = new ArrayList<>();
    List<Expr> pending = new ArrayList<>(List.of(e));
    while (!pending.isEmpty()) {
      Expr x = pending.remove(pending.size() - 1);
      if (x instanceof Ref r) {
        out.add(r);
      } else if (x instanceof Seq s) {
        pending.addAll(s.items());
      } else if (x instanceof Alt a) {
        pending.addAll(a.options());
      } else if (x instanceof Repeat r) {
        pending.add(r.body());
      }
    }
    return out;
  }

  /** The rules by name, in source order. */
  public Map<String, Expr> rules() {
    return rules;
  }

  /** What may appear between any two terminals without being part of the rules. */
  public List<Expr> ignore() {
    return ignore;
  }

  /** The start rule's name. */
  public String start() {
    return start;
  }

  /** Where the grammar came from. */
  public String source() {
    return source;
  }
}
