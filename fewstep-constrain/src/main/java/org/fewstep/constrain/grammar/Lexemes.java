package org.fewstep.constrain.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.fewstep.constrain.ByteAutomaton;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Compiled;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Pattern;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;

/**
 * A {@link Grammar} split into lexemes and a context-free grammar over them, the form the
 * lexer-and-parser constraint reads (docs/constrain.md). A rule is inlinable when it does not reach
 * itself through references and holds no {@link Compiled} terminal; every maximal inlinable part of
 * another rule (a run of inlinable items in a sequence, an inlinable option, an inlinable rule it
 * references) becomes one lexeme, a regular expression over code points, and each compiled terminal
 * is a lexeme of its own. A part whose expression would pass {@link #MAX_WEIGHT} (counted repetitions
 * multiply) is split the same way one level down, so no lexeme's automaton grows without bound; the rest becomes productions over lexeme ids, repetitions left-recursive
 * (Earley's favourable case). Identical lexemes share an id. An inlinable start rule makes one lexeme.
 */
public final class Lexemes {
  /** The largest {@link #weight} of a rule or item merged into one lexeme (about a few NFA nodes per unit). */
  static final long MAX_WEIGHT = 20_000;

  /**
   * The lexemes' regular expressions (ECMAScript syntax, matched whole), by id; for a compiled
   * terminal, its automaton's description.
   */
  public final List<String> patterns;
  /** The grammar over lexeme ids; nonterminal 0 is the start. */
  public final Cfg cfg;
  /** The lexemes that may appear between any two others and at both ends (the grammar's ignore list). */
  public final Set<Integer> ignored;

  private final Grammar grammar;
  private final Map<String, Boolean> inlinable = new HashMap<>();
  /** Lexeme ids by their regular expression or, for a compiled terminal, its automaton. */
  private final Map<Object, Integer> lexemeIds = new LinkedHashMap<>();
  private final List<ByteAutomaton> compiled = new ArrayList<>();
  private final List<int[]> productions = new ArrayList<>();
  private final Map<String, Integer> ruleNonterminals = new HashMap<>();
  private int nonterminals;

  private Lexemes(Grammar grammar) {
    this.grammar = grammar;
    for (String name : grammar.rules().keySet()) {
      if (reachesItself(name)) {
        inlinable.put(name, false);
      }
    }
    for (String name : grammar.rules().keySet()) {
      inlinable(name);
    }
    nonterminals = 1;
    int start = nonterminal(grammar.start()); // the start rule's own nonterminal
    productions.add(new int[] {0, start});
    Set<Integer> ignore = new HashSet<>();
    for (Expr e : grammar.ignore()) {
      if (!isInlinable(e)) {
        throw org.fewstep.core.BadInputException.of(grammar.source() + ": ignored text", e,
            "a regular expression (no rule that reaches itself)");
      }
      ignore.add(lexeme(regex(e)));
    }
    this.ignored = Set.copyOf(ignore);
    List<String> names = new ArrayList<>();
    for (Object key : lexemeIds.keySet()) {
      names.add(key instanceof ByteAutomaton a ? a.describe() : (String) key);
    }
    this.patterns = List.copyOf(names);
    this.cfg = new Cfg(nonterminals, patterns.size(), productions, grammar.source());
  }

  /** Splits {@code grammar} into lexemes and productions. */
  public static Lexemes of(Grammar grammar) {
    return new Lexemes(grammar);
  }

  /** The automaton of lexeme {@code t}: its compiled terminal's, or {@code compile} of its regular expression. */
  public ByteAutomaton automaton(int t, Function<String, ByteAutomaton> compile) {
    ByteAutomaton a = compiled.get(t);
    return a != null ? a : compile.apply(patterns.get(t));
  }

  /** Whether rule {@code name} reaches itself through references. */
  private boolean reachesItself(String name) {
    Set<String> seen = new HashSet<>();
    List<String> pending = new ArrayList<>(references(grammar.rules().get(name)));
    while (!pending.isEmpty()) {
      String r = pending.remove(pending.size() - 1);
      if (r.equals(name)) {
        return true;
      }
      if (seen.add(r)) {
        pending.addAll(references(grammar.rules().get(r)));
      }
    }
    return false;
  }

  private static List<String> references(Expr e) {
    return Grammar.references(e).stream().map(Ref::name).toList();
  }

