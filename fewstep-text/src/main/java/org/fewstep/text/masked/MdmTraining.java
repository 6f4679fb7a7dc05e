package org.fewstep.text.masked;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Softmax;
import org.fewstep.text.Tokenizer;

/**
 * Trains a {@link LogLinearMaskedLm} with the masked-diffusion (MDM) loss of LLaDA (Nie et al. 2025)
 * and MDLM (Sahoo et al. 2024) with the linear schedule, as discrete-and-data.md 0.3 states it: draw
 * {@code t ~ U(eps, 1)} ({@code eps} = {@value #EPS}), mask every position independently with
 * probability {@code t}, and score
 *
 * <pre>
 *   loss(x0) = (1/t) * sum over masked i of -log softmax(logit_i(x_t))[x0_i] / L,
 * </pre>
 *
 * an upper bound on {@code -log p(x0) / L} in expectation (a sample without a masked position scores
 * 0). The gradients are hand-written (the model is a softmax regression, so the loss is convex in its
 * parameters); Adam (Kingma and Ba 2015, betas 0.9 and 0.999, epsilon 1e-8) takes one step per
 * mini-batch, on the batch mean of the loss plus {@code weightDecay / 2 * |theta|^2}. Training is
 * single-threaded and deterministic: the same data, options and seed give bit-identical parameters.
 *
 * <p>{@link #losses} estimates the same loss for any {@link MaskedLm}, with maskings that depend on
 * the seed and the sequence index only, so that two models can be compared on the same maskings (an
 * exact model, such as an HMM's, is Bayes-optimal: its expected loss is the lowest possible, the
 * entropy of the data per position).
 */
public final class MdmTraining {
  /** The smallest masking probability {@code t}. */
  public static final double EPS = 1e-3;

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double ADAM_EPS = 1e-8;

  private MdmTraining() {}

  /**
   * The training options; every setter checks its value and returns a new instance. Defaults: window
   * 4, 2000 steps, batches of 32, learning rate 0.005, no weight decay, length 64, maxLength = length,
   * seed 1.
   */
  public static final class Options {
    private final int window;
    private final int steps;
    private final int batchSize;
    private final double learningRate;
    private final double weightDecay;
    private final int length;
    private final int maxLength;
    private final long seed;

    private Options(int window, int steps, int batchSize, double learningRate, double weightDecay, int length,
        int maxLength, long seed) {
      this.window = window;
      this.steps = steps;
      this.batchSize = batchSize;
      this.learningRate = learningRate;
      this.weightDecay = weightDecay;
      this.length = length;
      this.maxLength = maxLength;
      this.seed = seed;
    }

    /** The default options. */
    public static Options defaults() {
      return new Options(4, 2000, 32, 0.005, 0, 64, 0, 1);
    }

