package org.fewstep.diffusion.solver;

import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * A change to the model outputs a multistep solver has stored, made just before each step: the
 * plug-in point of methods that correct the history rather than the step, such as DC-Solver's
 * dynamic compensation (Zhao et al., ECCV 2024, Sec. 3; diffusion.md 5b), which re-times the newest output. The
 * solvers that offer it ({@code unipc}, with or without corrector, and multistep {@code dpmpp})
 * keep {@code max(order, depth())} outputs and call {@link #beforeStep} once per step; whatever
 * the transform leaves in the history is what the step uses and what later steps see.
 */
interface HistoryTransform {
  /** Leaves the history as it is. */
  HistoryTransform NONE = new HistoryTransform() {
    @Override
    public int depth() {
      return 1;
    }

    @Override
    public void beforeStep(int step, TimeGrid grid, double[][] history, int available, Trial trial) {}
  };

  /** The state the step would reach with the history as it is now, without committing the step. */
  @FunctionalInterface
  interface Trial {
    /**
     * Writes the state after the step (VE coordinates, at {@code grid.point(step)}) to
     * {@code out}; a corrector step evaluates the model once.
     */
    void run(double[] out);
  }

  /** How many of the newest outputs the transform reads (the solver keeps at least this many). */
  int depth();

  /**
   * Called before step {@code step} (1-based) from {@code grid.point(step - 1)} to
   * {@code grid.point(step)}. {@code history[k]} is the model output at
   * {@code grid.point(step - 1 - k)} for {@code k < available}; the transform may overwrite them.
   */
  void beforeStep(int step, TimeGrid grid, double[][] history, int available, Trial trial);
}
