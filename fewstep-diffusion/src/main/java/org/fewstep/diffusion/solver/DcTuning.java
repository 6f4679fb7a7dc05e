package org.fewstep.diffusion.solver;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.registry.Options;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * The offline part of DC-Solver (Zhao et al., ECCV 2024, Sec. 3; diffusion.md 5b): the search of compensation
 * ratios for one number of steps and guidance scale. Fit a {@link Cpr} to the ratios of several
 * (NFE, scale) pairs to predict ratios for unseen ones; store them with {@link DcRatios#write}.
 *
 * <p>The ground truth is the exact probability-flow trajectory from the same initial noises
 * ({@code reference}, Dormand-Prince to 1e-10, evaluated at every time of the sampler's grid). The
 * official code uses a 200-step DDIM trajectory and the state at the nearest DDIM time above each
 * step's time; the exact trajectory removes both DDIM's own error and that time mismatch.
 */
public final class DcTuning {
  private DcTuning() {}

  /**
   * The one-dimensional minimisation of each step's loss: a scan of {@code scan} equally spaced
   * ratios on {@code [min, max]} (ratio 1 is always tried too), then golden-section search to a
   * bracket of width {@code tolerance} around the best. The official code runs AdamW (lr 0.1) from
   * ratio 1, unbounded, for 20 (diffusers port) or 40 (LDM) iterations; the default interval
   * {@code [-1, 3]} is what 20 such iterations can reach, scanned in steps of 0.1. The diffusers
   * port's optional bound {@code 1 + 0.5 tanh} is {@code new Search(0.5, 1.5, 21, 1e-6)}.
   */
  public record Search(double min, double max, int scan, double tolerance) {
    public static final Search DEFAULT = new Search(-1, 3, 41, 1e-6);

    public Search {
      if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
        throw BadInputException.of("ratio interval", "[" + min + ", " + max + "]", "finite bounds with min < max");
      }
      BadInputException.requireAtLeast("scan points", scan, 3);
      if (!(tolerance > 0)) {
        throw BadInputException.of("tolerance", tolerance, "a positive bracket width");
      }
    }
  }

  /**
   * What a search found.
   *
   * @param ratios    the ratio of every step
   * @param lossAtOne per step, the loss (MSE to the reference state, model coordinates) of the step
   *                  with ratio 1 from the searched trajectory's state; NaN during the warm-up
   * @param loss      per step, the loss at the chosen ratio; NaN during the warm-up
   */
  public record Result(DcRatios ratios, double[] lossAtOne, double[] loss) {}

  /**
   * Searches the ratios of an {@code nfe}-step run.
   *
   * @param spec   a {@code dc} sampler spec without {@code ratios} or {@code cpr}, e.g. {@code dc:order=3}
   * @param model  the denoiser, guidance included (e.g. {@code Denoiser.guided(model, labels, 7.5)})
   * @param nfe    number of steps
   * @param scale  the guidance scale of {@code model}, recorded in the result
   * @param noises the initial noises in model coordinates (the paper uses 10)
   * @param search the minimiser's interval and tolerance
   */
  public static Result search(String spec, Denoiser model, int nfe, double scale, NdArray noises, Search search) {
    Options o = Samplers.registry().parse(spec);
    if (!o.component().equals("dc")) {
      throw BadInputException.of("ratio search sampler", spec, "a dc sampler spec (dc:...)");
    }
    if (o.isGiven("ratios") || o.isGiven("cpr") || o.isGiven("scale")) {
      throw new BadInputException(spec + ": a ratio search takes no ratios, cpr or scale option (it finds the ratios)");
    }
    int dcOrder = o.getInt("dc-order");
    TimeGrid grid = Samplers.dcSolver(o, HistoryTransform.NONE).grid(model.schedule(), nfe);
    double[][] reference = reference(model, grid, noises);
    RatioSearch transform = new RatioSearch(dcOrder, reference, search);
    Samplers.dcSolver(o, transform).sample(model, grid, noises, new Rng(0), StepListener.NONE);
    return new Result(new DcRatios(nfe, scale, transform.ratios()), transform.lossAtOne(), transform.loss());
  }

  /** The exact trajectory from {@code noises} at every grid point, in VE coordinates (x / alpha). */
  static double[][] reference(Denoiser model, TimeGrid grid, NdArray noises) {
    DiffusionSampler exact = Samplers.registry().create("reference");
    double[][] states = new double[grid.steps() + 1][];
    NdArray x = noises;
    for (int i = 1; i <= grid.steps(); i++) {
      x = exact.sample(model, TimeGrid.of(grid.point(i - 1), grid.point(i)), x, new Rng(0), StepListener.NONE).samples();
      double[] ve = x.data().clone();
      double inverse = 1 / grid.point(i).alpha();
      for (int j = 0; j < ve.length; j++) {
        ve[j] *= inverse;
      }
      states[i] = ve;
    }
    return states;
  }
}
