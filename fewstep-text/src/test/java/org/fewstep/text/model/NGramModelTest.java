package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.text.LmState;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.Vocabulary;
import org.fewstep.text.token.CharTokenizer;
import org.fewstep.text.token.SymbolTokenizer;
import org.fewstep.text.token.Tokenizers;
import org.fewstep.text.token.WordTokenizer;
import org.junit.jupiter.api.Test;

/**
 * Interpolated Kneser-Ney against hand-computed probabilities, against a slow literal
 * implementation ({@link KneserNeyOracle}) for every token on random contexts at every order, and
 * normalization; the state's contract (append rows, fork, truncate, EOS) and bad input.
 */
class NGramModelTest {
  /** Tiny corpus over the char tokenizer: id 0 = EOS ($ below), 1 = a, 2 = b. */
  private static final List<String> TINY = List.of("a", "a", "ab", "aaa");
  private static final Tokenizer AB = CharTokenizer.fromCorpus(TINY);
  private static final int EOS = 0;
  private static final int A = 1;
  private static final int B = 2;
  private static final double EPS = 1e-12;

  /** The next-token probabilities after {@code prefix}. */
  private static double[] next(NGramModel model, int... prefix) {
    double[] row = model.start().append(prefix)[prefix.length];
    return Arrays.stream(row).map(Math::exp).toArray();
  }

  /**
   * Bigram, modified discounts. Sequences (^ = BOS): ^a$ ^a$ ^ab$ ^aaa$.
   * Order 2 (raw counts): ^a 4, a$ 3, aa 2, ab 1, b$ 1 -> n1 = 2, n2 = 1, n3 = 1, n4 = 1;
   *   Y = 2/(2+2) = 1/2, D1 = 1 - 2(1/2)(1/2) = 1/2, D2 = 2 - 3(1/2)(1/1) = 1/2, D3+ = 3 - 4(1/2)(1/1) = 1.
   * Order 1 (continuation counts): a 2 (after ^, a), b 1 (after a), $ 2 (after a, b) -> n1 = 1, n2 = 2,
   *   n3 = 0, so D3+ = 3 - 4Y n4/n3 is undefined: fallback D = Y = 1/(1+4) = 1/5 for every count.
   *   c(.) = 5, gamma = (1/5)(3 types)/5 = 3/25, uniform share 3/25 / 3 ids = 1/25:
   *   p1(a) = (2 - 1/5)/5 + 1/25 = 2/5, p1(b) = (1 - 1/5)/5 + 1/25 = 1/5, p1($) = 2/5.
   * Context ^: {a:4}, c = 4, gamma = D3+ 1/4 = 1/4, alpha(a) = (4-1)/4 = 3/4:
   *   p(a|^) = 3/4 + (1/4)(2/5) = 17/20, p(b|^) = (1/4)(1/5) = 1/20, p($|^) = (1/4)(2/5) = 1/10.
   * Context a: {$:3, a:2, b:1}, c = 6, gamma = (D1 + D2 + D3+)/6 = 1/3;
   *   p($|a) = (3-1)/6 + (1/3)(2/5) = 7/15, p(a|a) = (2-1/2)/6 + (1/3)(2/5) = 23/60,
   *   p(b|a) = (1-1/2)/6 + (1/3)(1/5) = 3/20.
   * Context b: {$:1}, c = 1, gamma = D1 = 1/2: p($|b) = 1/2 + (1/2)(2/5) = 7/10, p(a|b) = 1/5, p(b|b) = 1/10.
   */
  @Test
  void modifiedKneserNeyBigramByHand() {
    NGramModel m = NGramModel.train(AB, TINY, 2, Discount.modified());
    assertThat(m.discounts(2)).containsExactly(new double[] {0.5, 0.5, 1}, within(EPS));
    assertThat(m.discounts(1)).containsExactly(new double[] {0.2, 0.2, 0.2}, within(EPS));
    assertThat(next(m)).containsExactly(new double[] {1.0 / 10, 17.0 / 20, 1.0 / 20}, within(EPS));
    assertThat(next(m, A)).containsExactly(new double[] {7.0 / 15, 23.0 / 60, 3.0 / 20}, within(EPS));
    assertThat(next(m, A, B)).containsExactly(new double[] {7.0 / 10, 1.0 / 5, 1.0 / 10}, within(EPS));
    assertThat(next(m, A, A, B, B)).containsExactly(new double[] {7.0 / 10, 1.0 / 5, 1.0 / 10}, within(EPS));
    // "ab" then EOS: p(a|^) p(b|a) p($|b) = 17/20 * 3/20 * 7/10 = 357/4000
    assertThat(m.logProbability(new int[] {A, B}, true)).isCloseTo(Math.log(357.0 / 4000), within(EPS));
    assertThat(m.logProbability(new int[] {A, B}, false)).isCloseTo(Math.log(17.0 / 20 * 3.0 / 20), within(EPS));
  }

