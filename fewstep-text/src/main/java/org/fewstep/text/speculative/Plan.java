package org.fewstep.text.speculative;

import org.fewstep.core.BadInputException;

/**
 * A verifier's decision for given candidates, as a pure function of (p, q, candidates)
 * (decoding.md 0.3): try the candidates in {@code order}, accepting candidate {@code order[j]} with
 * probability {@code accept[j]} given that the earlier tries failed; if all fail, draw the emitted
 * token from {@code residual} (a probability vector over the vocabulary, or null when the tries
 * cannot all fail). The law of the emitted token is then
 * {@code sum_j prod_{i<j}(1 - accept[i]) accept[j] 1{x = candidates[order[j]]} + prod_j (1 - accept[j]) residual(x)},
 * which tests compute exactly by enumerating the candidates' draws.
 *
 * <p>An accepted try continues that candidate's draft; a residual token ends the speculation, even
 * if it equals a candidate's token. {@code order} may leave out candidates that are never tried,
 * and may try a candidate that was not drawn at random (greedy-md tries its deterministic
 * candidates after the sampled one, see {@link Verifiers}).
 *
 * @param order    indices into the candidate array, in the order they are tried
 * @param accept   conditional acceptance probability of each try, in [0, 1]
 * @param residual the law of the token when every try fails; null if that cannot happen, which a
 *                 plan states exactly: then some try has {@code accept[j] == 1}
 */
public record Plan(int[] order, double[] accept, double[] residual) {
  public Plan {
    if (order.length != accept.length) {
      throw BadInputException.of("accept length", accept.length, order.length + " (one per try)");
    }
    boolean certain = false;
    for (double a : accept) {
      if (!(a >= 0 && a <= 1)) {
        throw BadInputException.of("accept", a, "a probability in [0, 1]");
      }
      certain |= a == 1;
    }
    if (residual == null && !certain) {
      throw BadInputException.of("residual", null, "a law for when every try fails (no try is certain)");
    }
  }
}
