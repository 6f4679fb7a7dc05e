package org.fewstep.scaling.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;
import org.fewstep.text.model.HiddenMarkovModel;
import org.junit.jupiter.api.Test;

/**
 * The HMM task against fewstep-text's independent {@link HiddenMarkovModel} (forward algorithm): exact
 * success probabilities by enumerating every symbol sequence, log-probabilities, simulation and tempering.
 */
class HmmTaskTest {
  private static final List<String> VOCAB = List.of("x", "y", "z");
  private static final double[] PI = {0.6, 0.3, 0.1};
  private static final double[][] A = {{0.7, 0.2, 0.1}, {0.25, 0.5, 0.25}, {0.1, 0.3, 0.6}};
  private static final double[][] B = {{0.6, 0.3, 0.1}, {0.2, 0.5, 0.3}, {0.05, 0.15, 0.8}};

  /** One HMM with its task parameters. */
  private record Spec(double[] pi, double[][] a, double[][] b, int length, int chunk, int symbol, int m, int r) {
    HmmTask task() {
      return new HmmTask(VOCAB, pi, a, b, length, chunk, symbol, m, r);
    }

    HiddenMarkovModel hmm() {
      return new HiddenMarkovModel("test", VOCAB, pi, a, b, null);
    }
  }

  private static Spec fixed(int chunk, int m, int r) {
    return new Spec(PI, A, B, 6, chunk, 1, m, r);
  }

  private static double[] row(int n, Rng rng) {
    double[] p = new double[n];
    double t = 0;
    for (int i = 0; i < n; i++) {
      p[i] = 0.05 + rng.nextDouble();
      t += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= t;
    }
    return p;
  }

  private static Spec random(long seed) {
    Rng rng = new Rng(seed);
    int states = 2 + rng.nextInt(3);
    double[][] a = new double[states][];
    double[][] b = new double[states][];
    for (int h = 0; h < states; h++) {
      a[h] = row(states, rng);
      b[h] = row(3, rng);
    }
    int m = 2 + rng.nextInt(4);
    return new Spec(row(states, rng), a, b, 6, 1 + rng.nextInt(4), rng.nextInt(3), m, rng.nextInt(m));
  }

  /** The symbol ids of a trace's text. */
  private static int[] symbols(Trace t) {
    String text = t.text().trim();
    return text.isEmpty() ? new int[0] : Arrays.stream(text.split("\\s+")).mapToInt(VOCAB::indexOf).toArray();
  }

  /** P(count of symbol ≡ r mod m | prefix) by enumerating all 3^(T - |prefix|) completions with the forward algorithm. */
  private static double enumerate(Spec spec, int[] prefix) {
    HiddenMarkovModel hmm = spec.hmm();
    double prefixLog = hmm.logProbability(prefix, false);
    int rest = spec.length() - prefix.length;
    double total = 0;
    double mass = 0;
    int[] seq = Arrays.copyOf(prefix, spec.length());
    for (int code = 0; code < (int) Math.pow(3, rest); code++) {
      int c = code;
      for (int i = prefix.length; i < seq.length; i++) {
        seq[i] = c % 3;
        c /= 3;
      }
      double p = Math.exp(hmm.logProbability(seq, false) - prefixLog);
      mass += p;
      if (Arrays.stream(seq).filter(v -> v == spec.symbol()).count() % spec.m() == spec.r()) {
        total += p;
      }
    }
    assertThat(mass).isCloseTo(1, within(1e-12));
    return total;
  }