  /**
   * Trigram, fixed D = 1/2. Sequences ^^a$ ^^a$ ^^ab$ ^^aaa$.
   * Order 3 (raw): ^^a 4, ^a$ 2, ^ab 1, ab$ 1, ^aa 1, aaa 1, aa$ 1.
   * Order 2: ^a begins with BOS, so its raw count 4; a$ 2 (after ^, a), ab 1, b$ 1, aa 2 (after ^, a).
   * Order 1 (continuation): a 2, b 1, $ 2; c = 5, gamma = (1/2)(3)/5 = 3/10, uniform share 1/10:
   *   p1(a) = 1.5/5 + 1/10 = 2/5, p1(b) = 0.5/5 + 1/10 = 1/5, p1($) = 2/5.
   * Order 2: ^ {a:4} gamma 1/8: p2(a|^) = 3.5/4 + (1/8)(2/5) = 37/40, p2(b|^) = 1/40, p2($|^) = 2/40.
   *   a {$:2, a:2, b:1} c = 5, gamma 3/10: p2($|a) = 1.5/5 + (3/10)(2/5) = 21/50, p2(a|a) = 21/50,
   *   p2(b|a) = 0.5/5 + (3/10)(1/5) = 8/50.  b {$:1} gamma 1/2: p2($|b) = 7/10, p2(a|b) = 1/5, p2(b|b) = 1/10.
   * Order 3: ^^ {a:4} gamma 1/8: p(a|^^) = 7/8 + (1/8)(37/40) = 317/320, p(b|^^) = 1/320, p($|^^) = 2/320.
   *   ^a {$:2, a:1, b:1} c = 4, gamma (1/2)(3)/4 = 3/8: p($|^a) = 1.5/4 + (3/8)(21/50) = 213/400,
   *   p(a|^a) = 0.5/4 + (3/8)(21/50) = 113/400, p(b|^a) = 0.5/4 + (3/8)(8/50) = 74/400.
   *   aa {a:1, $:1} c = 2, gamma 1/2: p(a|aa) = 1/4 + (1/2)(21/50) = 46/100 = p($|aa), p(b|aa) = 8/100.
   *   ab {$:1} gamma 1/2: p($|ab) = 1/2 + (1/2)(7/10) = 17/20, p(a|ab) = 1/10, p(b|ab) = 1/20.
   *   ba was never seen: it backs off entirely to the context a.
   * (Had ^a a continuation count of 1 instead of its raw count, p(a|^^) would be 77/80.)
   */
  @Test
  void fixedDiscountTrigramByHand() {
    NGramModel m = NGramModel.train(AB, TINY, 3, Discount.fixed(0.5));
    assertThat(next(m)).containsExactly(new double[] {2.0 / 320, 317.0 / 320, 1.0 / 320}, within(EPS));
    assertThat(next(m, A)).containsExactly(new double[] {213.0 / 400, 113.0 / 400, 74.0 / 400}, within(EPS));
    assertThat(next(m, A, A)).containsExactly(new double[] {0.46, 0.46, 0.08}, within(EPS));
    assertThat(next(m, A, B)).containsExactly(new double[] {17.0 / 20, 1.0 / 10, 1.0 / 20}, within(EPS));
    assertThat(next(m, B, A)).containsExactly(new double[] {21.0 / 50, 21.0 / 50, 8.0 / 50}, within(EPS));
    assertThat(next(m, A, B, B)).containsExactly(new double[] {7.0 / 10, 1.0 / 5, 1.0 / 10}, within(EPS));
    // "aab" then EOS: 317/320 * 113/400 * 8/100 * 17/20
    assertThat(m.logProbability(new int[] {A, A, B}, true))
        .isCloseTo(Math.log(317.0 / 320 * 113.0 / 400 * 8.0 / 100 * 17.0 / 20), within(EPS));
  }

  /** Order 1, fixed D = 1/2: raw counts a 6, b 1, $ 4 of 11; gamma = (1/2)(3)/11 = 3/22, share 1/22. */
  @Test
  void orderOneIsTheUnigramFormulaInEveryContext() {
    NGramModel m = NGramModel.train(AB, TINY, 1, Discount.fixed(0.5));
    double[] expected = {3.5 / 11 + 1.0 / 22, 5.5 / 11 + 1.0 / 22, 0.5 / 11 + 1.0 / 22}; // 4/11, 6/11, 1/11
    assertThat(next(m)).containsExactly(expected, within(EPS));
    assertThat(next(m, B, B, A)).containsExactly(expected, within(EPS));
  }

