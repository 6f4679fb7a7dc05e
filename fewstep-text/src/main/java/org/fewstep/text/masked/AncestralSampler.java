package org.fewstep.text.masked;

import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * The time-stepped ancestral sampler of masked diffusion (MDLM, Sahoo et al. 2024; the
 * {@code ddpm_cache} sampler of the MDLM and BD3-LM code). On the grid {@code t_k = 1 - k/T}, a step
 * from t to s draws, for every masked position, one categorical over the vocabulary and the mask:
 * token v with probability {@code p(v) (alpha(s) - alpha(t)) / (1 - alpha(t))}, still masked with
 * probability {@code (1 - alpha(s)) / (1 - alpha(t))}. The last step (s = 0) reveals every position
 * left. With {@code caching} (the default, as upstream) the model is called again only after a step
 * that changed the sequence, so the NFE is the number of steps that revealed something; the
 * categorical draws are paid at every step, which is the cost FHS removes.
 *
 * <p>Unlike MDLM, the grid ends at 0 rather than at 1e-5 followed by an argmax "noise removal"
 * pass, so every token is a draw from the model.
 *
 * <p>The grid may be any decreasing one and each step's reveal probability may be scaled by a
 * coefficient {@code phi_k} (capped at 1; the last step still reveals everything): that is the
 * student sampler of LSD and LSD+ ({@link LsdParameters}).
 */
final class AncestralSampler implements MaskedDecoder {
  private final String spec;
  /** The grid {@code 1 = t_0 > t_1 > ... > t_T = 0}. */
  private final double[] times;
  /** The reveal-probability coefficient of each step (all 1 for the plain sampler). */
  private final double[] coefficients;
  private final int steps;
  private final MaskSchedule schedule;
  private final double temperature;
  private final boolean caching;

  AncestralSampler(String spec, int steps, MaskSchedule schedule, double temperature, boolean caching) {
    this(spec, LsdParameters.uniform(steps), schedule, temperature, caching);
  }

  AncestralSampler(String spec, LsdParameters grid, MaskSchedule schedule, double temperature, boolean caching) {
    this.spec = spec;
    this.times = grid.times();
    this.coefficients = grid.coefficients();
    this.steps = coefficients.length;
    this.schedule = schedule;
    this.temperature = temperature;
    this.caching = caching;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public MaskedRun start(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
    return new Run(model, x, start, end, rng, row, listener);
  }

  private final class Run extends MaskedRun {
    private int k;
    /** The model's probabilities at every position of the region, from the last forward pass. */
    private final double[] probabilities;
    private final double[] weights;
    private final double[] logitRow;
    private final Categorical categorical = new Categorical();

    Run(MaskedLm model, int[] x, int start, int end, Rng rng, int row, MaskedListener listener) {
      super(model, x, start, end, rng, row, listener);
      probabilities = new double[(end - start) * vocab];
      weights = new double[vocab + 1];
      logitRow = new double[vocab];
    }

    @Override
    public int from() {
      return start;
    }

    @Override
    public int to() {
      return end;
    }

    @Override
    protected void step(double[] logits) {
      for (int i = start; i < end; i++) {
        if (x[i] == mask) {
          int base = (i - start) * vocab;
          categorical.setLogits("logits[position " + i + "]", copy(logits, base), vocab, temperature == 0 ? 1 : temperature);
          categorical.probabilities(weights);
          if (temperature == 0) {
            greedy(weights);
          }
          System.arraycopy(weights, 0, probabilities, base, vocab);
        }
      }
      while (k < steps) {
        double t = times[k];
        double s = times[k + 1];
        double phi = coefficients[k];
        k++;
        boolean changed = reveal(t, s, k == steps ? 1 : phi);
        report(s);
        if (changed || !caching) {
          return;
        }
      }
    }

    private double[] copy(double[] logits, int base) {
      System.arraycopy(logits, base, logitRow, 0, vocab);
      return logitRow;
    }

    /** One grid step from t to s; whether any position was revealed. */
    private boolean reveal(double t, double s, double phi) {
      double reveal = revealProbability(schedule, t, s, phi);
      double stay = 1 - reveal;
      boolean changed = false;
      for (int i = start; i < end; i++) {
        if (x[i] == mask) {
          int base = (i - start) * vocab;
          for (int v = 0; v < vocab; v++) {
            weights[v] = probabilities[base + v] * reveal;
          }
          weights[vocab] = stay;
          int draw = categorical.setWeights("reveal weights", weights, vocab + 1).sample(rng);
          if (draw < vocab) {
            commit(i, draw, probabilities[base + draw]);
            changed = true;
          }
        }
      }
      return changed;
    }
  }

  /**
   * The probability that a masked position is revealed in a step from t to s:
   * {@code min(1, phi (alpha(s) - alpha(t)) / (1 - alpha(t)))}, and 1 when s = 0.
   */
  static double revealProbability(MaskSchedule schedule, double t, double s, double phi) {
    if (s == 0) {
      return 1;
    }
    double alphaT = schedule.alpha(t);
    return Math.min(1, phi * (schedule.alpha(s) - alphaT) / (1 - alphaT));
  }

  /** Temperature 0: all mass on the first most likely token. */
  private static void greedy(double[] p) {
    int best = 0;
    for (int v = 1; v < p.length - 1; v++) {
      if (p[v] > p[best]) {
        best = v;
      }
    }
    java.util.Arrays.fill(p, 0);
    p[best] = 1;
  }
}
