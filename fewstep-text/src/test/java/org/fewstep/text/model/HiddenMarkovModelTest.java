package org.fewstep.text.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Json;
import org.fewstep.text.LmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HMM against brute-force enumeration of every hidden-state path: the probability that a
 * sequence starts with x (and, with the end, that it is x) is a sum over S^(n+1) paths, and every
 * next-token probability is a ratio of two such sums.
 */
class HiddenMarkovModelTest {
  private static final double TOLERANCE = 1e-12;

  /** The raw parameters, read from JSON without the model's code. */
  record Hmm(List<String> vocab, double[] initial, double[][] transition, double[][] emission, double[] end) {
    HiddenMarkovModel model() {
      return new HiddenMarkovModel("test", vocab, initial, transition, emission, end);
    }

    /**
     * P(the sequence starts with x) or, with the end, P(the sequence is x), summed over every path
     * s_1 .. s_{n+1} of initial[s_1] prod_t (1 - end[s_t]) emission[s_t][x_t] transition[s_t][s_{t+1}],
     * times end[s_{n+1}] for the end (without it the sum over s_{n+1} just adds up a transition row).
     */
    double bruteForce(int[] x, boolean withEos) {
      int states = initial.length;
      int n = x.length;
      int paths = (int) Math.pow(states, n + 1);
      double total = 0;
      for (int code = 0; code < paths; code++) {
        int[] s = new int[n + 1];
        for (int t = 0, c = code; t <= n; t++, c /= states) {
          s[t] = c % states;
        }
        double p = initial[s[0]];
        for (int t = 0; t < n; t++) {
          double goOn = end == null ? 1 : 1 - end[s[t]];
          p *= goOn * emission[s[t]][x[t]] * transition[s[t]][s[t + 1]];
        }
        total += withEos ? p * end[s[n]] : p;
      }
      return total;
    }

    Hmm withoutEnd() {
      return new Hmm(vocab, initial, transition, emission, null);
    }
  }

  static Hmm read(String json) {
    JsonNode root = Json.parse(json, "test");
    List<String> vocab = new ArrayList<>();
    root.get("vocab").forEach(v -> vocab.add(v.textValue()));
    int states = root.get("initial").size();
    return new Hmm(vocab, Json.numbers(root.get("initial"), "initial", -1),
        Json.matrix(root.get("transition"), "transition", states, states),
        Json.matrix(root.get("emission"), "emission", states, vocab.size()),
        root.has("end") ? Json.numbers(root.get("end"), "end", states) : null);
  }

