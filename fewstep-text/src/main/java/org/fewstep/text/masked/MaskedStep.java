package org.fewstep.text.masked;

/**
 * What one decoding step of one row did: the positions it committed (with their tokens) and the
 * positions it re-masked (Saber's backtracking), after {@code nfe} forward passes of that row.
 *
 * @param row        the row (sample) index
 * @param nfe        forward passes of this row so far, this step's included
 * @param time       the diffusion time after the step for time-stepped samplers (FHS, MDM, LSD), else NaN
 * @param committed  positions committed in this step (absolute positions of the sequence)
 * @param tokens     the committed tokens, one per entry of {@code committed}
 * @param confidence the committed tokens' confidences (their probability under the model)
 * @param remasked   positions re-masked in this step
 * @param masked     masked positions left in the row after the step
 */
public record MaskedStep(int row, int nfe, double time, int[] committed, int[] tokens, double[] confidence,
    int[] remasked, int masked) {}