  @Test
  void startProbabilityIsTheEnumeratedOne() {
    List<Spec> specs = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      specs.add(fixed(2, 3, r));
    }
    for (long seed = 1; seed <= 8; seed++) {
      specs.add(random(seed));
    }
    double sum = 0;
    for (Spec spec : specs) {
      HmmTask task = spec.task();
      double p = task.successProbability(task.start());
      assertThat(p).as(task.name()).isCloseTo(enumerate(spec, new int[0]), within(1e-12));
      sum += spec.pi() == PI ? p : 0;
    }
    assertThat(sum).isCloseTo(1, within(1e-12)); // the three residues of the fixed HMM
  }

  @Test
  void prefixProbabilitiesAreTheEnumeratedOnes() {
    List<Spec> specs = List.of(fixed(1, 2, 0), fixed(4, 3, 2), random(21), random(22), random(23));
    for (Spec spec : specs) {
      HmmTask task = spec.task();
      Rng rng = new Rng(5);
      for (int trial = 0; trial < 6; trial++) {
        Trace t = task.start();
        while (!t.finished()) {
          t = task.step(t, 1, rng);
          int[] prefix = symbols(t);
          assertThat(task.successProbability(t)).as(task.name() + " after " + t.text())
              .isCloseTo(enumerate(spec, prefix), within(1e-12));
        }
      }
    }
  }

  @Test
  void finishedTracesAreScoredByTheirCount() {
    HmmTask task = fixed(4, 3, 1).task();
    Rng rng = new Rng(7);
    int correct = 0;
    for (int i = 0; i < 200; i++) {
      Trace t = task.sample(1, rng);
      int[] seq = symbols(t);
      assertThat(t.length()).isEqualTo(2); // 4 + 2 symbols
      assertThat(t.steps().get(0)).matches("[xyz]( [xyz]){3}\\n");
      assertThat(t.steps().get(1)).matches("[xyz] [xyz]\\n");
      assertThat(t.tokens()).isEqualTo(6);
      long count = Arrays.stream(seq).filter(v -> v == 1).count();
      assertThat(t.answer()).isEqualTo(Long.toString(count % 3));
      assertThat(task.correct(t)).isEqualTo(count % 3 == 1);
      assertThat(task.successProbability(t)).isEqualTo(task.correct(t) ? 1.0 : 0.0);
      correct += task.correct(t) ? 1 : 0;
    }
    assertThat(correct).isBetween(1, 199); // both outcomes occur
    assertThatThrownBy(() -> task.correct(task.start())).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> task.step(task.sample(1, new Rng(1)), 1, new Rng(2)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("finished");
  }

  @Test
  void simulatedSuccessRateIsTheExactProbability() {
    // n = 20000 samples at temperature 1; tolerance 4 standard errors
    for (Task task : HmmTask.problems(3, 99)) {
      double p = task.successProbability(task.start());
      int n = 20_000;
      int correct = 0;
      for (int i = 0; i < n; i++) {
        correct += task.correct(task.sample(1, Rng.stream(13, i))) ? 1 : 0;
      }
      double se = Math.sqrt(p * (1 - p) / n);
      assertThat(correct / (double) n).as(task.name()).isCloseTo(p, within(4 * se));
    }
  }

  @Test
  void logProbabilityIsTheTemperedPredictiveLaw() {
    for (Spec spec : List.of(fixed(4, 3, 0), random(31), random(32))) {
      HmmTask task = spec.task();
      HiddenMarkovModel hmm = spec.hmm();
      Rng rng = new Rng(17);
      for (int i = 0; i < 30; i++) {
        // temperature 1: the sum over steps is the forward algorithm's log-likelihood
        Trace t = task.sample(1, rng);
        assertThat(t.logProbability()).isCloseTo(hmm.logProbability(symbols(t), false), within(1e-12));
        // other temperatures: each symbol's law p(v | prefix)^(1/tau) renormalised, p from the forward algorithm
        for (double tau : new double[] {0.5, 2.0}) {
          Trace u = task.sample(tau, rng);
          int[] seq = symbols(u);
          double expected = 0;
          for (int k = 0; k < seq.length; k++) {
            int[] prefix = Arrays.copyOf(seq, k);
            double base = hmm.logProbability(prefix, false);
            double z = 0;
            double[] p = new double[3];
            for (int v = 0; v < 3; v++) {
              int[] next = Arrays.copyOf(seq, k + 1);
              next[k] = v;
              p[v] = Math.exp((hmm.logProbability(next, false) - base) / tau);
              z += p[v];
            }
            expected += Math.log(p[seq[k]] / z);
          }
          assertThat(u.logProbability()).isCloseTo(expected, within(1e-12));
        }
      }
    }
  }

  @Test
  void lowTemperatureIsNearlyGreedy() {
    Spec spec = fixed(4, 3, 0);
    HiddenMarkovModel hmm = spec.hmm();
    int[] greedy = new int[6];
    for (int k = 0; k < 6; k++) {
      int[] prefix = Arrays.copyOf(greedy, k);
      double[] p = new double[3];
      for (int v = 0; v < 3; v++) {
        int[] next = Arrays.copyOf(greedy, k + 1);
        next[k] = v;
        p[v] = Math.exp(hmm.logProbability(next, false) - hmm.logProbability(prefix, false));
      }
      double[] sorted = p.clone();
      Arrays.sort(sorted);
      assertThat(sorted[1] / sorted[2]).isLessThan(0.9); // a clear argmax: 0.9^100 per symbol to leave it
      greedy[k] = p[0] == sorted[2] ? 0 : p[1] == sorted[2] ? 1 : 2;
    }
    HmmTask task = spec.task();
    Rng rng = new Rng(23);
    for (int i = 0; i < 300; i++) {
      Trace t = task.sample(0.01, rng);
      assertThat(symbols(t)).containsExactly(greedy);
      assertThat(t.logProbability()).isGreaterThan(-1e-3).isLessThanOrEqualTo(0);
    }
    // and temperature 1 is not greedy
    int off = 0;
    for (int i = 0; i < 300; i++) {
      off += Arrays.equals(symbols(task.sample(1, rng)), greedy) ? 0 : 1;
    }
    assertThat(off).isGreaterThan(200);
  }

  @Test
  void problemsAreSeededAndSpread() {
    List<Task> a = HmmTask.problems(40, 5);
    List<Task> b = HmmTask.problems(40, 5);
    double min = 1;
    double max = 0;
    for (int i = 0; i < a.size(); i++) {
      double p = a.get(i).successProbability(a.get(i).start());
      assertThat(a.get(i).name()).isEqualTo(b.get(i).name());
      assertThat(b.get(i).successProbability(b.get(i).start())).isEqualTo(p);
      HmmTask t = (HmmTask) a.get(i);
      assertThat(t.length()).isBetween(8, 24);
      assertThat(t.steps()).isEqualTo((t.length() + 3) / 4);
      assertThat(t.sample(1, new Rng(i)).length()).isEqualTo(t.steps());
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    assertThat(min).isLessThan(0.15);
    assertThat(max).isGreaterThan(0.8);
    assertThat(HmmTask.problems(1, 6).get(0).name()).isNotEqualTo(a.get(0).name());
  }

  @Test
  void badInputNamesTheParameter() {
    double[][] badA = {{0.7, 0.2, 0.2}, A[1], A[2]};
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, badA, B, 6, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("transition[0]");
    double[][] badB = {B[0], {-0.1, 0.6, 0.5}, B[2]};
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, badB, 6, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("emission[1][0]");
    assertThatThrownBy(() -> new HmmTask(VOCAB, new double[] {0.5, 0.5}, A, B, 6, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("transition");
    assertThatThrownBy(() -> new HmmTask(VOCAB, new double[] {0.5, 0.6, 0}, A, B, 6, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("initial");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 0, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("length = 0");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 6, 0, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("chunk = 0");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 6, 2, 1, 1, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("modulus = 1");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 6, 2, 1, 3, 3))
        .isInstanceOf(BadInputException.class).hasMessageContaining("residue = 3");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 6, 2, 1, 3, -1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("residue = -1");
    assertThatThrownBy(() -> new HmmTask(VOCAB, PI, A, B, 6, 2, 3, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("symbol = 3");
    assertThatThrownBy(() -> new HmmTask(List.of("x", "x", "z"), PI, A, B, 6, 2, 1, 3, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("vocab");
    HmmTask task = fixed(2, 3, 0).task();
    assertThatThrownBy(() -> task.step(task.start(), 0, new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("temperature");
  }
}
