package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fewstep.core.Rng;
import org.fewstep.text.LmState;
import org.junit.jupiter.api.Test;

/**
 * Prefix, next-token and sentence probabilities of the Earley parser against oracles: enumeration
 * of every derivation of finite grammars (fixed and random, with ambiguity, unit and empty rules),
 * closed forms for left recursion, unit cycles and empty rules inside recursion, and for a
 * recursive ambiguous grammar the inside probability of every sentence up to length 10 with the
 * prefix probabilities bracketed by the enumerated mass and the exact missing mass.
 */
class PcfgTest {
  private static final double TOLERANCE = 1e-12;
  private static final double IMPOSSIBLE = Double.NEGATIVE_INFINITY;

  static String resource(String name) throws Exception {
    return Files.readString(HiddenMarkovModelTest.resource(name));
  }

  private static int[] ids(Pcfg pcfg, List<String> words) {
    return pcfg.tokenizer().encode(String.join(" ", words));
  }

  private static double[] lastRow(Pcfg pcfg, List<String> words) {
    double[][] rows = pcfg.start().append(ids(pcfg, words));
    return Arrays.stream(rows[rows.length - 1]).map(Math::exp).toArray();
  }

  /**
   * For every prefix u of every sentence: the next-token row equals {@code P(u w ...) / P(u ...)} and
   * {@code P(u) / P(u ...)} summed over the enumerated language, and the prefix and sentence
   * log-probabilities equal the enumerated ones. Returns the number of prefixes checked.
   */
  static int checkAgainstLanguage(Pcfg pcfg, Map<List<String>, Double> language) {
    List<String> symbols = pcfg.tokenizer().symbols();
    Set<List<String>> prefixes = new LinkedHashSet<>();
    language.keySet().forEach(s -> {
      for (int k = 0; k <= s.size(); k++) {
        prefixes.add(s.subList(0, k));
      }
    });
    for (List<String> u : prefixes) {
      double pu = prefixMass(language, u);
      double[] row = lastRow(pcfg, u);
      for (int w = 0; w < symbols.size(); w++) {
        List<String> uw = new ArrayList<>(u);
        uw.add(symbols.get(w));
        assertThat(row[w]).as("P(%s | %s)", symbols.get(w), u).isCloseTo(prefixMass(language, uw) / pu,
            within(TOLERANCE));
      }
      double sentence = language.getOrDefault(u, 0.0);
      assertThat(row[symbols.size()]).as("P(end | %s)", u).isCloseTo(sentence / pu, within(TOLERANCE));
      assertThat(Arrays.stream(row).sum()).isCloseTo(1, within(1e-13));
      assertThat(pcfg.logProbability(ids(pcfg, u), false)).isCloseTo(Math.log(pu), within(1e-11));
      if (sentence > 0) {
        assertThat(pcfg.logProbability(ids(pcfg, u), true)).isCloseTo(Math.log(sentence), within(1e-11));
      }
    }
    return prefixes.size();
  }

  private static double prefixMass(Map<List<String>, Double> language, List<String> u) {
    return language.entrySet().stream()
        .filter(e -> e.getKey().size() >= u.size() && e.getKey().subList(0, u.size()).equals(u))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  @Test
  void finiteAmbiguousGrammarWithUnitAndEmptyRulesMatchesEnumeration() throws Exception {
    String text = resource("ambiguous.pcfg");
    Map<List<String>, Double> language = TestGrammar.parse(text).language();
    assertThat(language.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-14));
    Pcfg pcfg = Pcfg.parse(text);
    assertThat(pcfg.tokenizer().symbols()).containsExactly("fish", "big", "the", "swim", "in");
    assertThat(checkAgainstLanguage(pcfg, language)).isGreaterThan(100);
  }

  @Property(seed = "20261127", tries = 60)
  void randomFiniteGrammarsMatchEnumeration(@ForAll long seed) {
    TestGrammar grammar = TestGrammar.random(new Rng(seed));
    checkAgainstLanguage(Pcfg.parse(grammar.text()), grammar.language());
  }

