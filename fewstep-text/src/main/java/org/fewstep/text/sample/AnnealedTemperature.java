package org.fewstep.text.sample;

/**
 * Exploratory annealed decoding, EAD (Yang et al. 2025, "Let it Calm"; decoding.md 9): the
 * temperature of generated position t is tau_t = max(1 + tauMax - exp(t / (20 d)), tauMin) with
 * d = min(decay + increase * step, 40000), and 1 during the first {@code warmup} positions — hot
 * early tokens that pick a direction, cool late ones that follow it. This is the official code's
 * {@code negexp} mode (EAD-RLVR {@code annealed_sampling.py}), whose exponent t / (20 d) the paper
 * writes as t / d'; {@code step} is the RL step (0 for inference). t counts generated tokens.
 */
public final class AnnealedTemperature implements TokenProcessor {
  /** The official cap on d ({@code decay_freq_cap_large}). */
  static final int DECAY_CAP = 40_000;

  private final double tauMax;
  private final double tauMin;
  private final double decay;
  private final int warmup;
  private int position;

  public AnnealedTemperature(double tauMax, double tauMin, int decay, int increase, int step, int warmup) {
    org.fewstep.core.BadInputException.requirePositive("tau-min", tauMin);
    if (!(tauMax >= 0) || decay < 1 || increase < 0 || step < 0 || warmup < 0) {
      throw new org.fewstep.core.BadInputException("ead: expected tau-max >= 0, decay >= 1 and increase, step, "
          + "warmup >= 0; given tau-max=" + tauMax + ", decay=" + decay + ", increase=" + increase + ", step="
          + step + ", warmup=" + warmup);
    }
    this.tauMax = tauMax;
    this.tauMin = tauMin;
    this.decay = Math.min(decay + (double) increase * step, DECAY_CAP);
    this.warmup = warmup;
  }

  private AnnealedTemperature(AnnealedTemperature other) {
    this.tauMax = other.tauMax;
    this.tauMin = other.tauMin;
    this.decay = other.decay;
    this.warmup = other.warmup;
    this.position = other.position;
  }

  /** The temperature at generated position {@code t}. */
  public double temperature(int t) {
    if (t < warmup) {
      return 1.0;
    }
    return Math.max(1 + tauMax - Math.exp(t / (20 * decay)), tauMin);
  }

  @Override
  public String name() {
    return "ead";
  }

  @Override
  public void apply(Candidates candidates) {
    Temperature.apply(candidates, temperature(position));
  }

  @Override
  public void accept(int token) {
    position++;
  }

  @Override
  public TokenProcessor copy() {
    return new AnnealedTemperature(this);
  }
}
