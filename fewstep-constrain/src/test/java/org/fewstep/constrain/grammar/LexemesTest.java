package org.fewstep.constrain.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import org.junit.jupiter.api.Test;

/**
 * The split into lexemes and productions keeps the language: every string up to length 6 over each
 * grammar's alphabet is in the grammar's language (read directly from its expressions, to a fixed
 * point) exactly when the productions derive it with each lexeme matched by java.util.regex.
 */
class LexemesTest {
  static final String[][] CASES = {
      // grammar, alphabet
      {"root ::= \"(\" root \")\" root | \"\"", "()"},
      {"root ::= expr\nexpr ::= expr \"+\" term | term\nterm ::= [0-9] | \"(\" expr \")\"", "1+()"},
      {"root ::= (\"a\" | \"b\" root){2,3} \"c\"?", "abc"},
      {"root ::= value\nvalue ::= \"[\" ws (value (\",\" ws value)*)? \"]\" | [0-9]+\nws ::= \" \"*", "[], 1"},
      {"root ::= \"x\" list\nlist ::= item{0,2} | item list\nitem ::= [ab] [^ab]", "abx."},
      {"root ::= a b\na ::= \"a\"* | b\nb ::= \"b\"{1,2} | \"\"", "ab"},
  };

  @Test
  void compiledGrammarsKeepTheirLanguage() {
    for (String[] c : CASES) {
      Grammar g = Gbnf.parse(c[0], "case");
      Lexemes lx = Lexemes.of(g);
      List<java.util.regex.Pattern> patterns = new ArrayList<>();
      for (String p : lx.patterns) {
        patterns.add(java.util.regex.Pattern.compile(p.replace("\\u{", "\\x{")));
      }
      int checked = 0;
      int members = 0;
      for (String w : strings(c[1], 6)) {
        boolean direct = directMember(g, w);
        boolean compiled = compiledMember(lx, patterns, w);
        assertThat(compiled).as("grammar %s, string '%s'", c[0], w).isEqualTo(direct);
        checked++;
        members += direct ? 1 : 0;
      }
      assertThat(members).as(c[0]).isPositive().isLessThan(checked);
    }
  }

  @Test
  void aRegularStartRuleIsOneLexemeAndRunsOfRegularItemsMerge() {
    Lexemes one = Lexemes.of(Gbnf.parse("root ::= [a-z]+ (\"-\" [0-9]{2})?", "r"));
    assertThat(one.patterns).hasSize(1);
    Lexemes json = Lexemes.of(Gbnf.parse("root ::= \"{\" ws (pair (\",\" ws pair)*)? \"}\"\n"
        + "pair ::= \"k\" ws \":\" ws root\nws ::= [ ]*", "j"));
    // "{" ws, "," ws, "}" and "k" ws ":" ws are the lexemes: four, none for ws alone
    assertThat(json.patterns).hasSize(4);
  }

  static List<String> strings(String alphabet, int maxLength) {
    List<String> out = new ArrayList<>();
    out.add("");
    int from = 0;
    for (int length = 1; length <= maxLength; length++) {
      int to = out.size();
      for (int i = from; i < to; i++) {
        for (char a : alphabet.toCharArray()) {
          out.add(out.get(i) + a);
        }
      }
      from = to;
    }
    return out;
  }

  /** The end positions of {@code e} matched at {@code i}, given the rules' current end sets. */
  static Set<Integer> ends(Expr e, String w, int i, Map<String, List<Set<Integer>>> rules) {
    Set<Integer> out = new HashSet<>();
    if (e instanceof Literal l) {
      if (w.startsWith(l.text(), i)) {
        out.add(i + l.text().length());
      }
    } else if (e instanceof CharClass c) {
      if (i < w.length()) {
        int cp = w.charAt(i);
        boolean in = false;
        for (int k = 0; k < c.ranges().length; k += 2) {
          in |= cp >= c.ranges()[k] && cp <= c.ranges()[k + 1];
        }
        if (in != c.negated()) {
          out.add(i + 1);
        }
      }
    } else if (e instanceof Pattern p) {
      for (int j = i; j <= w.length(); j++) {
        if (w.substring(i, j).matches(p.regex())) {
          out.add(j);
        }
      }
    } else if (e instanceof Ref r) {
      out.addAll(rules.get(r.name()).get(i));
    } else if (e instanceof Seq s) {
      Set<Integer> at = Set.of(i);
      for (Expr item : s.items()) {
        Set<Integer> next = new HashSet<>();
        for (int k : at) {
          next.addAll(ends(item, w, k, rules));
        }
        at = next;
      }
      out.addAll(at);
    } else if (e instanceof Alt a) {
      for (Expr o : a.options()) {
        out.addAll(ends(o, w, i, rules));
      }
    } else {
      Repeat rep = (Repeat) e;
      Set<Integer> at = Set.of(i);
      Set<Integer> all = new HashSet<>();
      int max = rep.max() == Repeat.UNBOUNDED ? w.length() + 1 : rep.max();
      for (int count = 0; count <= max && !at.isEmpty(); count++) {
        if (count >= rep.min()) {
          all.addAll(at);
        }
        Set<Integer> next = new HashSet<>();
        for (int k : at) {
          next.addAll(ends(rep.body(), w, k, rules));
        }
        at = next;
      }
      out.addAll(all);
    }
    return out;
  }

  static boolean directMember(Grammar g, String w) {
    Map<String, List<Set<Integer>>> rules = new HashMap<>();
    for (String name : g.rules().keySet()) {
      List<Set<Integer>> sets = new ArrayList<>();
      for (int i = 0; i <= w.length(); i++) {
        sets.add(new HashSet<>());
      }
      rules.put(name, sets);
    }
    for (boolean changed = true; changed; ) {
      changed = false;
      for (Map.Entry<String, Expr> r : g.rules().entrySet()) {
        for (int i = 0; i <= w.length(); i++) {
          changed |= rules.get(r.getKey()).get(i).addAll(ends(r.getValue(), w, i, rules));
        }
      }
    }
    return rules.get(g.start()).get(0).contains(w.length());
  }

  /** Whether the productions derive {@code w} with lexeme t matching spans by its pattern (a fixed point). */
  static boolean compiledMember(Lexemes lx, List<java.util.regex.Pattern> patterns, String w) {
    int n = w.length();
    Cfg cfg = lx.cfg;
    boolean[][][] d = new boolean[cfg.nonterminals][n + 1][n + 1];
    for (boolean changed = true; changed; ) {
      changed = false;
      for (int p = 0; p < cfg.lhs.length; p++) {
        int[] rhs = cfg.rhs[p];
        for (int i = 0; i <= n; i++) {
          boolean[] reach = new boolean[n + 1];
          reach[i] = true;
          for (int s : rhs) {
            boolean[] next = new boolean[n + 1];
            for (int k = i; k <= n; k++) {
              if (!reach[k]) {
                continue;
              }
              for (int m = k; m <= n; m++) {
                next[m] |= s < 0 ? patterns.get(~s).matcher(w.substring(k, m)).matches() : d[s][k][m];
              }
            }
            reach = next;
          }
          for (int j = i; j <= n; j++) {
            if (reach[j] && !d[cfg.lhs[p]][i][j]) {
              d[cfg.lhs[p]][i][j] = changed = true;
            }
          }
        }
      }
    }
    return d[0][0][n];
  }
}