  /** Whether rule {@code name} is inlinable: decided once, the rules it references first. */
  private boolean inlinable(String name) {
    Boolean known = inlinable.get(name);
    if (known == null) {
      inlinable.put(name, false); // a cycle was ruled out above; this only guards the recursion
      known = isInlinable(grammar.rules().get(name));
      inlinable.put(name, known);
    }
    return known;
  }

  /**
   * Whether {@code e} can be part of one regular expression: no compiled terminal, only inlinable
   * rules, and a {@link #weight} within {@link #MAX_WEIGHT}; a single terminal always can.
   */
  private boolean isInlinable(Expr e) {
    if (e instanceof Literal || e instanceof CharClass || e instanceof Pattern) {
      return true;
    }
    return !(e instanceof Compiled) && Grammar.references(e).stream().allMatch(r -> inlinable(r.name()))
        && !holdsCompiled(e) && weight(e) <= MAX_WEIGHT;
  }

  private static boolean holdsCompiled(Expr e) {
    if (e instanceof Compiled) {
      return true;
    } else if (e instanceof Seq s) {
      return s.items().stream().anyMatch(Lexemes::holdsCompiled);
    } else if (e instanceof Alt a) {
      return a.options().stream().anyMatch(Lexemes::holdsCompiled);
    } else if (e instanceof Repeat r) {
      return holdsCompiled(r.body());
    }
    return false;
  }

  private final Map<String, Long> ruleWeights = new HashMap<>();

  /**
   * The size of {@code e}'s regular expression, inlinable references expanded: characters of
   * literals and patterns, ranges of classes, counted repetitions multiplied out; saturating.
   */
  private long weight(Expr e) {
    if (e instanceof Literal l) {
      return l.text().length();
    } else if (e instanceof CharClass c) {
      return c.ranges().length / 2 + 1;
    } else if (e instanceof Pattern p) {
      return p.regex().length();
    } else if (e instanceof Seq s) {
      long total = 0;
      for (Expr item : s.items()) {
        total = Math.min(Long.MAX_VALUE / 4, total + weight(item));
      }
      return total;
    } else if (e instanceof Alt a) {
      long total = 1;
      for (Expr option : a.options()) {
        total = Math.min(Long.MAX_VALUE / 4, total + weight(option));
      }
      return total;
    } else if (e instanceof Repeat r) {
      long copies = r.max() == Repeat.UNBOUNDED ? r.min() + 1L : r.max();
      return Math.min(Long.MAX_VALUE / 4, Math.max(1, copies) * Math.min(weight(r.body()), Integer.MAX_VALUE));
    } else if (e instanceof Ref r) {
      Long known = ruleWeights.get(r.name());
      if (known == null) {
        ruleWeights.put(r.name(), Long.MAX_VALUE / 4); // only inlinable (non-recursive) rules are weighed
        known = weight(grammar.rules().get(r.name()));
        ruleWeights.put(r.name(), known);
      }
      return known;
    }
    return Long.MAX_VALUE / 4;
  }

  /** The nonterminal of rule {@code name}, its productions made on first use. */
  private int nonterminal(String name) {
    Integer known = ruleNonterminals.get(name);
    if (known != null) {
      return known;
    }
    int a = nonterminals++;
    ruleNonterminals.put(name, a);
    Expr body = grammar.rules().get(name);
    if (inlinable(name)) {
      productions.add(new int[] {a, ~lexeme(regex(body))});
    } else {
      alternatives(a, body);
    }
    return a;
  }

  /** Productions {@code a -> ...} for each option of {@code e}. */
  private void alternatives(int a, Expr e) {
    if (e instanceof Alt alt) {
      for (Expr option : alt.options()) {
        productions.add(prepend(a, sequence(option)));
      }
    } else {
      productions.add(prepend(a, sequence(e)));
    }
  }

  private static int[] prepend(int a, List<Integer> rhs) {
    int[] p = new int[rhs.size() + 1];
    p[0] = a;
    for (int i = 0; i < rhs.size(); i++) {
      p[i + 1] = rhs.get(i);
    }
    return p;
  }

  /** The symbols of {@code e} as a sequence: runs of regular items merged into one lexeme each. */
  private List<Integer> sequence(Expr e) {
    List<Expr> items = e instanceof Seq s ? s.items() : List.of(e);
    List<Integer> out = new ArrayList<>();
    List<Expr> run = new ArrayList<>();
    for (Expr item : items) {
      if (isInlinable(item)) {
        run.add(item);
        continue;
      }
      flush(run, out);
      out.add(symbol(item));
    }
    flush(run, out);
    return out;
  }

