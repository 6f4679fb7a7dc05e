package org.fewstep.text.masked;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * Learns the parameters of an LSD / LSD+ student (Fu, Guo and Liu 2025, "Learnable Sampler
 * Distillation for Discrete Diffusion Models", arXiv 2509.19962) for a masked LM by aligning its
 * trajectories with a teacher's. The student is an {@link AncestralSampler} with
 * {@link LsdParameters}; the teacher is its many-step limit, which reveals one token per model call
 * (the first-hitting sampler). Teacher and student share their random numbers: position i is revealed
 * when the time falls below its own {@code u_i}, and its token is the inverse CDF of its conditional at
 * {@code w_i}. With uniform parameters the two therefore have the same masked positions at every
 * student time, and they differ only where the student drew several tokens from one context.
 * <ul>
 *   <li><b>LSD</b> (Algorithm 2): one coefficient {@code phi_k} per step, fitted to
 *       {@code L_k = |R(x*, t_k) - phi_k R(x_k, t_k)|^2}, where {@code R(x, t)[i][y] = p(y | x) / t} at
 *       the masked positions of x (the concrete score times the forward rate; 0 elsewhere) and x, x*
 *       are the student's and the teacher's states at the student time {@code t_k}. Gradients do not
 *       pass through sampling: each iteration rolls out a batch with the current coefficients, then
 *       moves each {@code phi_k} the fraction {@code rate} of the way to the batch's least-squares
 *       solution {@code <R*, R> / |R|^2} (a gradient step of size {@code rate / (2 |R|^2)}).</li>
 *   <li><b>LSD+</b> first learns the time grid. For a time-agnostic model the grid only decides which
 *       tokens are drawn together, the paper's multiplicative step-size gradient does not exist, and
 *       the alignment loss is piecewise constant in the grid; so the grid minimizes the transition
 *       mismatch {@code sum over tokens |p*(token's teacher context) - p(token's student context)|^2}
 *       on a fixed batch of shared random numbers by coordinate search over the step sizes (each
 *       scaled by {@code 1 +- delta}, renormalized to sum to 1, delta halved every sweep). The
 *       coefficients are then learned on that grid as in LSD.</li>
 * </ul>
 * Discrete-and-data.md 5 lists the points of the paper left open (the relaxed start does not apply
 * to an all-masked start and is not used).
 */
public final class LsdTraining {
  private int iterations = 40;
  private int batch = 32;
  private double rate = 0.3;
  private int sweeps = 6;
  private boolean learnTimes;
  private long seed;

  /** LSD iterations (default 40). */
  public LsdTraining iterations(int n) {
    this.iterations = BadInputException.requireAtLeast("iterations", n, 1);
    return this;
  }

  /** Teacher/student rollouts per iteration, and the fixed batch of the grid search (default 32). */
  public LsdTraining batch(int n) {
    this.batch = BadInputException.requireAtLeast("batch", n, 1);
    return this;
  }

  /** The fraction of the way to the batch optimum per iteration, in (0, 1] (default 0.3). */
  public LsdTraining rate(double rate) {
    if (!(rate > 0 && rate <= 1)) {
      throw BadInputException.of("rate", rate, "a number in (0, 1]");
    }
    this.rate = rate;
    return this;
  }

  /** Sweeps of the LSD+ grid search (default 6). */
  public LsdTraining sweeps(int n) {
    this.sweeps = BadInputException.requireAtLeast("sweeps", n, 1);
    return this;
  }

  /** LSD+: also learn the time grid. */
  public LsdTraining learnTimes(boolean on) {
    this.learnTimes = on;
    return this;
  }

  public LsdTraining seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * The learned parameters, the LSD loss of every iteration (before its update) and, for LSD+, the
   * transition mismatch after every sweep (entry 0: the uniform grid).
   */
  public record Result(LsdParameters parameters, double[] losses, double[] mismatches) {}

  /** Learns a {@code steps}-step student for sequences of {@code length} tokens of {@code model}. */
  public Result train(MaskedLm model, int steps, int length) {
    BadInputException.requireAtLeast("steps", steps, 1);
    BadInputException.requireAtLeast("length", length, 1);
    if (length > model.maxLength()) {
      throw BadInputException.of("length", length, "at most " + model.maxLength() + " (the longest sequence " + model.name() + " takes)");
    }
    Rng rng = new Rng(seed);
    LsdParameters current = LsdParameters.uniform(steps);
    double[] mismatches = new double[0];
    if (learnTimes) {
      List<Teacher> fixed = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        fixed.add(new Teacher(model, length, rng.split()));
      }
      double[] kappa = new double[steps];
      Arrays.fill(kappa, 1.0 / steps);
      mismatches = new double[sweeps + 1];
      double best = mismatch(model, fixed, grid(kappa, steps));
      mismatches[0] = best;
      double delta = 0.5;
      for (int sweep = 1; sweep <= sweeps; sweep++, delta /= 2) {
        for (int k = 0; k < steps; k++) {
          for (double factor : new double[] {1 + delta, 1 / (1 + delta)}) {
            double[] trial = kappa.clone();
            trial[k] *= factor;
            double value = mismatch(model, fixed, grid(trial, steps));
            if (value < best) {
              best = value;
              kappa = trial;
            }
          }
        }
        mismatches[sweep] = best;
      }
      current = grid(kappa, steps);
    }
    double[] losses = new double[iterations];
    for (int it = 0; it < iterations; it++) {
      Moments m = new Moments(steps);
      for (int b = 0; b < batch; b++) {
        Teacher teacher = new Teacher(model, length, rng.split());
        new Student(model, current, teacher).align(m);
      }
      losses[it] = m.loss(current.coefficients()) / batch;
      current = m.update(current, rate, model.name(), length);
    }
    return new Result(current, losses, mismatches);
  }

  /**
   * The mean LSD loss of the coefficients {@code phi} on the states of {@code rollouts} fresh
   * rollouts (seed {@code seed}) of the student {@code states}: with fixed states the loss is a
   * quadratic in phi, minimized by the least-squares coefficients.
   */
  public static double loss(MaskedLm model, double[] phi, LsdParameters states, int length, int rollouts, long seed) {
    if (phi.length != states.steps()) {
      throw BadInputException.of("coefficients", phi.length + " entries", states.steps() + " (one per step)");
    }
    Moments m = new Moments(states.steps());
    Rng rng = new Rng(seed);
    for (int b = 0; b < rollouts; b++) {
      new Student(model, states, new Teacher(model, length, rng.split())).align(m);
    }
    return m.loss(phi) / rollouts;
  }

  /** The mean transition mismatch of {@code parameters} over {@code rollouts} fresh rollouts of {@code seed}. */
  public static double mismatch(MaskedLm model, LsdParameters parameters, int length, int rollouts, long seed) {
    Rng rng = new Rng(seed);
    List<Teacher> teachers = new ArrayList<>();
    for (int b = 0; b < rollouts; b++) {
      teachers.add(new Teacher(model, length, rng.split()));
    }
    return mismatch(model, teachers, parameters);
  }

  private static double mismatch(MaskedLm model, List<Teacher> teachers, LsdParameters parameters) {
    double sum = 0;
    for (Teacher t : teachers) {
      sum += new Student(model, parameters, t).mismatch();
    }
    return sum / teachers.size();
  }

  /** The grid of step sizes {@code kappa} (normalized to sum to 1), coefficients 1. */
  private static LsdParameters grid(double[] kappa, int steps) {
    double total = Arrays.stream(kappa).sum();
    double[] times = new double[steps + 1];
    times[0] = 1;
    double t = 1;
    for (int k = 0; k < steps - 1; k++) {
      t -= kappa[k] / total;
      times[k + 1] = t;
    }
    double[] phi = new double[steps];
    Arrays.fill(phi, 1);
    return new LsdParameters(times, phi, "-", 0, 0);
  }

  /** Sums over rollouts of the inner products of the LSD losses, per student step. */
  private static final class Moments {
    final double[] rr;
    final double[] targetR;
    final double[] targetTarget;

    Moments(int steps) {
      rr = new double[steps];
      targetR = new double[steps];
      targetTarget = new double[steps];
    }

    double loss(double[] phi) {
      double sum = 0;
      for (int k = 0; k < phi.length; k++) {
        sum += targetTarget[k] - 2 * phi[k] * targetR[k] + phi[k] * phi[k] * rr[k];
      }
      return sum;
    }

    LsdParameters update(LsdParameters p, double rate, String model, int length) {
      double[] phi = p.coefficients();
      for (int k = 0; k < phi.length; k++) {
        if (rr[k] > 0 && targetR[k] > 0) {
          phi[k] += rate * (targetR[k] / rr[k] - phi[k]);
        }
      }
      return new LsdParameters(p.times(), phi, model, length, 0);
    }
  }

  /**
   * The teacher's trajectory: positions revealed one per model call in order of falling {@code u},
   * with the model's probabilities before each reveal ({@code snapshots[c]}: c tokens revealed).
   */
  private static final class Teacher {
    final double[] u;
    final double[] w;
    final int[] order;
    final double[][] snapshots;

    Teacher(MaskedLm model, int length, Rng rng) {
      u = new double[length];
      w = new double[length];
      for (int i = 0; i < length; i++) {
        u[i] = rng.nextDouble();
        w[i] = rng.nextDouble();
      }
      order = java.util.stream.IntStream.range(0, length).boxed()
          .sorted((a, b) -> Double.compare(u[b], u[a])).mapToInt(Integer::intValue).toArray();
      int vocab = model.vocabSize();
      snapshots = new double[length + 1][];
      int[] x = new int[length];
      Arrays.fill(x, model.maskId());
      for (int c = 0; c <= length; c++) {
        snapshots[c] = probabilities(model, x);
        if (c < length) {
          int i = order[c];
          x[i] = inverseCdf(snapshots[c], i, vocab, w[i]);
        }
      }
    }

    /** The teacher's probabilities at time t: after revealing the positions with u >= t. */
    double[] at(double t) {
      int c = 0;
      while (c < order.length && u[order[c]] >= t) {
        c++;
      }
      return snapshots[c];
    }
  }

  /** A student rollout with the teacher's random numbers. */
  private static final class Student {
    private final MaskedLm model;
    private final LsdParameters parameters;
    private final Teacher teacher;

    Student(MaskedLm model, LsdParameters parameters, Teacher teacher) {
      this.model = model;
      this.parameters = parameters;
      this.teacher = teacher;
    }

    /** Adds this rollout's LSD inner products to m. */
    void align(Moments m) {
      run(m);
    }

    /** The transition mismatch of this rollout. */
    double mismatch() {
      return run(null);
    }

    private double run(Moments m) {
      int length = teacher.u.length;
      int vocab = model.vocabSize();
      int mask = model.maskId();
      double[] times = parameters.times();
      double[] phi = parameters.coefficients();
      int steps = phi.length;
      int[] x = new int[length];
      Arrays.fill(x, mask);
      // the teacher's probabilities for each position just before it revealed it
      double[][] revealedFrom = new double[length][];
      for (int c = 0; c < length; c++) {
        revealedFrom[teacher.order[c]] = teacher.snapshots[c];
      }
      double mismatch = 0;
      double g = 1;
      for (int k = 0; k < steps; k++) {
        double[] p = probabilities(model, x);
        if (m != null) {
          double[] target = teacher.at(times[k]);
          for (int i = 0; i < length; i++) {
            boolean studentMasked = x[i] == mask;
            boolean teacherMasked = teacher.u[i] < times[k];
            for (int v = 0; v < vocab; v++) {
              double r = studentMasked ? p[i * vocab + v] / times[k] : 0;
              double r0 = teacherMasked ? target[i * vocab + v] / times[k] : 0;
              m.rr[k] += r * r;
              m.targetR[k] += r0 * r;
              m.targetTarget[k] += r0 * r0;
            }
          }
        }
        double reveal = AncestralSampler.revealProbability(MaskSchedule.LINEAR, times[k], times[k + 1],
            k + 1 == steps ? 1 : phi[k]);
        double next = g * (1 - reveal);
        for (int i = 0; i < length; i++) {
          if (x[i] == mask && teacher.u[i] >= next) {
            x[i] = inverseCdf(p, i, vocab, teacher.w[i]);
            for (int v = 0; v < vocab; v++) {
              double d = p[i * vocab + v] - revealedFrom[i][i * vocab + v];
              mismatch += d * d;
            }
          }
        }
        g = next;
      }
      return mismatch;
    }
  }

  /** The model's probabilities at every position of x, row after row. */
  private static double[] probabilities(MaskedLm model, int[] x) {
    int vocab = model.vocabSize();
    double[] logits = new double[x.length * vocab];
    model.logits(new int[][] {x}, 0, x.length, new double[][] {logits});
    double[] p = new double[logits.length];
    double[] row = new double[vocab];
    double[] out = new double[vocab];
    Categorical categorical = new Categorical();
    for (int i = 0; i < x.length; i++) {
      System.arraycopy(logits, i * vocab, row, 0, vocab);
      categorical.setLogits("logits of position " + i, row, vocab).probabilities(out);
      System.arraycopy(out, 0, p, i * vocab, vocab);
    }
    return p;
  }

  private static int inverseCdf(double[] p, int i, int vocab, double w) {
    double c = 0;
    int last = 0;
    for (int v = 0; v < vocab; v++) {
      double q = p[i * vocab + v];
      c += q;
      if (q > 0) {
        last = v;
        if (w < c) {
          return v;
        }
      }
    }
    return last;
  }
}
