package org.fewstep.text.masked;

import java.util.HashMap;
import java.util.Map;
import org.fewstep.text.model.HmmMaskedLm;

/**
 * The exact output distribution of an {@link AncestralSampler} with given parameters on a short
 * sequence of an exact model, by dynamic programming over partly masked states: each step reveals
 * every masked position independently with the step's probability, with a token from its conditional.
 */
final class StudentDistribution {
  private StudentDistribution() {}

  static double[] of(HmmMaskedLm model, LsdParameters parameters, int length) {
    int symbols = model.symbols();
    int vocab = model.vocabSize();
    int mask = model.maskId();
    double[] times = parameters.times();
    double[] phi = parameters.coefficients();
    Map<String, double[]> states = new HashMap<>();
    Map<String, Double> current = new HashMap<>();
    current.put(key(MaskedTestModels.masks(length, mask)), 1.0);
    for (int k = 0; k < phi.length; k++) {
      double reveal = AncestralSampler.revealProbability(MaskSchedule.LINEAR, times[k], times[k + 1], k + 1 == phi.length ? 1 : phi[k]);
      Map<String, Double> next = new HashMap<>();
      for (Map.Entry<String, Double> e : current.entrySet()) {
        int[] x = decode(e.getKey());
        double[][] out = {new double[length * vocab]};
        model.logits(new int[][] {x}, 0, length, out);
        expand(x, 0, e.getValue(), out[0], reveal, vocab, symbols, mask, next);
      }
      current = next;
    }
    double[] p = new double[(int) Math.pow(symbols, length)];
    for (Map.Entry<String, Double> e : current.entrySet()) {
      p[model.index(decode(e.getKey()))] += e.getValue();
    }
    return p;
  }

  private static void expand(int[] x, int i, double q, double[] logits, double reveal, int vocab, int symbols, int mask,
      Map<String, Double> next) {
    if (q == 0) {
      return;
    }
    if (i == x.length) {
      next.merge(key(x), q, Double::sum);
      return;
    }
    if (x[i] != mask) {
      expand(x, i + 1, q, logits, reveal, vocab, symbols, mask, next);
      return;
    }
    expand(x, i + 1, q * (1 - reveal), logits, reveal, vocab, symbols, mask, next);
    for (int v = 0; v < symbols; v++) {
      x[i] = v;
      expand(x, i + 1, q * reveal * Math.exp(logits[i * vocab + v]), logits, reveal, vocab, symbols, mask, next);
    }
    x[i] = mask;
  }

  private static String key(int[] x) {
    StringBuilder b = new StringBuilder();
    for (int t : x) {
      b.append((char) ('0' + t));
    }
    return b.toString();
  }

  private static int[] decode(String key) {
    int[] x = new int[key.length()];
    for (int i = 0; i < x.length; i++) {
      x[i] = key.charAt(i) - '0';
    }
    return x;
  }
}
