package org.fewstep.core.listen;

/**
 * One finished step of an iterative sampler. The sampler reuses a single instance for all steps
 * of a run (so that reporting does not allocate): read it during {@link StepListener#onStep} and
 * copy whatever you keep.
 */
public final class StepEvent {
  private int step;
  private int steps;
  private int nfe;
  private double time;
  private double noiseLevel;
  private double[] state;
  private double[] estimate;

  /** Sets every field; called by samplers. */
  public StepEvent update(int step, int steps, int nfe, double time, double noiseLevel, double[] state, double[] estimate) {
    this.step = step;
    this.steps = steps;
    this.nfe = nfe;
    this.time = time;
    this.noiseLevel = noiseLevel;
    this.state = state;
    this.estimate = estimate;
    return this;
  }

  /** Index of the finished step, from 1. */
  public int step() {
    return step;
  }

  /** Planned number of steps, or -1 when not known in advance (adaptive step size). */
  public int steps() {
    return steps;
  }

  /** Model evaluations so far. */
  public int nfe() {
    return nfe;
  }

  /** The sampler's time after this step (diffusion: the schedule's t). */
  public double time() {
    return time;
  }

  /** The noise level after this step (diffusion: sigma/alpha, the VE noise scale); NaN if none. */
  public double noiseLevel() {
    return noiseLevel;
  }

  /** The current state (diffusion: the batch in VE coordinates x/alpha), live: copy to keep. */
  public double[] state() {
    return state;
  }

  /** The latest model estimate (diffusion: the data prediction x0), live; may be null. */
  public double[] estimate() {
    return estimate;
  }
}