  private void flush(List<Expr> run, List<Integer> out) {
    if (!run.isEmpty()) {
      out.add(~lexeme(regex(run.size() == 1 ? run.get(0) : new Seq(List.copyOf(run)))));
      run.clear();
    }
  }

  /** One symbol for a non-regular item. */
  private int symbol(Expr item) {
    if (item instanceof Ref r) {
      return nonterminal(r.name());
    }
    if (item instanceof Compiled c) {
      return ~lexeme(c.automaton());
    }
    int a = nonterminals++;
    if (item instanceof Repeat rep) {
      repeat(a, rep);
    } else {
      alternatives(a, item);
    }
    return a;
  }

  /** {@code a -> body{min,max}}: min copies, then a left-recursive star or a chain of optional copies. */
  private void repeat(int a, Repeat rep) {
    int body = nonterminals++;
    alternatives(body, rep.body());
    List<Integer> rhs = new ArrayList<>();
    for (int i = 0; i < rep.min(); i++) {
      rhs.add(body);
    }
    if (rep.max() == Repeat.UNBOUNDED) {
      int star = nonterminals++;
      productions.add(new int[] {star});
      productions.add(new int[] {star, star, body});
      rhs.add(star);
    } else if (rep.max() > rep.min()) {
      // opt_k -> empty | body opt_{k-1}, opt_1 -> empty | body
      int previous = -1;
      for (int k = 1; k <= rep.max() - rep.min(); k++) {
        int opt = nonterminals++;
        productions.add(new int[] {opt});
        productions.add(previous < 0 ? new int[] {opt, body} : new int[] {opt, body, previous});
        previous = opt;
      }
      rhs.add(previous);
    }
    productions.add(prepend(a, rhs));
  }

  /** The id of the lexeme with this regular expression (a String) or compiled automaton. */
  private int lexeme(Object key) {
    return lexemeIds.computeIfAbsent(key, k -> {
      compiled.add(k instanceof ByteAutomaton a ? a : null);
      return lexemeIds.size();
    });
  }

  /** The regular expression of a regular {@code e}, references expanded. */
  String regex(Expr e) {
    if (e instanceof Literal l) {
      StringBuilder out = new StringBuilder();
      l.text().codePoints().forEach(cp -> out.append(escape(cp)));
      return out.toString();
    } else if (e instanceof CharClass c) {
      StringBuilder out = new StringBuilder(c.negated() ? "[^" : "[");
      int[] r = c.ranges();
      if (r.length == 0 && c.negated()) {
        return "[\\u{0}-\\u{10FFFF}]";
      }
      if (r.length == 0) {
        return "[^\\u{0}-\\u{10FFFF}]";
      }
      for (int i = 0; i < r.length; i += 2) {
        out.append(escape(r[i]));
        if (r[i + 1] != r[i]) {
          out.append('-').append(escape(r[i + 1]));
        }
      }
      return out.append(']').toString();
    } else if (e instanceof Pattern p) {
      return "(?:" + p.regex() + ")";
    } else if (e instanceof Ref r) {
      return "(?:" + regex(grammar.rules().get(r.name())) + ")";
    } else if (e instanceof Seq s) {
      StringBuilder out = new StringBuilder();
      for (Expr item : s.items()) {
        out.append(item instanceof Alt ? "(?:" + regex(item) + ")" : regex(item));
      }
      return out.toString();
    } else if (e instanceof Alt a) {
      List<String> options = new ArrayList<>();
      for (Expr o : a.options()) {
        options.add(regex(o));
      }
      return String.join("|", options);
    } else {
      Repeat rep = (Repeat) e;
      String body = "(?:" + regex(rep.body()) + ")";
      if (rep.max() == Repeat.UNBOUNDED) {
        return body + (rep.min() == 0 ? "*" : rep.min() == 1 ? "+" : "{" + rep.min() + ",}");
      }
      return body + "{" + rep.min() + "," + rep.max() + "}";
    }
  }

  /** A code point written safely inside or outside a class: ASCII letters and digits as they are. */
  private static String escape(int cp) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == ' ' || cp == '_') {
      return new String(Character.toChars(cp));
    }
    return "\\u{" + Integer.toHexString(cp) + "}";
  }
}
