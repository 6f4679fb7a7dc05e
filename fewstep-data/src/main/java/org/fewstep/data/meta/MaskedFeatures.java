package org.fewstep.data.meta;

import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.text.masked.MaskedLm;
import org.fewstep.text.model.HmmMaskedLm;

/**
 * What MetaInf knows about a masked-diffusion decoding situation: the HMM's symbols, the length
 * generated, the HMM's hidden states, and two exact statistics of adjacent tokens (pooled over the
 * positions of a sequence of {@value #PROBE} symbols, from the model's exact conditionals): the
 * conditional entropy {@code H(x_i+1 | x_i)} and the mutual information {@code I(x_i; x_i+1)}, both
 * over {@code log symbols} (0 to 1). Parallel decoders commit tokens as if independent given the
 * context; the mutual information measures how much that loses. The NFE budget is not a feature.
 */
public record MaskedFeatures(int symbols, int length, int states, double conditionalEntropy, double mutualInformation)
    implements MetaFeatures {
  /** The CSV column names of the features. */
  public static final List<String> NAMES = List.of("symbols", "length", "states", "conditional_entropy", "mutual_information");

  /** The sequence length whose pooled adjacent pairs give the two statistics. */
  public static final int PROBE = 16;

  public MaskedFeatures {
    BadInputException.requireAtLeast("symbols", symbols, 1);
    BadInputException.requireAtLeast("length", length, 1);
    BadInputException.requireAtLeast("states", states, 1);
    for (double v : new double[] {conditionalEntropy, mutualInformation}) {
      if (!(v >= -1e-9) || Double.isInfinite(v)) {
        throw BadInputException.of("adjacent-token statistic", v, "a finite number >= 0");
      }
    }
  }

  @Override
  public double[] vector() {
    return new double[] {Math.log(symbols), Math.log(length), Math.log(states), conditionalEntropy, mutualInformation};
  }

  @Override
  public List<Object> cells() {
    return List.of(symbols, length, states, conditionalEntropy, mutualInformation);
  }

  /**
   * The features of generating {@code length} tokens with {@code model}.
   *
   * @throws BadInputException for a masked model that is not an HMM's exact masked model (MetaInf's
   *     features need the exact joint: motif-hmm, weather-hmm, hmm:FILE)
   */
  public static MaskedFeatures of(MaskedLm model, int length) {
    if (!(model instanceof HmmMaskedLm hmm)) {
      throw BadInputException.of("masked model", model.name(),
          "an HMM's exact masked model for MetaInf's features (motif-hmm, weather-hmm, hmm:FILE)");
    }
    BadInputException.requireAtLeast("length", length, 1);
    int v = hmm.symbols();
    double[] pairs = pairMarginal(hmm, PROBE);
    double[] first = new double[v];
    double[] second = new double[v];
    for (int a = 0; a < v; a++) {
      for (int b = 0; b < v; b++) {
        first[a] += pairs[a * v + b];
        second[b] += pairs[a * v + b];
      }
    }
    double joint = entropy(pairs);
    double h1 = entropy(first);
    double h2 = entropy(second);
    double norm = v > 1 ? Math.log(v) : 1;
    return new MaskedFeatures(v, length, hmm.hmm().states(), Math.max(0, (joint - h1) / norm), Math.max(0, (h1 + h2 - joint) / norm));
  }

  /** {@code P(x_i = a, x_i+1 = b)} pooled over the positions of {@code total} symbols, by the chain rule with the exact model. */
  static double[] pairMarginal(HmmMaskedLm hmm, int total) {
    int v = hmm.symbols();
    int vocab = hmm.vocabSize();
    int[] x = new int[total];
    Arrays.fill(x, hmm.maskId());
    double[] marginals = new double[total * vocab];
    hmm.logits(new int[][] {x}, 0, total, new double[][] {marginals});
    double[] pairs = new double[v * v];
    double[] next = new double[vocab];
    for (int i = 0; i + 1 < total; i++) {
      for (int a = 0; a < v; a++) {
        double pa = Math.exp(marginals[i * vocab + a]);
        if (pa == 0) {
          continue;
        }
        x[i] = a;
        hmm.logits(new int[][] {x}, i + 1, i + 2, new double[][] {next});
        for (int b = 0; b < v; b++) {
          pairs[a * v + b] += pa * Math.exp(next[b]) / (total - 1);
        }
      }
      x[i] = hmm.maskId();
    }
    return pairs;
  }

  private static double entropy(double[] p) {
    double s = 0;
    double h = 0;
    for (double q : p) {
      s += q;
    }
    for (double q : p) {
      if (q > 0) {
        h -= q / s * Math.log(q / s);
      }
    }
    return h;
  }
}
