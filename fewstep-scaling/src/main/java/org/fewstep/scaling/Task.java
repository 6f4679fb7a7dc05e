package org.fewstep.scaling;

import org.fewstep.core.Rng;

/**
 * A problem with an honest verifier, solved step by step by a stochastic generator (the "reasoner").
 * A step is the unit the step-level methods work in (a line of reasoning: particle filtering, beam
 * search); a whole solution is a sequence of steps until {@link Trace#finished}. The task also knows
 * the exact probability that a partial solution ends correct, which is the perfect process reward
 * model of the benchmarks ({@link Prm#exact}).
 */
public interface Task {
  /** A short name for reports. */
  String name();

  /** The empty solution. */
  Trace start();

  /**
   * One more step of {@code partial} (not finished), drawn from the generator at {@code temperature}
   * (1 = the generator's own law; the step's distribution is raised to the power 1/temperature and
   * renormalised). The trace's log-probability is under that tempered law.
   */
  Trace step(Trace partial, double temperature, Rng rng);

  /** The outcome verifier: whether a finished solution is correct. */
  boolean correct(Trace finished);

  /**
   * The probability that {@code partial} ends correct when completed by the generator at
   * temperature 1 (1 or 0 for a finished trace): an exact process reward.
   */
  double successProbability(Trace partial);

  /** A whole solution at {@code temperature}. */
  default Trace sample(double temperature, Rng rng) {
    Trace t = start();
    while (!t.finished()) {
      t = step(t, temperature, rng);
    }
    return t;
  }
}