    /** The model's window {@code w} (at least 1). */
    public Options window(int window) {
      BadInputException.requireAtLeast("window", window, 1);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** The number of Adam steps (at least 1). */
    public Options steps(int steps) {
      BadInputException.requireAtLeast("steps", steps, 1);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** Sequences per mini-batch (at least 1). */
    public Options batchSize(int batchSize) {
      BadInputException.requireAtLeast("batchSize", batchSize, 1);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** Adam's step size (finite, > 0). */
    public Options learningRate(double learningRate) {
      BadInputException.requirePositive("learningRate", learningRate);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** The L2 penalty {@code lambda} (finite, >= 0): {@code lambda theta} is added to every gradient. */
    public Options weightDecay(double weightDecay) {
      if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
        throw BadInputException.of("weightDecay", weightDecay, "a finite number >= 0");
      }
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** The length of every training sequence (at least 1, at most maxLength). */
    public Options length(int length) {
      BadInputException.requireAtLeast("length", length, 1);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** The positions of the model (at least 1; 0 means: the training length). */
    public Options maxLength(int maxLength) {
      BadInputException.requireAtLeast("maxLength", maxLength, 0);
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    /** The seed of the data draws and the maskings. */
    public Options seed(long seed) {
      return new Options(window, steps, batchSize, learningRate, weightDecay, length, maxLength, seed);
    }

    public int window() {
      return window;
    }

    public int steps() {
      return steps;
    }

    public int batchSize() {
      return batchSize;
    }

    public double learningRate() {
      return learningRate;
    }

    public double weightDecay() {
      return weightDecay;
    }

    public int length() {
      return length;
    }

    /** The model's positions: the option, or the training length if the option is 0. */
    public int maxLength() {
      return maxLength == 0 ? length : maxLength;
    }

    public long seed() {
      return seed;
    }

    @Override
    public String toString() {
      return "window=" + window + ", steps=" + steps + ", batchSize=" + batchSize + ", learningRate=" + learningRate
          + ", weightDecay=" + weightDecay + ", length=" + length + ", maxLength=" + maxLength() + ", seed=" + seed;
    }
  }

  /**
   * Trains a model from zero parameters on sequences drawn from {@code data} (e.g.
   * {@code rng -> hmm.sample(length, rng)}), which gets a generator derived from the seed and must
   * return {@code options.length()} token ids below the vocabulary size.
   */
  public static LogLinearMaskedLm train(Tokenizer tokenizer, Function<Rng, int[]> data, Options options) {
    if (options.length() > options.maxLength()) {
      throw BadInputException.of("length", options.length(), "at most maxLength = " + options.maxLength());
    }
    int vocab = tokenizer.vocabulary().size();
    int biasCount = options.maxLength() * vocab;
    int count = biasCount + 2 * options.window() * vocab * vocab;
    // the model reads these arrays; they change in place after every step and are copied at the end
    double[] bias = new double[biasCount];
    double[] pair = new double[count - biasCount];
    LogLinearMaskedLm model = LogLinearMaskedLm.ofFlat(tokenizer, options.window(), options.maxLength(), bias, pair);
    double[] theta = new double[count];
    double[] m = new double[count];
    double[] v = new double[count];
    double[] gradient = new double[count];
    Rng dataRng = Rng.stream(options.seed(), 0);
    Rng maskRng = Rng.stream(options.seed(), 1);
    boolean[] masked = new boolean[options.length()];
    Work work = new Work(options.length(), vocab);
    double lr = options.learningRate();
    double decay = options.weightDecay();
    double scale = 1.0 / options.batchSize();
    double beta1Power = 1;
    double beta2Power = 1;
    for (int step = 0; step < options.steps(); step++) {
      Arrays.fill(gradient, 0);
      for (int b = 0; b < options.batchSize(); b++) {
        int[] x0 = data.apply(dataRng);
        checkSequence("data sequence", x0, options.length(), vocab);
        double t = drawMasking(maskRng, masked);
        accumulate(model, x0, masked, t, gradient, work);
      }
      beta1Power *= BETA1;
      beta2Power *= BETA2;
      for (int k = 0; k < count; k++) {
        double g = gradient[k] * scale + decay * theta[k];
        m[k] = BETA1 * m[k] + (1 - BETA1) * g;
        v[k] = BETA2 * v[k] + (1 - BETA2) * g * g;
        double mHat = m[k] / (1 - beta1Power);
        double vHat = v[k] / (1 - beta2Power);
        theta[k] -= lr * mHat / (Math.sqrt(vHat) + ADAM_EPS);
      }
      System.arraycopy(theta, 0, bias, 0, biasCount);
      System.arraycopy(theta, biasCount, pair, 0, pair.length);
    }
    return LogLinearMaskedLm.ofFlat(tokenizer, options.window(), options.maxLength(), bias.clone(), pair.clone());
  }

  /**
   * Trains a model from zero parameters on mini-batches drawn uniformly, with replacement, from
   * {@code sequences} (each of {@code options.length()} token ids).
   */
  public static LogLinearMaskedLm train(Tokenizer tokenizer, List<int[]> sequences, Options options) {
    if (sequences.isEmpty()) {
      throw BadInputException.of("sequences", "[]", "at least one training sequence");
    }
    int vocab = tokenizer.vocabulary().size();
    for (int n = 0; n < sequences.size(); n++) {
      checkSequence("sequences[" + n + "]", sequences.get(n), options.length(), vocab);
    }
    return train(tokenizer, rng -> sequences.get(rng.nextInt(sequences.size())), options);
  }

  /**
   * The MDM loss of one sequence under one masking, {@code (1/t) sum over masked i of
   * -log softmax(logit_i)[x0_i] / L}, whose gradient with respect to {@link LogLinearMaskedLm#parameters}
   * is added to {@code gradient}.
   *
   * @param x0     the clean sequence (token ids below the vocabulary size)
   * @param masked which positions {@code x_t} masks (same length as {@code x0})
   * @param t      the masking time in {@code (0, 1]}
   */
  public static double lossAndGradient(LogLinearMaskedLm model, int[] x0, boolean[] masked, double t, double[] gradient) {
    checkSequence("x0", x0, x0.length, model.vocabSize());
    if (x0.length > model.maxLength()) {
      throw BadInputException.of("length of x0", x0.length, "at most maxLength = " + model.maxLength());
    }
    if (masked.length != x0.length) {
      throw BadInputException.of("masked", masked.length + " entries", x0.length + " (one per position)");
    }
    if (!(t > 0 && t <= 1)) {
      throw BadInputException.of("t", t, "a time in (0, 1]");
    }
    if (gradient.length != model.parameterCount()) {
      throw BadInputException.of("gradient", gradient.length + " entries", model.parameterCount() + " (one per parameter)");
    }
    return accumulate(model, x0, masked, t, gradient, new Work(x0.length, model.vocabSize()));
  }

  /** Scratch arrays of one training thread. */
  private static final class Work {
    final int[] xt;
    final double[] logits;

    Work(int length, int vocab) {
      xt = new int[length];
      logits = new double[vocab];
    }
  }

  /** {@link #lossAndGradient} on checked input, with the scratch arrays of {@code work}. */
  private static double accumulate(LogLinearMaskedLm model, int[] x0, boolean[] masked, double t, double[] gradient,
      Work work) {
    int length = x0.length;
    int vocab = model.vocabSize();
    int window = model.window();
    int biasCount = model.maxLength() * vocab;
    int[] xt = work.xt.length == length ? work.xt : new int[length];
    double[] p = work.logits;
    for (int i = 0; i < length; i++) {
      xt[i] = masked[i] ? vocab : x0[i];
    }
    double weight = 1.0 / (t * length);
    double loss = 0;
    for (int i = 0; i < length; i++) {
      if (!masked[i]) {
        continue;
      }
      model.positionLogits(xt, i, p, 0);
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        max = Math.max(max, p[v]);
      }
      double sum = 0;
      double target = p[x0[i]] - max;
      for (int v = 0; v < vocab; v++) {
        p[v] = Softmax.exp(p[v] - max);
        sum += p[v];
      }
      loss += weight * (StrictMath.log(sum) - target);
      // d loss / d logit_i(v) = weight (p_v - [v = x0_i]); every parameter enters logit_i(v) with coefficient 1
      for (int v = 0; v < vocab; v++) {
        p[v] = weight * (p[v] / sum);
      }
      p[x0[i]] -= weight;
      add(p, gradient, i * vocab, vocab);
      for (int j = Math.max(0, i - window), end = Math.min(length - 1, i + window); j <= end; j++) {
        if (j != i && !masked[j]) {
          add(p, gradient, biasCount + (model.slot(j - i) * vocab + x0[j]) * vocab, vocab);
        }
      }
    }
    return loss;
  }

  private static void add(double[] delta, double[] into, int at, int n) {
    for (int v = 0; v < n; v++) {
      into[at + v] += delta[v];
    }
  }

  /** Draws {@code t ~ U(eps, 1)} and masks each position with probability t; returns t. */
  private static double drawMasking(Rng rng, boolean[] masked) {
    double t = EPS + (1 - EPS) * rng.nextDouble();
    for (int i = 0; i < masked.length; i++) {
      masked[i] = rng.nextDouble() < t;
    }
    return t;
  }

  private static void checkSequence(String what, int[] x, int length, int vocab) {
    if (x == null || x.length != length) {
      throw BadInputException.of("length of " + what, x == null ? "null" : x.length, "the training length " + length);
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] < 0 || x[i] >= vocab) {
        throw BadInputException.of(what + "[" + i + "]", x[i], "a token id in [0, " + vocab + ")");
      }
    }
  }

  /**
   * A Monte Carlo estimate of the MDM loss of {@code model} on each sequence: one draw of {@code t}
   * and of the masking per sequence, from {@code Rng.stream(seed, n)} for sequence {@code n}, so that
   * every model is scored on the same maskings. One forward pass per sequence that has a masked
   * position. The mean of the result estimates the expected loss.
   */
  public static double[] losses(MaskedLm model, List<int[]> sequences, long seed) {
    int vocab = model.vocabSize();
    double[] out = new double[sequences.size()];
    double[] work = new double[vocab];
    double[] exps = new double[vocab];
    for (int n = 0; n < sequences.size(); n++) {
      int[] x0 = sequences.get(n);
      checkSequence("sequences[" + n + "]", x0, x0.length, vocab);
      if (x0.length == 0 || x0.length > model.maxLength()) {
        throw BadInputException.of("length of sequences[" + n + "]", x0.length,
            "a length in [1, maxLength = " + model.maxLength() + "]");
      }
      boolean[] masked = new boolean[x0.length];
      double t = drawMasking(Rng.stream(seed, n), masked);
      int[] xt = new int[x0.length];
      boolean any = false;
      for (int i = 0; i < xt.length; i++) {
        xt[i] = masked[i] ? model.maskId() : x0[i];
        any |= masked[i];
      }
      if (!any) {
        continue;
      }
      double[][] logits = {new double[x0.length * vocab]};
      model.logits(new int[][] {xt}, 0, x0.length, logits);
      double loss = 0;
      for (int i = 0; i < x0.length; i++) {
        if (masked[i]) {
          System.arraycopy(logits[0], i * vocab, work, 0, vocab);
          double logZ = Softmax.logSumExp("logits of position " + i, work, vocab, exps);
          loss += logZ - work[x0[i]];
        }
      }
      out[n] = loss / (t * x0.length);
    }
    return out;
  }

  /** The mean of {@link #losses}: the Monte Carlo MDM loss of {@code model} on {@code sequences}. */
  public static double loss(MaskedLm model, List<int[]> sequences, long seed) {
    double[] all = losses(model, sequences, seed);
    double sum = 0;
    for (double l : all) {
      sum += l;
    }
    return all.length == 0 ? 0 : sum / all.length;
  }
}
