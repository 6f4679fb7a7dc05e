package org.fewstep.diffusion.guidance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The minority score of Um, Lee and Ye ("Don't Play Favorites: Minority Guidance for Diffusion
 * Models", ICLR 2024, eq. 6; diffusion.md 9b): how badly Tweedie's denoiser reconstructs a data point
 * after noising it, averaged over draws. Denoising pulls noisy points toward common features, so
 * rare points reconstruct worst. The distance is the squared L2 distance per element (the official
 * code uses LPIPS, which is specific to natural images).
 */
public final class MinorityScore {
  /**
   * The official perturbation level ({@code construct_ms_dataset.py}: {@code perturb_t = 60} with
   * {@code timestep_respacing = "100"}): step 60 of the 100-step respacing of a 1000-step model, which
   * guided-diffusion's even spacing (stride 999/99, rounded) puts at timestep 605, i.e. 60.5 % of the
   * way from the end of the schedule's time range to its start.
   */
  public static final double DEFAULT_LEVEL = 0.605;
  /** The official number of noise draws per point ({@code n_iter}). */
  public static final int DEFAULT_DRAWS = 5;

  private MinorityScore() {}

  /** The time {@code level} of the way from {@code tEnd} to {@code tStart} (level in (0, 1]). */
  public static TimePoint level(NoiseSchedule schedule, double level) {
    if (!(level > 0 && level <= 1)) {
      throw BadInputException.of("minority score level", level, "a fraction in (0, 1] of the schedule's time range");
    }
    return schedule.at(schedule.tEnd() + level * (schedule.tStart() - schedule.tEnd()));
  }

  /**
   * The minority score of each of the {@code n} data points (clean, model coordinates at t = 0, one
   * per row of {@code data}): the mean over {@code draws} draws of
   * {@code |x0 - D(x0 + sigma~ z, sigma~)|^2 / size} at noise level {@code at}.
   */
  public static double[] of(Denoiser model, double[] data, int n, TimePoint at, int draws, Rng rng) {
    BadInputException.requireAtLeast("number of data points", n, 1);
    BadInputException.requireAtLeast("noise draws", draws, 1);
    int size = model.itemSize();
    if (data.length != n * size) {
      throw BadInputException.of("data length", data.length, n + " points of " + size + " elements");
    }
    double[] noisy = new double[data.length];
    double[] estimate = new double[data.length];
    double[] scores = new double[n];
    for (int k = 0; k < draws; k++) {
      for (int i = 0; i < data.length; i++) {
        noisy[i] = data[i] + at.noise() * rng.nextGaussian();
      }
      model.denoise(noisy, n, at, estimate);
      for (int r = 0; r < n; r++) {
        double s = 0;
        for (int j = r * size; j < (r + 1) * size; j++) {
          double d = data[j] - estimate[j];
          s += d * d;
        }
        scores[r] += s / size / draws;
      }
    }
    return scores;
  }

  /**
   * Labels by quantiles of the scores into {@code classes} classes of equal size (within one): class
   * 0 holds the lowest scores (the most common points), class {@code classes - 1} the highest (the
   * most unique). Ties go by index.
   */
  public static int[] labels(double[] scores, int classes) {
    int n = scores.length;
    BadInputException.requireAtLeast("number of classes", classes, 2);
    if (classes > n) {
      throw BadInputException.of("number of classes", classes, "at most the number of data points (" + n + ")");
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).thenComparingInt(i -> i));
    int[] labels = new int[n];
    for (int rank = 0; rank < n; rank++) {
      labels[order[rank]] = (int) ((long) rank * classes / n);
    }
    return labels;
  }
}
