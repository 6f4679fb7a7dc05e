package org.fewstep.constrain.grammar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fewstep.constrain.grammar.Grammar.Alt;
import org.fewstep.constrain.grammar.Grammar.CharClass;
import org.fewstep.constrain.grammar.Grammar.Expr;
import org.fewstep.constrain.grammar.Grammar.Literal;
import org.fewstep.constrain.grammar.Grammar.Pattern;
import org.fewstep.constrain.grammar.Grammar.Ref;
import org.fewstep.constrain.grammar.Grammar.Repeat;
import org.fewstep.constrain.grammar.Grammar.Seq;

/**
 * A {@link Grammar} split into lexemes and a context-free grammar over them, the form the
 * lexer-and-parser constraint reads (docs/constrain.md). A rule is regular when it does not reach
 * itself through references; every maximal regular part of a non-regular rule (a run of regular items
 * in a sequence, a regular option, a regular rule it references) becomes one lexeme, a regular
 * expression over code points; the rest becomes productions over lexeme ids, repetitions left-recursive
 * (Earley's favourable case). Identical lexemes share an id. A regular start rule makes one lexeme.
 */
public final class Lexemes {
  /** The lexemes' regular expressions (ECMAScript syntax, matched whole), by id. */
  public final List<String> patterns;
  /** The grammar over lexeme ids; nonterminal 0 is the start. */
  public final Cfg cfg;
  /** The lexemes that may appear between any two others and at both ends (the grammar's ignore list). */
  public final Set<Integer> ignored;

  private final Grammar grammar;
  private final Map<String, Boolean> regular = new HashMap<>();
  private final Map<String, Integer> lexemeIds = new LinkedHashMap<>();
  private final List<int[]> productions = new ArrayList<>();
  private final Map<String, Integer> ruleNonterminals = new HashMap<>();
  private int nonterminals;

  private Lexemes(Grammar grammar) {
    this.grammar = grammar;
    for (String name : grammar.rules().keySet()) {
      regular.put(name, !reachesItself(name));
    }
    nonterminals = 1;
    int start = nonterminal(grammar.start()); // the start rule's own nonterminal
    productions.add(new int[] {0, start});
    Set<Integer> ignore = new HashSet<>();
    for (Expr e : grammar.ignore()) {
      if (!isRegular(e)) {
        throw org.fewstep.core.BadInputException.of(grammar.source() + ": ignored text", e,
            "a regular expression (no rule that reaches itself)");
      }
      ignore.add(lexeme(regex(e)));
    }
    this.ignored = Set.copyOf(ignore);
    this.patterns = List.copyOf(lexemeIds.keySet());
    this.cfg = new Cfg(nonterminals, patterns.size(), productions, grammar.source());
  }

  /** Splits {@code grammar} into lexemes and productions. */
  public static Lexemes of(Grammar grammar) {
    return new Lexemes(grammar);
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

  private boolean isRegular(Expr e) {
    for (String r : references(e)) {
      if (!regular.get(r)) {
        return false;
      }
    }
    return true;
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
    if (isRegular(body)) {
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
      if (isRegular(item)) {
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

  private int lexeme(String regex) {
    return lexemeIds.computeIfAbsent(regex, r -> lexemeIds.size());
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