  /** Order 1 on a real corpus: (c(w) - D(c(w))) / c(.) + gamma / |used ids| with raw counts and modified D. */
  @Test
  void orderOneOnVersesMatchesTheUnigramFormula() {
    List<String> lines = Kjv.verses().subList(0, 300);
    Tokenizer words = WordTokenizer.fromCorpus(lines, 1);
    NGramModel m = NGramModel.train(words, lines, 1, Discount.modified());
    int size = words.vocabulary().size();
    long[] c = new long[size];
    for (String line : lines) {
      for (int id : words.encode(line)) {
        c[id]++;
      }
      c[0]++;
    }
    long[] n = new long[5];
    long total = 0;
    for (long x : c) {
      total += x;
      if (x >= 1 && x <= 4) {
        n[(int) x]++;
      }
    }
    double y = n[1] / (n[1] + 2.0 * n[2]);
    double[] d = {1 - 2 * y * n[2] / n[1], 2 - 3 * y * n[3] / n[2], 3 - 4 * y * n[4] / n[3]};
    assertThat(d[0]).isBetween(0.0, 1.0);
    assertThat(d[1]).isBetween(0.0, 2.0);
    assertThat(d[2]).isBetween(0.0, 3.0);
    assertThat(m.discounts(1)).containsExactly(d, within(EPS));
    double mass = 0;
    for (long x : c) {
      mass += x > 0 ? d[(int) Math.min(x, 3) - 1] : 0;
    }
    assertThat(Arrays.stream(c).filter(x -> x == 0).count()).as("ids never seen as tokens").isPositive();
    double[] row = next(m, 5, 7);
    for (int w = 0; w < size; w++) {
      double alpha = c[w] > 0 ? (c[w] - d[(int) Math.min(c[w], 3) - 1]) / total : 0;
      assertThat(row[w]).isCloseTo(alpha + mass / total / size, within(EPS));
    }
  }