  static Path resource(String name) {
    try {
      return Path.of(HiddenMarkovModelTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Hmm threeState() throws Exception {
    return read(java.nio.file.Files.readString(resource("three-state-hmm.json")));
  }

  /**
   * Walks every prefix up to {@code depth} tokens (forking the state at each branch) and checks the
   * next-token row against P(x v) / P(x) and P(x, end) / P(x) by enumeration, and the sequence
   * log-probabilities.
   */
  private static int checkAllPrefixes(Hmm hmm, HiddenMarkovModel model, LmState state, int[] x, int depth) {
    int size = model.vocabulary().size();
    double[] row = new double[size];
    state.next(row);
    double px = hmm.bruteForce(x, false);
    double sum = 0;
    for (int v = 0; v < hmm.vocab().size(); v++) {
      int[] xv = Arrays.copyOf(x, x.length + 1);
      xv[x.length] = v;
      assertThat(Math.exp(row[v])).as("P(%s | %s)", v, Arrays.toString(x)).isCloseTo(hmm.bruteForce(xv, false) / px,
          within(TOLERANCE));
      sum += Math.exp(row[v]);
    }
    if (hmm.end() != null) {
      assertThat(Math.exp(row[size - 1])).isCloseTo(hmm.bruteForce(x, true) / px, within(TOLERANCE));
      assertThat(model.logProbability(x, true)).isCloseTo(Math.log(hmm.bruteForce(x, true)), within(1e-10));
      sum += Math.exp(row[size - 1]);
    }
    assertThat(sum).isCloseTo(1, within(1e-14));
    assertThat(model.logProbability(x, false)).isCloseTo(Math.log(px), within(1e-10));
    int checked = 1;
    if (x.length < depth) {
      for (int v = 0; v < hmm.vocab().size(); v++) {
        if (row[v] > Double.NEGATIVE_INFINITY) {
          LmState child = state.fork();
          child.append(v);
          int[] xv = Arrays.copyOf(x, x.length + 1);
          xv[x.length] = v;
          checked += checkAllPrefixes(hmm, model, child, xv, depth);
        }
      }
    }
    return checked;
  }

  @Test
  void nextTokenAndSequenceProbabilitiesEqualEnumerationOverHiddenPaths() throws Exception {
    Hmm hmm = threeState();
    HiddenMarkovModel model = HiddenMarkovModel.load(resource("three-state-hmm.json"));
    assertThat(model.name()).isEqualTo("hmm:three-state-hmm.json");
    assertThat(model.vocabulary().size()).isEqualTo(4);
    // 1 + 3 + 9 + 27 + 81 prefixes: every sequence over {a, b, c} has positive probability here
    assertThat(checkAllPrefixes(hmm, model, model.start(), new int[0], 4)).isEqualTo(121);
  }

  @Test
  void withoutEndSequencesNeverEnd() throws Exception {
    Hmm hmm = threeState().withoutEnd();
    HiddenMarkovModel model = hmm.model();
    assertThat(model.vocabulary().size()).isEqualTo(3);
    assertThat(model.vocabulary().eos()).isEqualTo(-1);
    assertThat(checkAllPrefixes(hmm, model, model.start(), new int[0], 4)).isEqualTo(121);
    assertThatThrownBy(() -> model.logProbability(new int[] {0}, true))
        .isInstanceOf(BadInputException.class)
        .hasMessage("withEos = true: expected false: this model's sequences never end");
  }

  @Property(seed = "20261127", tries = 40)
  void randomHmmsMatchEnumeration(@ForAll long seed) {
    Rng rng = new Rng(seed);
    int states = 1 + rng.nextInt(3);
    int symbols = 1 + rng.nextInt(3);
    double[][] transition = new double[states][];
    double[][] emission = new double[states][];
    double[] end = new double[states];
    for (int s = 0; s < states; s++) {
      transition[s] = randomDistribution(rng, states);
      emission[s] = randomDistribution(rng, symbols);
      end[s] = rng.nextInt(4) == 0 ? 0 : rng.nextDouble();
    }
    List<String> vocab = new ArrayList<>();
    for (int v = 0; v < symbols; v++) {
      vocab.add("s" + v);
    }
    Hmm hmm = new Hmm(vocab, randomDistribution(rng, states), transition, emission, rng.nextInt(2) == 0 ? null : end);
    HiddenMarkovModel model = hmm.model();
    checkAllPrefixes(hmm, model, model.start(), new int[0], 3);
  }

  /** Random nonnegative weights (about a third of them zero, never all) normalized to sum to 1. */
  private static double[] randomDistribution(Rng rng, int n) {
    double[] p = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      p[i] = rng.nextInt(3) == 0 && i > 0 ? 0 : rng.nextDouble() + 0.01;
      sum += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= sum;
    }
    return p;
  }

  @Test
  void appendRowsEqualSuccessiveNextCallsAndForkAndTruncateAreIndependent() throws Exception {
    HiddenMarkovModel model = threeState().model();
    int[] tokens = {2, 0, 1, 1, 0};
    LmState batch = model.start();
    double[][] rows = batch.append(tokens);
    LmState single = model.start();
    for (int i = 0; i <= tokens.length; i++) {
      double[] row = new double[4];
      single.next(row);
      assertThat(row).containsExactly(rows[i]);
      if (i < tokens.length) {
        single.append(tokens[i]);
      }
    }
    LmState fork = batch.fork();
    batch.truncate(2);
    assertThat(batch.tokens()).containsExactly(2, 0);
    assertThat(fork.tokens()).containsExactly(tokens);
    double[] row = new double[4];
    batch.next(row);
    assertThat(row).containsExactly(rows[2]);
    batch.append(2, 2);
    fork.next(row);
    assertThat(row).containsExactly(rows[5]);
    fork.truncate(0);
    fork.next(row);
    assertThat(row).containsExactly(rows[0]);
    assertThat(batch.tokens()).containsExactly(2, 0, 2, 2);
  }

  @Test
  void nothingFollowsTheEndToken() throws Exception {
    HiddenMarkovModel model = threeState().model();
    LmState state = model.start();
    double[][] rows = state.append(1, 3);
    assertThat(rows[2]).containsOnly(Double.NEGATIVE_INFINITY);
    assertThatThrownBy(() -> state.append(0))
        .isInstanceOf(BadInputException.class)
        .hasMessage("token at position 2 = 0: expected nothing: the sequence ended at position 1");
    assertThat(state.tokens()).containsExactly(1, 3);
    state.truncate(1);
    state.append(0);
    assertThat(state.tokens()).containsExactly(1, 0);
  }

  @Test
  void aTokenOfProbabilityZeroMakesThePrefixImpossibleUntilTruncated() {
    // states alternate 0, 1, 0, ... and state s emits symbol s, so only "a b a b ..." is possible
    HiddenMarkovModel model = HiddenMarkovModel.fromJson("{\"vocab\": [\"a\", \"b\"], \"initial\": [1, 0],"
        + " \"transition\": [[0, 1], [1, 0]], \"emission\": [[1, 0], [0, 1]]}");
    LmState state = model.start();
    assertThat(state.append(0, 1)[2]).containsExactly(0, Double.NEGATIVE_INFINITY);
    // a speculative draft the model rules out: scored, and every row after it is -Infinity
    double[][] rows = state.append(0, 0, 1);
    assertThat(rows[1]).containsExactly(Double.NEGATIVE_INFINITY, 0);
    assertThat(rows[2]).containsOnly(Double.NEGATIVE_INFINITY);
    assertThat(rows[3]).containsOnly(Double.NEGATIVE_INFINITY);
    state.truncate(3);
    assertThat(state.append()[0]).containsExactly(Double.NEGATIVE_INFINITY, 0);
    state.truncate(2);
    assertThat(state.tokens()).containsExactly(0, 1);
    assertThat(state.append()[0]).containsExactly(0, Double.NEGATIVE_INFINITY);
    assertThat(model.logProbability(new int[] {0, 0}, false)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(model.logProbability(new int[] {0, 1, 0}, false)).isEqualTo(0);
    assertThatThrownBy(() -> model.logProbability(new int[] {0, 2}, false)).hasMessageContaining("tokens[1] = 2");
  }

  @Test
  void weatherExampleIsAProperModel() throws Exception {
    Path file = Path.of(HiddenMarkovModel.class.getResource("examples/weather-hmm.json").toURI());
    HiddenMarkovModel model = HiddenMarkovModel.load(file);
    assertThat(model.states()).isEqualTo(2);
    assertThat(model.tokenizer().encode("walk shop clean")).containsExactly(0, 1, 2);
    // P(first = walk) = 0.55 * 0.9 * 0.15 + 0.45 * 0.85 * 0.55 = 0.07425 + 0.210375 = 0.284625
    double[][] rows = model.start().append(model.tokenizer().encode("walk shop clean walk"));
    assertThat(Math.exp(rows[0][0])).isCloseTo(0.284625, within(1e-15));
    // P(end first) = 0.55 * 0.1 + 0.45 * 0.15 = 0.1225
    assertThat(Math.exp(rows[0][3])).isCloseTo(0.1225, within(1e-15));
    for (double[] row : rows) {
      assertThat(Arrays.stream(row).map(Math::exp).sum()).isCloseTo(1, within(1e-14));
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{'vocab': ['a'], 'initial': [1], 'transition': [[1]]}"
        + " | HMM JSON: the field \"emission\" is missing",
    "{'vocab': ['a'], 'initial': [1], 'transition': [[1]], 'emission': [[1]], 'emissions': []}"
        + " | HMM JSON: unknown field \"emissions\"",
    "{'vocab': ['a', 'b'], 'initial': [0.5, 0.5], 'transition': [[1, 0], [1]], 'emission': [[1, 0], [0, 1]]}"
        + " | HMM JSON: transition[1] = an array of 1 numbers: expected an array of 2 numbers",
    "{'vocab': ['a', 'b'], 'initial': [0.5, 0.5], 'transition': [[1, 0], [0, 1]], 'emission': [[1, 0]]}"
        + " | HMM JSON: emission = an array of 1 rows: expected an array of 2 rows",
    "{'vocab': ['a', 'b'], 'initial': [1], 'transition': [[1]], 'emission': [[1.1, -0.1]]}"
        + " | HMM JSON: emission[0][1] = -0.1: expected a finite probability >= 0",
    "{'vocab': ['a'], 'initial': [0.5, 0.5], 'transition': [[1, 0], [0.5, 0.4]], 'emission': [[1], [1]]}"
        + " | HMM JSON: sum of transition[1] = 0.9: expected 1 (within 1e-9)",
    "{'vocab': ['a'], 'initial': [0.5, 0.6], 'transition': [[1, 0], [0, 1]], 'emission': [[1], [1]]}"
        + " | HMM JSON: sum of initial = 1.1: expected 1 (within 1e-9)",
    "{'vocab': ['a', 'a'], 'initial': [1], 'transition': [[1]], 'emission': [[0.5, 0.5]]}"
        + " | HMM JSON: vocab: symbol 1 = \"a\": expected a symbol distinct from symbol 0",
    "{'vocab': [''], 'initial': [1], 'transition': [[1]], 'emission': [[1]]}"
        + " | HMM JSON: vocab: symbol 0 = \"\": expected a non-empty symbol without whitespace",
    "{'vocab': [7], 'initial': [1], 'transition': [[1]], 'emission': [[1]]}"
        + " | HMM JSON: vocab[0] = 7: expected a string",
    "{'vocab': [], 'initial': [1], 'transition': [[1]], 'emission': [[]]}"
        + " | HMM JSON: vocab = []: expected at least one symbol",
    "{'vocab': ['a'], 'initial': [], 'transition': [], 'emission': []}"
        + " | HMM JSON: initial = []: expected a distribution over at least one state",
    "{'vocab': ['a'], 'initial': [0.5, 0.5], 'transition': [[1, 0], [0, 1]], 'emission': [[1], [1]], 'end': [0, 1.5]}"
        + " | HMM JSON: end[1] = 1.5: expected a probability in [0, 1]",
    "{'vocab': ['a'], 'initial': [0.5, 0.5], 'transition': [[1, 0], [0, 1]], 'emission': [[1], [1]], 'end': [0]}"
        + " | HMM JSON: end = an array of 1 numbers: expected an array of 2 numbers",
    "{'vocab': ['a'], 'initial': [1], 'transition': [[1]], 'emission': [[1]], 'end': 0.5}"
        + " | HMM JSON: end = 0.5: expected an array of numbers",
    "{'vocab': ['a'], 'initial': [1], 'transition': [[1]], 'emission': [[1]]"
        + " | HMM JSON: malformed JSON at line 1",
  })
  void validationErrorsNameTheFieldTheValueAndWhatWasExpected(String json, String message) {
    assertThatThrownBy(() -> HiddenMarkovModel.fromJson(json.replace('\'', '"')))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void programmaticConstructorRejectsNonFiniteEntries() {
    assertThatThrownBy(() -> new HiddenMarkovModel("x", List.of("a"), new double[] {Double.NaN},
        new double[][] {{1}}, new double[][] {{1}}, null))
        .isInstanceOf(BadInputException.class)
        .hasMessage("initial[0] = NaN: expected a finite probability >= 0");
    assertThatThrownBy(() -> new HiddenMarkovModel("x", List.of("a"), new double[] {1},
        new double[][] {{Double.POSITIVE_INFINITY}}, new double[][] {{1}}, null))
        .hasMessage("transition[0][0] = Infinity: expected a finite probability >= 0");
    assertThatThrownBy(() -> new HiddenMarkovModel("x", List.of("a"), new double[] {1},
        new double[][] {{1}}, new double[][] {{1}}, new double[] {Double.NaN}))
        .hasMessage("end[0] = NaN: expected a probability in [0, 1]");
  }
}
