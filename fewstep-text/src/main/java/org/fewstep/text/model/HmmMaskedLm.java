package org.fewstep.text.model;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.text.Tokenizer;
import org.fewstep.text.masked.MaskedLm;

/**
 * The exact masked LM of a {@link HiddenMarkovModel}: the data are the first L symbols of the HMM's
 * sequences, given that the sequence has not ended before L, and the logits of position {@code i} are
 * the log of the exact conditional {@code p(x_i = v | the unmasked positions other than i)}. A masked
 * position is an unobserved emission, so forward-backward (Rabiner 1989, with the forward and backward
 * vectors normalized at every position) gives every position's conditional in one pass. With
 * {@code a_i(s) ~ P(observed before i, z_i = s)} and {@code b_i(s) ~ P(observed after i | z_i = s)},
 * {@code p(x_i = v | .) ~ sum_s a_i(s) emit[s][v] b_i(s)}; neither vector contains position i's own
 * token, so an unmasked position gets its leave-one-out conditional.
 *
 * <p>Sequential decoding in any order with these conditionals samples the joint exactly, so the
 * error of a parallel decoder is an error of the decoder (discrete-and-data.md 0.3). The end token,
 * if the HMM has one, gets logit {@code -Infinity}.
 */
public final class HmmMaskedLm implements MaskedLm {
  private final HiddenMarkovModel hmm;
  private final double[] initial;
  private final double[][] transition;
  private final double[][] emit;
  /** {@code 1 - end[s]}: the weight of an unobserved emission. */
  private final double[] go;
  private final int symbols;

  HmmMaskedLm(HiddenMarkovModel hmm, double[] initial, double[][] transition, double[][] emit, double[] end) {
    this.hmm = hmm;
    this.initial = initial;
    this.transition = transition;
    this.emit = emit;
    this.symbols = emit[0].length;
    this.go = new double[initial.length];
    for (int s = 0; s < go.length; s++) {
      go[s] = 1 - end[s];
    }
  }

  /** The HMM this model conditions. */
  public HiddenMarkovModel hmm() {
    return hmm;
  }

  @Override
  public String name() {
    return hmm.name();
  }

  @Override
  public Tokenizer tokenizer() {
    return hmm.tokenizer();
  }

  /** The number of observation symbols (token ids {@code 0 .. symbols()-1}). */
  public int symbols() {
    return symbols;
  }

  @Override
  public void logits(int[][] x, int from, int to, double[][] out) {
    int vocab = vocabSize();
    for (int r = 0; r < x.length; r++) {
      int[] row = x[r];
      if (from < 0 || to > row.length || from > to) {
        throw BadInputException.of("positions", "[" + from + ", " + to + ")", "a range inside [0, " + row.length + ")");
      }
      if (out[r].length < (to - from) * vocab) {
        throw BadInputException.of("out[" + r + "]", out[r].length + " entries", "at least " + (to - from) * vocab);
      }
      rowLogits(r, row, from, to, out[r], vocab);
    }
  }

  private void rowLogits(int r, int[] x, int from, int to, double[] out, int vocab) {
    int states = initial.length;
    int length = x.length;
    double[][] forward = new double[to][];
    double[] a = initial.clone();
    for (int i = 0; i < to; i++) {
      forward[i] = a;
      if (i + 1 < to) {
        a = next(r, x, i, a);
      }
    }
    double[] b = new double[states];
    Arrays.fill(b, 1);
    double[] w = new double[symbols];
    for (int i = length - 1; i >= from; i--) {
      if (i < to) {
        double[] f = forward[i];
        Arrays.fill(w, 0);
        for (int s = 0; s < states; s++) {
          double fb = f[s] * b[s];
          if (fb != 0) {
            for (int v = 0; v < symbols; v++) {
              w[v] += fb * emit[s][v];
            }
          }
        }
        double total = 0;
        for (double p : w) {
          total += p;
        }
        if (!(total > 0)) {
          throw impossible(r);
        }
        int base = (i - from) * vocab;
        for (int v = 0; v < symbols; v++) {
          out[base + v] = Math.log(w[v] / total);
        }
        for (int v = symbols; v < vocab; v++) {
          out[base + v] = Double.NEGATIVE_INFINITY;
        }
      }
      if (i > from) {
        b = previous(r, x, i, b);
      }
    }
  }

  /** The normalized forward vector of position i+1 from that of position i. */
  private double[] next(int r, int[] x, int i, double[] a) {
    int states = a.length;
    double[] out = new double[states];
    for (int s = 0; s < states; s++) {
      double w = a[s] * emission(r, x, i, s);
      if (w != 0) {
        for (int t = 0; t < states; t++) {
          out[t] += w * transition[s][t];
        }
      }
    }
    return normalized(r, out);
  }

