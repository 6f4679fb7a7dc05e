package org.fewstep.diffusion.solver;

import java.util.Locale;
import org.fewstep.core.registry.Keyed;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Which model output a solver expands in its Taylor/Lagrange terms: the data estimate x0
 * (DPM-Solver++, UniPC's default; stable under large guidance) or the noise estimate eps
 * (DPM-Solver, DEIS, PNDM).
 */
enum Parameterization implements Keyed {
  DATA,
  NOISE;

  @Override
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  ExponentialStep step(TimePoint s, TimePoint t) {
    return this == DATA ? ExponentialStep.data(s, t) : ExponentialStep.noise(s, t);
  }

  /** The model output in this parameterisation at {@code at}. */
  void evaluate(Run run, double[] x, TimePoint at, double[] out) {
    if (this == DATA) {
      run.x0(x, at, out);
    } else {
      run.eps(x, at, out);
    }
  }
}
