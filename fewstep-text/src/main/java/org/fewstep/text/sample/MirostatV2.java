package org.fewstep.text.sample;

import java.util.Arrays;

/**
 * Mirostat 2.0 (Basu et al. 2021, Algorithm 2 as simplified in llama.cpp): keeps the tokens whose
 * surprise -log2 p is at most mu (at least the most likely one), and after each draw moves mu
 * toward the target surprise tau: mu <- mu - eta (s - tau), where s is the chosen token's surprise
 * under the truncated, renormalized distribution. mu starts at 2 tau. It must be the last
 * processor: the chain draws from exactly the distribution it leaves.
 */
final class MirostatV2 implements TokenProcessor {
  private final double tau;
  private final double eta;
  private double mu;
  private int[] keptIds = new int[0];
  private double[] keptLogProbs = new double[0];
  private int kept;

  MirostatV2(double tau, double eta) {
    this.tau = tau;
    this.eta = eta;
    this.mu = 2 * tau;
  }

  private MirostatV2(MirostatV2 other) {
    this.tau = other.tau;
    this.eta = other.eta;
    this.mu = other.mu;
    this.keptIds = other.keptIds.clone();
    this.keptLogProbs = other.keptLogProbs.clone();
    this.kept = other.kept;
  }

  /** The current target mu (bits). */
  double mu() {
    return mu;
  }

  @Override
  public String name() {
    return "mirostat";
  }

  @Override
  public void apply(Candidates candidates) {
    // surprise -log2 p <= mu  <=>  log p >= -mu ln 2  <=>  logit >= logZ - mu ln 2
    int best = candidates.argmax();
    double logZ = candidates.logit(best) - candidates.logProbability(best);
    candidates.keepLogitsAtLeast(logZ - mu * Math.log(2), 1);
    kept = candidates.size();
    if (keptIds.length < kept) {
      keptIds = new int[kept];
      keptLogProbs = new double[kept];
    }
    for (int i = 0; i < kept; i++) {
      keptIds[i] = candidates.id(i);
      keptLogProbs[i] = candidates.logProbability(i);
    }
  }

  @Override
  public void accept(int token) {
    for (int i = 0; i < kept; i++) {
      if (keptIds[i] == token) {
        double surprise = -keptLogProbs[i] / Math.log(2);
        mu -= eta * (surprise - tau);
        return;
      }
    }
    throw new IllegalStateException("mirostat: token " + token + " was not among its candidates "
        + Arrays.toString(Arrays.copyOf(keptIds, Math.min(kept, 8))));
  }

  @Override
  public TokenProcessor copy() {
    return new MirostatV2(this);
  }
}