  /** The normalized backward vector of position i-1 from that of position i. */
  private double[] previous(int r, int[] x, int i, double[] b) {
    int states = b.length;
    double[] eb = new double[states];
    for (int t = 0; t < states; t++) {
      eb[t] = emission(r, x, i, t) * b[t];
    }
    double[] out = new double[states];
    for (int s = 0; s < states; s++) {
      double sum = 0;
      for (int t = 0; t < states; t++) {
        sum += transition[s][t] * eb[t];
      }
      out[s] = sum;
    }
    return normalized(r, out);
  }

  private double emission(int r, int[] x, int i, int s) {
    int token = x[i];
    if (token == maskId()) {
      return go[s];
    }
    if (token < 0 || token >= symbols) {
      throw BadInputException.of("x[" + r + "][" + i + "]", token,
          "a symbol id in [0, " + symbols + ") or the mask id " + maskId());
    }
    return emit[s][token];
  }

  private static double[] normalized(int r, double[] v) {
    double total = 0;
    for (double p : v) {
      total += p;
    }
    if (!(total > 0)) {
      throw impossible(r);
    }
    for (int s = 0; s < v.length; s++) {
      v[s] /= total;
    }
    return v;
  }

  private static BadInputException impossible(int r) {
    return BadInputException.of("x[" + r + "]", "unmasked tokens of probability 0",
        "tokens the HMM can emit together (no conditional exists otherwise)");
  }

  /**
   * The log-probability of {@code x} (symbol ids, no masks) under the model's joint: the HMM's
   * probability that its first {@code x.length} symbols are {@code x}, given that it has not ended
   * before. {@code -Infinity} if impossible.
   */
  public double logJoint(int[] x) {
    return hmm.logProbability(x, false) - logContinues(x.length);
  }

  /**
   * The whole joint of {@code length} symbols, for exact distances: entry {@link #index} of x is
   * {@code exp(logJoint(x))}. At most 2^22 sequences.
   */
  public double[] joint(int length) {
    double count = Math.pow(symbols, length);
    if (length < 1 || count > (1 << 22)) {
      throw BadInputException.of("length", length, "a length whose " + symbols + "^length sequences number at most 2^22");
    }
    double[] p = new double[(int) count];
    int[] x = new int[length];
    double logContinues = logContinues(length);
    for (int k = 0; k < p.length; k++) {
      for (int i = length - 1, rest = k; i >= 0; i--, rest /= symbols) {
        x[i] = rest % symbols;
      }
      p[k] = Math.exp(hmm.logProbability(x, false) - logContinues);
    }
    return p;
  }

  /** The index of {@code x} in {@link #joint}: its digits in base {@link #symbols}, first position first. */
  public int index(int[] x) {
    int k = 0;
    for (int token : x) {
      k = k * symbols + token;
    }
    return k;
  }

  /** {@code log P(the HMM emits at least length symbols)}. */
  public double logContinues(int length) {
    double[] a = initial.clone();
    double log = 0;
    for (int i = 0; i < length; i++) {
      double[] out = new double[a.length];
      double total = 0;
      for (int s = 0; s < a.length; s++) {
        double w = a[s] * go[s];
        for (int t = 0; t < a.length; t++) {
          out[t] += w * transition[s][t];
        }
        total += w;
      }
      if (!(total > 0)) {
        return Double.NEGATIVE_INFINITY;
      }
      log += Math.log(total);
      for (int t = 0; t < a.length; t++) {
        a[t] = out[t] / total;
      }
    }
    return log;
  }

  /**
   * An exact sample of the joint of {@code length} symbols: backward weights {@code P(the chain goes on
   * to length | z_i = s)} first, then the states and symbols forward, each state drawn in proportion
   * to its transition probability times its weight.
   */
  public int[] sample(int length, Rng rng) {
    BadInputException.requireAtLeast("length", length, 1);
    int states = initial.length;
    double[] w = new double[Math.max(states, symbols)];
    Categorical draw = new Categorical();
    // backward weights so that states that can run for the remaining positions are drawn correctly
    double[][] survive = new double[length + 1][states];
    Arrays.fill(survive[length], 1);
    for (int i = length - 1; i >= 0; i--) {
      double total = 0;
      for (int s = 0; s < states; s++) {
        double sum = 0;
        if (i + 1 == length) {
          sum = 1;
        } else {
          for (int t = 0; t < states; t++) {
            sum += transition[s][t] * survive[i + 1][t];
          }
        }
        survive[i][s] = go[s] * sum;
        total += survive[i][s];
      }
      if (!(total > 0)) {
        throw BadInputException.of("length", length, "a length the HMM can reach without ending");
      }
      for (int s = 0; s < states; s++) {
        survive[i][s] /= total;
      }
    }
    int[] x = new int[length];
    for (int s = 0; s < states; s++) {
      w[s] = initial[s] * survive[0][s];
    }
    int state = draw.setWeights("state", w, states).sample(rng);
    for (int i = 0; i < length; i++) {
      x[i] = draw.setWeights("emission", emit[state], symbols).sample(rng);
      if (i + 1 < length) {
        for (int t = 0; t < states; t++) {
          w[t] = transition[state][t] * survive[i + 1][t];
        }
        state = draw.setWeights("state", w, states).sample(rng);
      }
    }
    return x;
  }
}
