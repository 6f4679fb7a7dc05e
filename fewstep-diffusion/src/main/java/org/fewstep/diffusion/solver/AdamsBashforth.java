package org.fewstep.diffusion.solver;

/**
 * Adams-Bashforth weights for equal steps, newest value first: the linear multistep combination
 * of PLMS (PNDM) and iPNDM (DEIS repository). Each row sums to 1.
 */
final class AdamsBashforth {
  private static final double[][] WEIGHTS = {
    {1},
    {3.0 / 2, -1.0 / 2},
    {23.0 / 12, -16.0 / 12, 5.0 / 12},
    {55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24},
  };

  private AdamsBashforth() {}

  /** The weights of the {@code points}-point formula (1..4). */
  static double[] weights(int points) {
    return WEIGHTS[points - 1];
  }
}
