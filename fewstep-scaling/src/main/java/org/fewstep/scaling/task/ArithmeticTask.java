package org.fewstep.scaling.task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.scaling.Task;
import org.fewstep.scaling.Trace;

/**
 * An exact arithmetic "reasoner": to add {@code x_1 + ... + x_m} it writes one line per addition,
 * {@code r+x=v} in one of four equivalent wordings, carrying its running value {@code r}; each line's result is right with
 * probability {@code 1 - e} and otherwise off by a slip {@code d} uniform on {-50..-1, 1..50} (error
 * rate {@code e}), and the last line's value is the answer. It is a right-linear stochastic grammar,
 * so everything is exact: the answer is correct when the errors sum to zero (they can cancel, as
 * real slips do), and the probability that a prefix ends correct is that of the remaining errors
 * summing to minus the current offset, a convolution computed once per task. Tokens are characters.
 * Tempering (temperature {@code tau}) raises the error law to {@code 1/tau}.
 */
public final class ArithmeticTask implements Task {
  /**
   * The wordings of a line (running value, term, result), drawn independently of the slip: equivalent
   * texts, so that right solutions, like real reasoning paths, come in several distinct texts.
   */
  static final String[] WORDINGS = {"%d+%d=%d\n", "%d + %d = %d\n", "%d plus %d makes %d\n", "adding %2$d to %1$d gives %3$d\n"};
  /** The log-probabilities of {@link #WORDINGS}: 0.4, 0.3, 0.2, 0.1. */
  private static final double[] LOG_WORDING = {Math.log(0.4), Math.log(0.3), Math.log(0.2), Math.log(0.1)};
  /** The largest slip of one line. */
  static final int MAX_SLIP = 50;
  /** The possible errors of one line: -50..50. */
  static final int[] ERRORS = java.util.stream.IntStream.rangeClosed(-MAX_SLIP, MAX_SLIP).toArray();
  private final String name;
  private final int[] numbers;
  private final int[] prefixSums;
  /** The log-probabilities of {@link #ERRORS} at temperature 1. */
  private final double[] logLaw;
  /** {@code offsets[k][s + 50k]}: probability that k lines' errors sum to s. */
  private final double[][] offsets;

  /** The state after some lines: additions done and the current running value's error. */
  record State(int done, int offset) {}

  /**
   * @param numbers   the terms, at least 2
   * @param errorRate the probability {@code e} that a line is wrong, in [0, 1)
   */
  public ArithmeticTask(int[] numbers, double errorRate) {
    BadInputException.requireAtLeast("arithmetic task: number of terms", numbers.length, 2);
    if (!(errorRate >= 0 && errorRate < 1)) {
      throw BadInputException.of("arithmetic task: error rate", errorRate, "a probability in [0, 1)");
    }
    this.numbers = numbers.clone();
    this.prefixSums = new int[numbers.length];
    int s = 0;
    for (int i = 0; i < numbers.length; i++) {
      s += numbers[i];
      prefixSums[i] = s;
    }
    double[] law = new double[ERRORS.length];
    this.logLaw = new double[ERRORS.length];
    for (int e = 0; e < law.length; e++) {
      law[e] = ERRORS[e] == 0 ? 1 - errorRate : errorRate / (2 * MAX_SLIP);
      logLaw[e] = Math.log(law[e]);
    }
    this.name = "arith[" + Arrays.toString(numbers).replace(" ", "") + ",e=" + errorRate + "]";
    int lines = numbers.length - 1;
    offsets = new double[lines + 1][];
    offsets[0] = new double[] {1};
    for (int k = 1; k <= lines; k++) {
      double[] previous = offsets[k - 1];
      double[] next = new double[2 * MAX_SLIP * k + 1];
      for (int i = 0; i < previous.length; i++) {
        for (int e = 0; e < ERRORS.length; e++) {
          next[i + e] += previous[i] * law[e];
        }
      }
      offsets[k] = next;
    }
  }

  /**
   * A seeded problem set: {@code count} tasks of 3 to 12 terms in [1, 99] with error rates uniform in
   * [0.05, 0.6], so their success probabilities spread from about 0.9 to well below 1 %.
   */
  public static List<Task> problems(int count, long seed) {
    return problems(count, seed, 0.05, 0.6);
  }

  /** A seeded problem set as {@link #problems(int, long)} with error rates uniform in [minError, maxError]. */
  public static List<Task> problems(int count, long seed, double minError, double maxError) {
    BadInputException.requireAtLeast("arithmetic problems: count", count, 1);
    if (!(minError >= 0 && minError <= maxError && maxError < 1)) {
      throw BadInputException.of("arithmetic problems: error range", "[" + minError + ", " + maxError + "]",
          "0 <= min-error <= max-error < 1");
    }
    List<Task> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Rng rng = Rng.stream(seed, i);
      int[] terms = new int[3 + rng.nextInt(10)];
      for (int j = 0; j < terms.length; j++) {
        terms[j] = 1 + rng.nextInt(99);
      }
      out.add(new ArithmeticTask(terms, minError + (maxError - minError) * rng.nextDouble()));
    }
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  /** The correct answer. */
  public int sum() {
    return prefixSums[numbers.length - 1];
  }

  /** The number of lines (steps) of a solution. */
  public int lines() {
    return numbers.length - 1;
  }

  @Override
  public Trace start() {
    return Trace.start(new State(0, 0));
  }

  @Override
  public Trace step(Trace partial, double temperature, Rng rng) {
    if (partial.finished()) {
      throw new BadInputException("arithmetic task: the solution is already finished");
    }
    if (!(temperature > 0 && Double.isFinite(temperature))) {
      throw BadInputException.of("temperature", temperature, "a finite number > 0");
    }
    State s = (State) partial.state();
    Categorical law = new Categorical().setLogits("arithmetic task: slip law", logLaw, logLaw.length, temperature);
    int e = law.sample(rng);
    Categorical wording = new Categorical().setLogits("arithmetic task: wording law", LOG_WORDING, WORDINGS.length, temperature);
    int w = wording.sample(rng);
    int running = prefixSums[s.done()] + s.offset();
    int offset = s.offset() + ERRORS[e];
    int value = prefixSums[s.done() + 1] + offset;
    String line = String.format(java.util.Locale.ROOT, WORDINGS[w], running, numbers[s.done() + 1], value);
    boolean done = s.done() + 1 == lines();
    return partial.then(line, law.logProbability(e) + wording.logProbability(w), line.length(), done,
        done ? Integer.toString(value) : null, new State(s.done() + 1, offset));
  }

  /** The error law at {@code temperature}. */
  double[] tempered(double temperature) {
    double[] p = new double[ERRORS.length];
    new Categorical().setLogits("arithmetic task: slip law", logLaw, logLaw.length, temperature).probabilities(p);
    return p;
  }

  @Override
  public boolean correct(Trace finished) {
    if (!finished.finished()) {
      throw new BadInputException("arithmetic task: only a finished solution can be verified");
    }
    return Integer.toString(sum()).equals(finished.answer());
  }

  @Override
  public double successProbability(Trace partial) {
    State s = (State) partial.state();
    int remaining = lines() - s.done();
    int index = -s.offset() + MAX_SLIP * remaining;
    double[] d = offsets[remaining];
    return index >= 0 && index < d.length ? d[index] : 0;
  }

  @Override
  public String toString() {
    return name;
  }
}
