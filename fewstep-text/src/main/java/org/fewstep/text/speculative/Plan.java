package org.fewstep.text.speculative;

/**
 * A verifier's decision for given candidates, as a pure function of (p, q, candidates)
 * (decoding.md 0.3): try the candidates in {@code order}, accepting candidate {@code order[j]} with
 * probability {@code accept[j]} given that the earlier tries failed; if all fail, draw the emitted
 * token from {@code residual} (a probability vector over the vocabulary, or null when the tries
 * cannot all fail). The law of the emitted token is then
 * {@code sum_j prod_{i<j}(1 - accept[i]) accept[j] 1{x = candidates[order[j]]} + prod_j (1 - accept[j]) residual(x)},
 * which tests compute exactly by enumerating the candidates' draws.
 *
 * @param order    indices into the candidate array, in the order they are tried
 * @param accept   conditional acceptance probability of each try, in [0, 1]
 * @param residual the law of the token when every try fails; null if that cannot happen
 */
public record Plan(int[] order, double[] accept, double[] residual) {}
