package org.fewstep.diffusion;

import org.fewstep.core.NdArray;

/**
 * The outcome of one sampling run.
 *
 * @param samples the samples at the end of the grid, in model coordinates ({@code [n, ...]})
 * @param nfe     number of denoiser evaluations (one per batched call, guidance included)
 * @param steps   number of solver steps taken
 * @param nanos   wall time of the run
 */
public record SampleResult(NdArray samples, int nfe, int steps, long nanos) {}