  @Test
  void leftRecursionHasTheClosedForm() {
    // the sentences are b a^k with probability 0.7 * 0.3^k, so P(b a^k ...) = 0.3^k and after
    // b a^k the next token is a with probability 0.3 and the end with 0.7
    Pcfg pcfg = Pcfg.parse("S -> S \"a\" [0.3] | \"b\" [0.7]");
    assertThat(pcfg.tokenizer().symbols()).containsExactly("a", "b");
    LmState state = pcfg.start();
    double[][] rows = state.append(pcfg.tokenizer().encode("b a a a a a a a a a a a a a a a a a a a"));
    assertThat(rows[0]).containsExactly(Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY);
    for (int k = 1; k < rows.length; k++) {
      assertThat(Math.exp(rows[k][0])).isCloseTo(0.3, within(1e-15));
      assertThat(rows[k][1]).isEqualTo(Double.NEGATIVE_INFINITY);
      assertThat(Math.exp(rows[k][2])).isCloseTo(0.7, within(1e-15));
    }
    int[] baaa = pcfg.tokenizer().encode("b a a a");
    assertThat(pcfg.logProbability(baaa, false)).isCloseTo(3 * Math.log(0.3), within(1e-14));
    assertThat(pcfg.logProbability(baaa, true)).isCloseTo(Math.log(0.7) + 3 * Math.log(0.3), within(1e-14));
  }

  @Test
  void unitCycleHasTheClosedForm() {
    // S -> A -> S loops with probability 0.5 * 0.4 = 0.2 and leaves with "x y" (0.2), "x" (0.3) or,
    // through A, "z" (0.5 * 0.6 = 0.3): P(x y) = 0.2 / 0.8 = 0.25, P(x) = P(z) = 0.3 / 0.8 = 0.375;
    // so P(x ...) = 0.625, and after x: y with 0.25 / 0.625 = 0.4, the end with 0.6
    Pcfg pcfg = Pcfg.parse("S -> A [0.5] | \"x\" \"y\" [0.2] | \"x\" [0.3]\nA -> S [0.4] | \"z\" [0.6]");
    assertThat(pcfg.tokenizer().symbols()).containsExactly("x", "y", "z");
    double[][] rows = pcfg.start().append(0, 1);
    assertThat(Arrays.stream(rows[0]).map(Math::exp).toArray())
        .containsExactly(new double[] {0.625, 0, 0.375, 0}, within(1e-15));
    assertThat(Arrays.stream(rows[1]).map(Math::exp).toArray())
        .containsExactly(new double[] {0, 0.4, 0, 0.6}, within(1e-15));
    assertThat(rows[2]).containsExactly(IMPOSSIBLE, IMPOSSIBLE, IMPOSSIBLE, 0);
    assertThat(pcfg.logProbability(new int[] {2}, true)).isCloseTo(Math.log(0.375), within(1e-15));
    assertThat(pcfg.logProbability(new int[] {0}, true)).isCloseTo(Math.log(0.375), within(1e-15));
  }

  @Test
  void emptyRulesInsideRecursionHaveTheClosedForm() {
    // S puts k copies of A before "a" with probability 0.3^k 0.7, and each A is "b" with
    // probability 0.4: P(b^n a) = sum_k 0.3^k 0.7 C(k, n) 0.4^n 0.6^(k-n) = 0.7 0.12^n / 0.82^(n+1),
    // so with r = 0.12 / 0.82, P(b^n ...) = r^n and after b^n: b with r, a with 1 - r
    Pcfg pcfg = Pcfg.parse("S -> A S [0.3] | \"a\" [0.7]\nA -> [0.6] | \"b\" [0.4]");
    assertThat(pcfg.tokenizer().symbols()).containsExactly("a", "b");
    double r = 0.12 / 0.82;
    double[][] rows = pcfg.start().append(pcfg.tokenizer().encode("b b b b b b a"));
    for (int n = 0; n < 6; n++) {
      assertThat(Math.exp(rows[n][1])).isCloseTo(r, within(1e-15));
      assertThat(Math.exp(rows[n][0])).isCloseTo(1 - r, within(1e-15));
      assertThat(rows[n][2]).isEqualTo(Double.NEGATIVE_INFINITY);
    }
    assertThat(rows[7]).containsExactly(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0);
    assertThat(pcfg.logProbability(pcfg.tokenizer().encode("b b a"), true))
        .isCloseTo(Math.log(0.7 * 0.12 * 0.12 / Math.pow(0.82, 3)), within(1e-14));
  }

  @Test
  void nullableStartSymbolGivesTheEmptySentenceItsProbability() {
    // P(x^n) = 0.5^(n+1): after any prefix, x and the end have probability 0.5 each
    Pcfg pcfg = Pcfg.parse("S -> \"x\" S [0.5] | [0.5]");
    for (double[] row : pcfg.start().append(0, 0, 0)) {
      assertThat(Math.exp(row[0])).isCloseTo(0.5, within(1e-15));
      assertThat(Math.exp(row[1])).isCloseTo(0.5, within(1e-15));
    }
    assertThat(pcfg.logProbability(new int[0], true)).isCloseTo(Math.log(0.5), within(1e-15));
    assertThat(Pcfg.parse("S -> A A [1]\nA -> [1]").start().append()[0]).containsExactly(0);
  }