  /** Random contexts: half cut from training lines (seen), half random tokens (mostly unseen). */
  private static List<int[]> contexts(Tokenizer tokenizer, List<String> lines, int count, Rng rng) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    while (out.size() < count) {
      if (rng.nextInt(2) == 0) {
        int[] ids = tokenizer.encode(lines.get(rng.nextInt(lines.size())));
        out.add(Arrays.copyOf(ids, rng.nextInt(ids.length + 1)));
      } else {
        int[] ids = new int[rng.nextInt(9)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = 1 + rng.nextInt(tokenizer.vocabulary().size() - 1);
        }
        out.add(ids);
      }
    }
    return out;
  }

  @Test
  void theFastRowEqualsTheLiteralRecursionForEveryTokenAtEveryOrder() {
    List<String> lines = Kjv.verses().subList(0, 40);
    Tokenizer chars = CharTokenizer.fromCorpus(lines);
    Rng rng = new Rng(20261127);
    for (Discount discount : List.of(Discount.modified(), Discount.fixed(0.7))) {
      for (int order = 1; order <= 6; order++) {
        NGramModel m = NGramModel.train(chars, lines, order, discount);
        KneserNeyOracle oracle = new KneserNeyOracle(chars, lines, order, discount);
        for (int[] context : contexts(chars, lines, 12, rng)) {
          double[] row = m.start().append(context)[context.length];
          for (int w = 0; w < row.length; w++) {
            assertThat(row[w]).as("order %d %s, context %s, token %d", order, discount, Arrays.toString(context), w)
                .isCloseTo(Math.log(oracle.probability(context, w)), within(EPS));
          }
        }
      }
    }
  }

  @Test
  void everyRowSumsToOneAtEveryOrder() {
    List<String> lines = Kjv.verses().subList(0, 200);
    Rng rng = new Rng(7);
    for (Tokenizer t : List.of(CharTokenizer.fromCorpus(lines), WordTokenizer.fromCorpus(lines, 2))) {
      for (Discount discount : List.of(Discount.modified(), Discount.fixed(0.3))) {
        for (int order = 1; order <= 6; order++) {
          NGramModel m = NGramModel.train(t, lines, order, discount);
          for (int[] context : contexts(t, lines, 20, rng)) {
            assertThat(logSumExp(m.start().append(context)[context.length]))
                .as("%s order %d %s %s", t.name(), order, discount, Arrays.toString(context))
                .isCloseTo(0, within(EPS));
          }
        }
      }
    }
  }

  /**
   * log sum exp(row), summed with Neumaier's compensation: a plain sum of 100k near-equal terms
   * rounds the same way each time and drifts by about 1e-12.
   */
  static double logSumExp(double[] row) {
    double max = Arrays.stream(row).max().orElseThrow();
    double sum = 0;
    double compensation = 0;
    for (double x : row) {
      double term = Math.exp(x - max);
      double t = sum + term;
      compensation += Math.abs(sum) >= term ? (sum - t) + term : (term - t) + sum;
      sum = t;
    }
    return max + Math.log(sum + compensation);
  }

  @Test
  void bpeHolesAreImpossibleAndEveryUsedIdIsPossible() {
    Tokenizer cl = Tokenizers.bpe("cl100k");
    NGramModel m = NGramModel.train(cl, List.of("In the beginning God created the heaven and the earth.",
        "And the earth was without form, and void."), 3, Discount.modified());
    Vocabulary v = cl.vocabulary();
    for (int[] context : List.of(new int[0], cl.encode("And the"), cl.encode(" zebra"))) {
      double[] row = m.start().append(context)[context.length];
      assertThat(row).hasSize(100277);
      for (int w = 0; w < row.length; w++) {
        if (v.isUsed(w)) {
          assertThat(row[w]).as("token %d", w).isFinite();
        } else {
          assertThat(row[w]).as("hole %d", w).isEqualTo(Double.NEGATIVE_INFINITY);
        }
      }
      assertThat(logSumExp(row)).isCloseTo(0, within(EPS));
    }
  }

  @Test
  void appendRowsForkAndTruncateAgreeWithNext() {
    List<String> lines = Kjv.verses().subList(0, 100);
    Tokenizer words = WordTokenizer.fromCorpus(lines, 1);
    NGramModel m = NGramModel.train(words, lines, 4, Discount.modified());
    int[] tokens = words.encode(lines.get(3));
    LmState s = m.start();
    double[][] rows = s.append(tokens);
    double sum = 0;
    for (int i = 0; i <= tokens.length; i++) {
      LmState fresh = m.start();
      fresh.append(Arrays.copyOf(tokens, i));
      double[] out = new double[words.vocabulary().size()];
      fresh.next(out);
      assertThat(rows[i]).isEqualTo(out);
      sum += i < tokens.length ? rows[i][tokens[i]] : rows[i][EOS];
    }
    assertThat(m.logProbability(tokens, true)).isCloseTo(sum, within(1e-9));
    LmState fork = s.fork();
    s.truncate(2);
    assertThat(fork.length()).isEqualTo(tokens.length);
    double[] out = new double[words.vocabulary().size()];
    s.next(out);
    assertThat(out).isEqualTo(rows[2]);
    fork.next(out);
    assertThat(out).isEqualTo(rows[tokens.length]);
  }

  @Test
  void nothingFollowsTheEndOfSequence() {
    NGramModel m = NGramModel.train(AB, TINY, 2, Discount.modified());
    LmState s = m.start();
    double[][] rows = s.append(A, EOS);
    assertThat(rows[2]).containsOnly(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> s.append(A))
        .isInstanceOf(BadInputException.class)
        .hasMessage("token at position 2 = 1: expected nothing: the sequence ended with EOS (0) at position 1");
    assertThat(s.length()).isEqualTo(2);
    assertThatThrownBy(() -> m.logProbability(new int[] {A, EOS}, true))
        .hasMessage("token at position 2 = 0: expected nothing: the sequence ended with EOS (0) at position 1");
    assertThatThrownBy(() -> m.start().append(A, 3, B)).hasMessageStartingWith("token at position 1 = 3");
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> NGramModel.train(AB, TINY, 7, Discount.modified()))
        .isInstanceOf(BadInputException.class).hasMessage("order = 7: expected an integer in [1, 6]");
    assertThatThrownBy(() -> NGramModel.train(AB, TINY, 0, Discount.modified())).hasMessageStartingWith("order = 0");
    assertThatThrownBy(() -> NGramModel.train(AB, List.of(), 2, Discount.modified()))
        .hasMessage("lines = none: expected at least one training line");
    assertThatThrownBy(() -> NGramModel.train(AB, List.of("ab", "abc"), 2, Discount.modified()))
        .hasMessageStartingWith("line 2: character at index 2 = 'c' (U+0063)");
    Tokenizer noEos = new SymbolTokenizer(List.of("a"), false); // no end token
    assertThatThrownBy(() -> NGramModel.train(noEos, List.of("a"), 2, Discount.modified()))
        .hasMessage("tokenizer = symbol: expected a tokenizer whose vocabulary has an end-of-sequence token");
    NGramModel m = NGramModel.train(AB, TINY, 2, Discount.modified());
    assertThatThrownBy(() -> m.start().next(new double[2])).hasMessage("out.length = 2: expected the vocabulary size 3");
    assertThatThrownBy(() -> m.discounts(3)).hasMessage("k = 3: expected an order in [1, 2]");
  }
}
