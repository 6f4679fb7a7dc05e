package org.fewstep.scaling.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * An HMM "reasoner" whose success is a regular property, with an exact PRM. The generator is a hidden
 * Markov model (initial {@code pi}, transition {@code A}, emission {@code B} over V symbols) writing a
 * sequence of {@code length} symbols, {@code chunk} symbols a step (the last step may be shorter): in
 * hidden state {@code h} it emits {@code v ~ B[h]}, then moves to {@code h' ~ A[h]} (the convention of
 * fewstep-text's {@code HiddenMarkovModel} without end probabilities). Each symbol is drawn from the
 * predictive law {@code p(v | x_<t) = sum_h f(h) B[h][v]}, with {@code f(h) = P(H_t = h | x_<t)} the
 * filtered distribution of the state that emits the next symbol, tempered to {@code p^(1/tau)}
 * renormalised. Tokens are symbols; a step's text is its symbols joined by spaces, then a newline.
 *
 * <p>The solution is correct when the number of occurrences of {@code symbol} is congruent to
 * {@code residue} modulo {@code modulus}, a DFA with {@code modulus} states; the answer of a finished
 * solution is that count mod {@code modulus}, so answers can be voted on. The probability that a prefix
 * ends correct is {@code sum_h f(h) beta_n(h, q)} with {@code n} symbols left, {@code q} the DFA state
 * and {@code beta_n(h, q)} the probability that n symbols emitted starting in hidden state h take the DFA
 * from q to acceptance: {@code beta_0(h, q) = [q = residue]}, {@code beta_n(h, q) = sum_v B[h][v]
 * sum_h' A[h][h'] beta_(n-1)(h', delta(q, v))}, tabulated once per task.
 */
public final class HmmTask implements Task {
  private static final double SUM_TOLERANCE = 1e-9;
  private final String name;
  private final List<String> vocab;
  private final double[] initial;
  private final double[][] transition;
  private final double[][] emission;
  private final int length;
  private final int chunk;
  private final int symbol;
  private final int modulus;
  private final int residue;
  /** {@code beta[n][h * modulus + q]}: see the class comment. */
  private final double[][] beta;

  /**
   * The task's state: the filtered distribution of the next emitting hidden state, the symbols written
   * and the DFA state (the count of {@code symbol} mod {@code modulus}). Never mutated.
   */
  record State(double[] filtered, int position, int dfa) {}

  /**
   * @param vocab      the V distinct symbols (non-empty, no whitespace)
   * @param initial    the distribution of the first hidden state (S entries)
   * @param transition S rows of S entries: the next hidden state's distribution
   * @param emission   S rows of V entries: the emitted symbol's distribution
   * @param length     the number of symbols T, at least 1
   * @param chunk      symbols per step, at least 1
   * @param symbol     the index of the counted symbol in {@code vocab}
   * @param modulus    the modulus m, at least 2
   * @param residue    the required residue r in [0, m)
   */
  public HmmTask(List<String> vocab, double[] initial, double[][] transition, double[][] emission, int length,
      int chunk, int symbol, int modulus, int residue) {
    if (vocab.isEmpty()) {
      throw BadInputException.of("hmm task: vocab", "[]", "at least one symbol");
    }
    if (new HashSet<>(vocab).size() != vocab.size()
        || vocab.stream().anyMatch(s -> s.isEmpty() || s.chars().anyMatch(Character::isWhitespace))) {
      throw BadInputException.of("hmm task: vocab", vocab, "distinct non-empty symbols without whitespace");
    }
    int states = initial.length;
    if (states == 0) {
      throw BadInputException.of("hmm task: initial", "[]", "a distribution over at least one state");
    }
    this.vocab = List.copyOf(vocab);
    this.initial = distribution("hmm task: initial", initial, states);
    this.transition = distributions("hmm task: transition", transition, states, states);
    this.emission = distributions("hmm task: emission", emission, states, vocab.size());
    this.length = BadInputException.requireAtLeast("hmm task: length", length, 1);
    this.chunk = BadInputException.requireAtLeast("hmm task: chunk", chunk, 1);
    if (symbol < 0 || symbol >= vocab.size()) {
      throw BadInputException.of("hmm task: symbol", symbol, "a symbol index in [0, " + vocab.size() + ")");
    }
    this.symbol = symbol;
    this.modulus = BadInputException.requireAtLeast("hmm task: modulus", modulus, 2);
    if (residue < 0 || residue >= modulus) {
      throw BadInputException.of("hmm task: residue", residue, "an integer in [0, " + modulus + ")");
    }
    this.residue = residue;
    this.beta = tabulate();
    int hash = Arrays.deepHashCode(new Object[] {this.initial, this.transition, this.emission});
    this.name = "hmm[S=" + states + ",V=" + vocab.size() + ",T=" + length + ",#" + vocab.get(symbol) + "%" + modulus
        + "=" + residue + "," + Integer.toHexString(hash) + "]";
  }

  /**
   * A seeded problem set: {@code count} random HMMs of 2 to 4 hidden states over 3 to 5 symbols
   * ({@code a, b, ...}), with peaked rows and one symbol made rarer by a factor in [0.01, 1], length T in
   * [8, 24], chunk 4 and modulus in [2, 5]; the counted symbol and the residue are chosen so that the
   * success probability is closest to a target uniform in [0.05, 0.9], which spreads the problems from
   * hard (about 0.1) to easy (about 0.95).
   */
  public static List<Task> problems(int count, long seed) {
    BadInputException.requireAtLeast("hmm problems: count", count, 1);
    List<Task> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Rng rng = Rng.stream(seed, i);
      int states = 2 + rng.nextInt(3);
      int symbols = 3 + rng.nextInt(3);
      List<String> vocab = new ArrayList<>(symbols);
      for (int v = 0; v < symbols; v++) {
        vocab.add(String.valueOf((char) ('a' + v)));
      }
      double[] initial = randomRow(states, rng);
      double[][] transition = new double[states][];
      double[][] emission = new double[states][];
      int rare = rng.nextInt(symbols);
      double damp = Math.pow(10, -2 * rng.nextDouble());
      for (int h = 0; h < states; h++) {
        transition[h] = randomRow(states, rng);
        emission[h] = randomRow(symbols, rng);
        emission[h][rare] *= damp;
        double total = Arrays.stream(emission[h]).sum();
        for (int v = 0; v < symbols; v++) {
          emission[h][v] /= total;
        }
      }
      int length = 8 + rng.nextInt(17);
      int modulus = 2 + rng.nextInt(4);
      double target = 0.05 + 0.85 * rng.nextDouble();
      HmmTask best = null;
      double gap = Double.POSITIVE_INFINITY;
      for (int s = 0; s < symbols; s++) {
        for (int r = 0; r < modulus; r++) {
          HmmTask task = new HmmTask(vocab, initial, transition, emission, length, 4, s, modulus, r);
          double d = Math.abs(task.successProbability(task.start()) - target);
          if (d < gap) {
            gap = d;
            best = task;
          }
        }
      }
      out.add(best);
    }
    return out;
  }

  /** A random distribution with peaked weights {@code 0.002 + u^3}. */
  private static double[] randomRow(int size, Rng rng) {
    double[] row = new double[size];
    double total = 0;
    for (int i = 0; i < size; i++) {
      double u = rng.nextDouble();
      row[i] = 0.002 + u * u * u;
      total += row[i];
    }
    for (int i = 0; i < size; i++) {
      row[i] /= total;
    }
    return row;
  }

  private static double[][] distributions(String what, double[][] rows, int count, int size) {
    if (rows.length != count) {
      throw BadInputException.of(what, rows.length + " rows", count + " rows (one per hidden state)");
    }
    double[][] out = new double[count][];
    for (int i = 0; i < count; i++) {
      out[i] = distribution(what + "[" + i + "]", rows[i], size);
    }
    return out;
  }

  private static double[] distribution(String what, double[] row, int size) {
    if (row.length != size) {
      throw BadInputException.of(what, row.length + " entries", size + " entries");
    }
    double sum = 0;
    for (int i = 0; i < size; i++) {
      if (!(row[i] >= 0 && Double.isFinite(row[i]))) {
        throw BadInputException.of(what + "[" + i + "]", row[i], "a probability >= 0");
      }
      sum += row[i];
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw BadInputException.of("sum of " + what, sum, "1 (within 1e-9): a stochastic row");
    }
    return row.clone();
  }

  private double[][] tabulate() {
    int states = initial.length;
    double[][] b = new double[length + 1][states * modulus];
    for (int h = 0; h < states; h++) {
      b[0][h * modulus + residue] = 1;
    }
    for (int n = 1; n <= length; n++) {
      // via[h][q] = sum_h' A[h][h'] beta_(n-1)(h', q)
      double[] via = new double[states * modulus];
      for (int h = 0; h < states; h++) {
        for (int g = 0; g < states; g++) {
          double a = transition[h][g];
          for (int q = 0; q < modulus; q++) {
            via[h * modulus + q] += a * b[n - 1][g * modulus + q];
          }
        }
      }
      for (int h = 0; h < states; h++) {
        for (int q = 0; q < modulus; q++) {
          double sum = 0;
          for (int v = 0; v < vocab.size(); v++) {
            sum += emission[h][v] * via[h * modulus + delta(q, v)];
          }
          b[n][h * modulus + q] = sum;
        }
      }
    }
    return b;
  }

  /** The DFA's transition on symbol {@code v}. */
  private int delta(int q, int v) {
    return v == symbol ? (q + 1) % modulus : q;
  }

  @Override
  public String name() {
    return name;
  }

  /** The observation symbols. */
  public List<String> vocab() {
    return vocab;
  }

  /** The number of symbols T of a solution. */
  public int length() {
    return length;
  }

  /** The number of steps of a solution: {@code ceil(T / chunk)}. */
  public int steps() {
    return (length + chunk - 1) / chunk;
  }

  /** The correct answer: the required residue. */
  public int residue() {
    return residue;
  }

  @Override
  public Trace start() {
    return Trace.start(new State(initial, 0, 0));
  }

  @Override
  public Trace step(Trace partial, double temperature, Rng rng) {
    if (partial.finished()) {
      throw new BadInputException("hmm task: the solution is already finished");
    }
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw BadInputException.of("temperature", temperature, "a finite number > 0");
    }
    State s = (State) partial.state();
    double[] f = s.filtered();
    int dfa = s.dfa();
    int n = Math.min(chunk, length - s.position());
    double logProbability = 0;
    StringBuilder text = new StringBuilder();
    Categorical law = new Categorical();
    for (int i = 0; i < n; i++) {
      double[] logits = predictive(f);
      for (int v = 0; v < logits.length; v++) {
        logits[v] = Math.log(logits[v]);
      }
      law.setLogits("hmm task: predictive law", logits, logits.length, temperature);
      int v = law.sample(rng);
      logProbability += law.logProbability(v);
      text.append(i == 0 ? "" : " ").append(vocab.get(v));
      f = filter(f, v);
      dfa = delta(dfa, v);
    }
    int position = s.position() + n;
    boolean done = position == length;
    return partial.then(text.append('\n').toString(), logProbability, n, done, done ? Integer.toString(dfa) : null,
        new State(f, position, dfa));
  }

  /** {@code p(v | prefix) = sum_h f(h) B[h][v]}. */
  double[] predictive(double[] f) {
    double[] p = new double[vocab.size()];
    for (int h = 0; h < f.length; h++) {
      for (int v = 0; v < p.length; v++) {
        p[v] += f[h] * emission[h][v];
      }
    }
    return p;
  }

  /** The filtered distribution after emitting {@code v}: {@code f'(h') ~ sum_h f(h) B[h][v] A[h][h']}. */
  private double[] filter(double[] f, int v) {
    double[] next = new double[f.length];
    double total = 0;
    for (int h = 0; h < f.length; h++) {
      double w = f[h] * emission[h][v];
      if (w != 0) {
        for (int g = 0; g < f.length; g++) {
          next[g] += w * transition[h][g];
        }
      }
    }
    for (double x : next) {
      total += x;
    }
    for (int g = 0; g < next.length; g++) {
      next[g] /= total;
    }
    return next;
  }

  @Override
  public boolean correct(Trace finished) {
    if (!finished.finished()) {
      throw new BadInputException("hmm task: only a finished solution can be verified");
    }
    return Integer.toString(residue).equals(finished.answer());
  }

  @Override
  public double successProbability(Trace partial) {
    State s = (State) partial.state();
    if (s.position() == length) {
      return s.dfa() == residue ? 1 : 0;
    }
    double[] b = beta[length - s.position()];
    double p = 0;
    for (int h = 0; h < s.filtered().length; h++) {
      p += s.filtered()[h] * b[h * modulus + s.dfa()];
    }
    return p;
  }

  @Override
  public String toString() {
    return name;
  }
}
