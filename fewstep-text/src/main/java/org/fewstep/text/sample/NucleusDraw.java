package org.fewstep.text.sample;

import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;

/**
 * The draw of a chain whose only truncations are top-p and min-p, without building the truncated
 * set: draw from the final distribution and accept the token if it is in the set, else draw again.
 * A token is in the nucleus exactly when the mass ranked before it ({@link Categorical#massBefore})
 * is below p, the rule {@link Candidates#keepTopP} applies too, and passes min-p when
 * p >= minP * p_max (or, for both, when it is among the {@code minKeep} most likely). Rejection
 * sampling gives the truncated, renormalized law exactly, with 1 / (the set's mass under the final
 * distribution) tries on average: about 1/p at temperature 1, far more when a high final temperature
 * spreads the mass outside a set chosen on the untempered law. So after {@link #TRIES} rejections
 * it gives up and the chain builds the set; since every accepted try and the fallback draw from the
 * same law, the law stays exact.
 *
 * <p>The logits it gets are the chain's after its earlier processors (bias, penalties and, with
 * temperature first, the temperature), so the set is chosen on exactly the weights the explicit
 * path uses.
 *
 * @param topP        nucleus mass (1 = no top-p)
 * @param minKeep     top-p and min-p keep at least this many tokens
 * @param minP        min-p fraction (0 = none)
 * @param temperature the temperature still to apply to the draw (1 when it came first)
 */
record NucleusDraw(double topP, int minKeep, double minP, double temperature) {
  /** Rejections before the chain builds the set instead. */
  static final int TRIES = 4;

  /** Workspaces of one chain. */
  static final class Work {
    final Categorical member = new Categorical();
    final Categorical draw = new Categorical();
  }

  /** A token of the truncated law, or -1 after {@link #TRIES} rejections. */
  int draw(double[] logits, int n, Rng rng, Work work) {
    Categorical member = work.member.setLogits("logits", logits, n);
    Categorical from = temperature == 1 ? member : work.draw.setLogits("logits", logits, n, temperature);
    double minLogit = Double.NEGATIVE_INFINITY;
    if (minP > 0) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        max = Math.max(max, logits[i]);
      }
      minLogit = max + Math.log(minP);
    }
    for (int t = 0; t < TRIES; t++) {
      int i = from.sample(rng);
      boolean top = minKeep > 1 && member.rank(i) < minKeep;
      boolean inMinP = logits[i] >= minLogit || top;
      if (inMinP && (topP >= 1 || top || member.massBefore(i) < topP)) {
        return i;
      }
    }
    return -1;
  }
}
