package org.fewstep.text.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fewstep.core.Rng;

/**
 * A PCFG oracle for the tests, written without any of {@link Pcfg}'s code: grammars in a subset of
 * the format (one alternative per line, {@code Lhs -> sym ... [p]}, symbols separated by spaces,
 * terminals in double quotes without escapes), the finite language of a grammar without recursion by
 * expanding every derivation, and the inside probability of a sentence by recursion over spans for a
 * grammar without empty or unit rules.
 */
final class TestGrammar {
  /** A rule; terminals keep their quotes. */
  record Rule(String lhs, List<String> rhs, double p) {}

  final List<Rule> rules;

  TestGrammar(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  static TestGrammar parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] words = line.replaceAll("#.*", "").trim().split("\\s+");
      if (words.length < 3) {
        continue;
      }
      String p = words[words.length - 1];
      rules.add(new Rule(words[0], List.of(words).subList(2, words.length - 1),
          Double.parseDouble(p.substring(1, p.length() - 1))));
    }
    return new TestGrammar(rules);
  }

  String text() {
    StringBuilder out = new StringBuilder();
    for (Rule r : rules) {
      out.append(r.lhs()).append(" ->");
      r.rhs().forEach(s -> out.append(' ').append(s));
      out.append(" [").append(r.p()).append("]\n");
    }
    return out.toString();
  }

  String start() {
    return rules.get(0).lhs();
  }

  static boolean isTerminal(String symbol) {
    return symbol.startsWith("\"");
  }

  static String unquote(String terminal) {
    return terminal.substring(1, terminal.length() - 1);
  }

  /** Every sentence of a grammar without recursion and its probability (the sum over its derivations). */
  Map<List<String>, Double> language() {
    return language(start(), new HashMap<>());
  }

  private Map<List<String>, Double> language(String symbol, Map<String, Map<List<String>, Double>> memo) {
    if (isTerminal(symbol)) {
      return Map.of(List.of(unquote(symbol)), 1.0);
    }
    Map<List<String>, Double> known = memo.get(symbol);
    if (known != null) {
      return known;
    }
    Map<List<String>, Double> out = new LinkedHashMap<>();
    for (Rule r : rules) {
      if (r.lhs().equals(symbol)) {
        // the language of the right-hand side: concatenations of its symbols' sentences
        Map<List<String>, Double> seq = Map.of(List.of(), r.p());
        for (String s : r.rhs()) {
          Map<List<String>, Double> next = new LinkedHashMap<>();
          for (Map.Entry<List<String>, Double> left : seq.entrySet()) {
            for (Map.Entry<List<String>, Double> right : language(s, memo).entrySet()) {
              List<String> joined = new ArrayList<>(left.getKey());
              joined.addAll(right.getKey());
              next.merge(joined, left.getValue() * right.getValue(), Double::sum);
            }
          }
          seq = next;
        }
        seq.forEach((k, v) -> out.merge(k, v, Double::sum));
      }
    }
    memo.put(symbol, out);
    return out;
  }

  /**
   * The inside probability of {@code sentence} for a grammar without empty and unit rules:
   * {@code inside(X, i, j) = sum_{X -> Y1..Yk} p sum_{splits} prod inside(Yq, span q)}, where every
   * symbol covers at least one word (so the recursion only reaches shorter spans or fewer symbols).
   */
  double inside(List<String> sentence) {
    return inside(start(), 0, sentence.size(), sentence, new HashMap<>());
  }

  private double inside(String symbol, int i, int j, List<String> w, Map<String, Double> memo) {
    if (isTerminal(symbol)) {
      return j == i + 1 && w.get(i).equals(unquote(symbol)) ? 1 : 0;
    }
    String key = symbol + " " + i + " " + j;
    Double known = memo.get(key);
    if (known != null) {
      return known;
    }
    double total = 0;
    for (Rule r : rules) {
      if (r.lhs().equals(symbol)) {
        total += r.p() * sequence(r.rhs(), 0, i, j, w, memo);
      }
    }
    memo.put(key, total);
    return total;
  }

  private double sequence(List<String> rhs, int from, int i, int j, List<String> w, Map<String, Double> memo) {
    if (from == rhs.size()) {
      return i == j ? 1 : 0;
    }
    double total = 0;
    for (int m = i + 1; m <= j - (rhs.size() - from - 1); m++) {
      double left = inside(rhs.get(from), i, m, w, memo);
      if (left != 0) {
        total += left * sequence(rhs, from + 1, m, j, w, memo);
      }
    }
    return total;
  }

  /**
   * A random grammar without recursion over the terminals a and b: nonterminals N0..N3, each with 1
   * to 3 alternatives of 0 to 2 symbols, which use only later nonterminals (so the language is
   * finite); empty, unit and ambiguous rules are common. Repeated alternatives are merged and
   * unreachable nonterminals dropped, as {@link Pcfg} requires.
   */
  static TestGrammar random(Rng rng) {
    int n = 4;
    Map<String, Double> merged = new LinkedHashMap<>();
    for (int x = 0; x < n; x++) {
      int alternatives = 1 + rng.nextInt(3);
      double[] weights = new double[alternatives];
      double sum = 0;
      for (int a = 0; a < alternatives; a++) {
        weights[a] = 0.05 + rng.nextDouble();
        sum += weights[a];
      }
      for (int a = 0; a < alternatives; a++) {
        StringBuilder rule = new StringBuilder("N" + x + " ->");
        int length = rng.nextInt(3);
        for (int q = 0; q < length; q++) {
          boolean terminal = x == n - 1 || rng.nextInt(2) == 0;
          rule.append(' ').append(terminal ? (rng.nextInt(2) == 0 ? "\"a\"" : "\"b\"")
              : "N" + (x + 1 + rng.nextInt(n - 1 - x)));
        }
        merged.merge(rule.toString(), weights[a] / sum, Double::sum);
      }
    }
    Set<String> reachable = new LinkedHashSet<>(List.of("N0"));
    List<Rule> rules = new ArrayList<>();
    for (int x = 0; x < n; x++) {
      for (Map.Entry<String, Double> e : merged.entrySet()) {
        String[] words = e.getKey().split(" ");
        if (words[0].equals("N" + x) && reachable.contains(words[0])) {
          List<String> rhs = List.of(words).subList(2, words.length);
          rhs.stream().filter(s -> !isTerminal(s)).forEach(reachable::add);
          rules.add(new Rule(words[0], rhs, e.getValue()));
        }
      }
    }
    return new TestGrammar(rules);
  }
}