  @Test
  void recursiveAmbiguousGrammarMatchesInsideProbabilitiesAndTruncatedEnumeration() throws Exception {
    String text = resource("recursive.pcfg");
    TestGrammar oracle = TestGrammar.parse(text);
    Pcfg pcfg = Pcfg.parse(text);
    Map<List<String>, Double> sentences = new HashMap<>();
    List<List<String>> level = List.of(List.of());
    for (int length = 1; length <= 10; length++) {
      List<List<String>> longer = new ArrayList<>();
      for (List<String> s : level) {
        for (String w : List.of("a", "b")) {
          List<String> sw = new ArrayList<>(s);
          sw.add(w);
          longer.add(sw);
          double inside = oracle.inside(sw);
          if (inside > 0) {
            sentences.put(sw, inside);
            assertThat(pcfg.logProbability(ids(pcfg, sw), true)).as("log P(%s)", sw)
                .isCloseTo(Math.log(inside), within(1e-11));
          } else {
            assertThat(pcfg.logProbability(ids(pcfg, sw), true)).isEqualTo(Double.NEGATIVE_INFINITY);
          }
        }
      }
      level = longer;
    }
    // the grammar is consistent, so the sentences longer than 10 have exactly the missing mass
    double tail = 1 - sentences.values().stream().mapToDouble(Double::doubleValue).sum();
    assertThat(tail).isBetween(0.0, 0.1);
    level = List.of(List.of());
    for (int length = 0; length <= 4; length++) {
      List<List<String>> longer = new ArrayList<>();
      for (List<String> u : level) {
        double lower = prefixMass(sentences, u);
        double prefix = Math.exp(pcfg.logProbability(ids(pcfg, u), false));
        assertThat(prefix).as("P(%s ...)", u).isBetween(lower - 1e-12, lower + tail + 1e-12);
        for (String w : List.of("a", "b")) {
          List<String> uw = new ArrayList<>(u);
          uw.add(w);
          longer.add(uw);
        }
      }
      level = longer;
    }
    // closed forms: P(b ...) = 0.4 + 0.2 P(b ...) + 0.2 P(b ...), so 0.4 / 0.6; P(a ...) = 1 - 2/3
    assertThat(Math.exp(pcfg.logProbability(ids(pcfg, List.of("b")), false))).isCloseTo(2.0 / 3, within(1e-14));
    assertThat(Math.exp(pcfg.logProbability(ids(pcfg, List.of("a")), false))).isCloseTo(1.0 / 3, within(1e-14));
  }

  @Test
  void formatFeaturesParse() {
    // comments, a continuation line, escapes, no spaces around symbols, and the number forms
    String text = String.join("\n",
        "# a comment line",
        "S->A\"\\\"\"[.25]   # S -> A then a quote, with probability 0.25",
        "   | \"\\\\\" [7.5e-1]",
        "",
        "A -> \"x#y\" [1]");
    Pcfg pcfg = Pcfg.parse(text);
    assertThat(pcfg.name()).isEqualTo("pcfg");
    assertThat(pcfg.tokenizer().symbols()).containsExactly("\"", "\\", "x#y");
    double[][] rows = pcfg.start().append(2, 0);
    assertThat(Arrays.stream(rows[0]).map(Math::exp).toArray())
        .containsExactly(new double[] {0, 0.75, 0.25, 0}, within(1e-15));
    assertThat(rows[2]).containsExactly(IMPOSSIBLE, IMPOSSIBLE, IMPOSSIBLE, 0);
    assertThat(pcfg.tokenizer().decode(new int[] {2, 0, 3})).isEqualTo("x#y \"");
  }

  @Test
  void arithmeticExampleHasTheHandComputedProbabilities() throws Exception {
    Pcfg pcfg = Pcfg.load(Path.of(Pcfg.class.getResource("examples/arith.pcfg").toURI()));
    assertThat(pcfg.name()).isEqualTo("pcfg:arith.pcfg");
    List<String> symbols = pcfg.tokenizer().symbols();
    assertThat(symbols).containsExactly("+", "-", "*", "(", ")", "1", "2", "3", "4");
    double[][] rows = pcfg.start().append(pcfg.tokenizer().encode("1"));
    // the numbers worked out in the grammar's comment
    double[] first = Arrays.stream(rows[0]).map(Math::exp).toArray();
    assertThat(first).containsExactly(new double[] {0, 0, 0, 0.15, 0, 0.34, 0.255, 0.17, 0.085, 0}, within(1e-15));
    double[] second = Arrays.stream(rows[1]).map(Math::exp).toArray();
    assertThat(second).containsExactly(new double[] {0.16, 0.08, 0.2, 0, 0, 0, 0, 0, 0, 0.56}, within(1e-15));
  }
}
