package org.fewstep.diffusion.analysis;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * The dual-error disentanglement of DualFast (Yu, Luo, Wang and Zhao, arXiv 2506.13058, section 3;
 * diffusion.md 6a): the error of a few-step sampler splits into a <em>discretisation</em> error (the
 * solver's steps are too large) and an <em>approximation</em> error (the network is not the true
 * denoiser). With an exact analytic model as the truth and an imperfect copy of it (for example a
 * {@link org.fewstep.diffusion.model.PerturbedDenoiser}), both are measured exactly against the
 * exact probability-flow solution (the {@code reference} solver):
 * <ul>
 *   <li>discretisation: the sampler on the exact model, against the exact solution;</li>
 *   <li>approximation: the imperfect model's ODE solved exactly, against the exact solution;</li>
 *   <li>both: the sampler on the imperfect model, against the exact solution.</li>
 * </ul>
 * {@link #endToEnd} does this from the prior to the end of the grid; {@link #perStep} does it for
 * each interval of an N-step grid, starting every interval from the exact state, as the paper's
 * transitions over [s, t] do. The paper measures against a 1000-step pseudo ground truth; the
 * analytic model makes the ground truth exact. All errors are RMSE over samples and elements in
 * model coordinates.
 */
public final class ErrorDisentanglement {
  /** The errors of one step count (end to end) or of one interval (per step). */
  public record Row(int steps, int step, double tFrom, double tTo, double discretisation, double approximation, double both) {}

  private final Denoiser exact;
  private final Denoiser imperfect;
  private final DiffusionSampler reference;

  /**
   * @param exact     the true denoiser (an analytic model)
   * @param imperfect the model with an approximation error (same schedule and item shape)
   */
  public ErrorDisentanglement(Denoiser exact, Denoiser imperfect) {
    if (!exact.schedule().spec().equals(imperfect.schedule().spec()) || exact.itemSize() != imperfect.itemSize()) {
      throw new BadInputException("error disentanglement: the exact and the imperfect model need the same schedule and item size");
    }
    this.exact = exact;
    this.imperfect = imperfect;
    this.reference = Diffusion.sampler("reference");
  }

  /** End-to-end errors of {@code sampler} at each step count, from the initial noises {@code start}. */
  public List<Row> endToEnd(DiffusionSampler sampler, int[] steps, NdArray start) {
    Rng rng = new Rng(0);
    double[] truth = reference.sample(exact, 1, start, rng, StepListener.NONE).samples().data();
    double approximation = Vectors.rmsDifference(reference.sample(imperfect, 1, start, rng, StepListener.NONE).samples().data(),
        truth);
    List<Row> rows = new ArrayList<>();
    for (int n : steps) {
      TimeGrid grid = sampler.grid(exact.schedule(), n);
      double disc = Vectors.rmsDifference(sampler.sample(exact, grid, start, new Rng(0), StepListener.NONE).samples().data(), truth);
      double both = Vectors.rmsDifference(sampler.sample(imperfect, grid, start, new Rng(0), StepListener.NONE).samples().data(),
          truth);
      rows.add(new Row(n, 0, grid.first().t(), grid.last().t(), disc, approximation, both));
    }
    return rows;
  }

  /**
   * Per-interval errors of one {@code steps}-step grid of {@code sampler}: each interval starts from
   * the exact state (the exact model's ODE solved from {@code start}), and the sampler takes that one
   * interval as a one-step grid (so multistep history is not used: this is the first-order part of
   * each method).
   */
  public List<Row> perStep(DiffusionSampler sampler, int steps, NdArray start) {
    if (sampler.minSteps() > 1) {
      throw BadInputException.of("per-step sampler", sampler.spec(), "a sampler that takes one-step grids (ddim, dpmpp:order=1, euler, ...);"
          + " it needs at least " + sampler.minSteps() + " steps");
    }
    TimeGrid grid = sampler.grid(exact.schedule(), steps);
    List<Row> rows = new ArrayList<>();
    NdArray state = start;
    for (int i = 1; i <= grid.steps(); i++) {
      TimeGrid interval = TimeGrid.of(grid.point(i - 1), grid.point(i));
      NdArray truth = reference.sample(exact, interval, state, new Rng(0), StepListener.NONE).samples();
      double approximation = Vectors.rmsDifference(
          reference.sample(imperfect, interval, state, new Rng(0), StepListener.NONE).samples().data(), truth.data());
      double disc = Vectors.rmsDifference(sampler.sample(exact, interval, state, new Rng(0), StepListener.NONE).samples().data(),
          truth.data());
      double both = Vectors.rmsDifference(sampler.sample(imperfect, interval, state, new Rng(0), StepListener.NONE).samples().data(),
          truth.data());
      rows.add(new Row(steps, i, grid.point(i - 1).t(), grid.point(i).t(), disc, approximation, both));
      state = truth;
    }
    return rows;
  }
}
