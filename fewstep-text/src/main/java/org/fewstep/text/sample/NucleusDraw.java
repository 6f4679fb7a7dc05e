package org.fewstep.text.sample;

import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * The draw of a chain whose only truncations are top-p and min-p, done without building the
 * truncated set: draw from the final (tempered) distribution and accept the token if it is in
 * the set, else draw again. A token is in the nucleus exactly when the mass of the tokens ranked
 * before it is below p (one vectorized pass over the weights), and passes min-p when
 * p >= minP * p_max; rejection sampling then gives the truncated, renormalized law exactly, with
 * 1 / (final mass of the set) draws on average (at most 1 / p). No sort, no copy of the vocabulary.
 *
 * @param topP             nucleus mass (1 = no top-p)
 * @param minKeep          top-p keeps at least this many tokens
 * @param minP             min-p fraction (0 = none)
 * @param temperature      the final temperature (> 0)
 * @param temperatureFirst whether the truncations see the tempered distribution
 */
record NucleusDraw(double topP, int minKeep, double minP, double temperature, boolean temperatureFirst) {

  /** Workspaces of one chain. */
  static final class Work {
    final Categorical member = new Categorical();
    final Categorical draw = new Categorical();
  }

  int draw(double[] logits, int n, Rng rng, Work work) {
    double memberTemperature = temperatureFirst ? temperature : 1.0;
    Categorical member = work.member.setLogits("logits", logits, n, memberTemperature);
    Categorical from = temperature == memberTemperature ? member : work.draw.setLogits("logits", logits, n, temperature);
    double max = Double.NEGATIVE_INFINITY;
    if (minP > 0) {
      for (int i = 0; i < n; i++) {
        max = Math.max(max, logits[i]);
      }
    }
    double minLogit = max + Math.log(minP) * memberTemperature; // p >= minP p_max in the member law
    while (true) {
      int i = from.sample(rng);
      if (minP > 0 && logits[i] < minLogit) {
        continue;
      }
      if (topP >= 1 || member.massBefore(i) < topP || (minKeep > 1 && member.rank(i) < minKeep)) {
        return i;
      }
    }
  }
}
