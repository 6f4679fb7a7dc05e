package org.fewstep.diffusion.search;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * Test-time search over the noise of any {@link DiffusionSampler} with a {@link Verifier} (Video-T1,
 * Liu et al., ICCV 2025, arXiv 2503.18942, section 3; diffusion.md 12b), the generic part:
 *
 * <ul>
 *   <li>{@link #bestOfN}: random linear search, N initial noises sampled to the end and scored;
 *   <li>{@link #beam}: a beam search over the denoising trajectory, pruned at checkpoints by the
 *       verifier's score of the data estimate {@code D(x, sigma)} (Tree-of-Frames with the stages
 *       mapped to segments of the noise grid).
 * </ul>
 *
 * Candidate i's initial noise is {@code priorScale * z} with z from {@code Rng.stream(seed, i)} (as
 * {@code Diffusion.prior}), so a larger budget only adds candidates; the sampler's own randomness
 * comes from {@code Rng.stream(seed, -1)}, split per row. Same inputs and seed give the same bytes.
 * Rows are sampled as one batch, so the sampler must treat rows independently (every fewstep
 * sampler except the adaptive DPM-Solver, whose step control couples rows).
 */
public final class NoiseSearch {
  private NoiseSearch() {}

  /**
   * Best-of-N: samples {@code n} initial noises with {@code sampler} in {@code steps} steps and returns
   * the one the verifier scores highest (the first on ties) with the full score table. Costs
   * {@code n * NFE} evaluations and {@code n} verifier calls.
   */
  public static SearchResult bestOfN(DiffusionSampler sampler, Denoiser model, int steps, int n, long seed,
      Verifier verifier) {
    BadInputException.requireAtLeast("best-of-N: n (candidates)", n, 1);
    BadInputException.requireAtLeast("best-of-N: steps", steps, 1);
    SampleResult run = sampler.sample(model, steps, prior(model, n, seed), Rng.stream(seed, -1), StepListener.NONE);
    double[] scores = score(verifier, run.samples().data(), n, model.itemSize());
    int best = argmax(scores);
    return new SearchResult(rows(run.samples(), new int[] {best}), best, run.samples(), scores, run.nfe(),
        (long) run.nfe() * n, n);
  }

  /**
   * Beam search over the trajectory. The sampler's grid of {@code steps} steps is cut at
   * {@code checkpoints - 1} inner points (step {@code round(j * steps / checkpoints)}). It starts from
   * {@code beams * children} initial noises; at each inner checkpoint every candidate is scored on its
   * data estimate {@code D(x, sigma)} (one batched evaluation) and the best {@code beams} are kept
   * (ties: lower index). Each kept beam then has {@code children} children for the next segment:
   * child 0 is the beam itself, child c > 0 gets fresh noise,
   * {@code x~ = D + sqrt(1 - renoise^2) (x~ - D) + renoise * sigma~ * z} in VE coordinates
   * ({@code renoise = 1}: a new draw of the noise at the same level around the beam's estimate). The
   * final candidates are scored on the samples themselves. Each segment is one run of the sampler on
   * its part of the grid (a multistep sampler restarts its history at a checkpoint).
   *
   * @param renoise the fraction of the noise replaced in a child, in (0, 1]
   */
  public static SearchResult beam(DiffusionSampler sampler, Denoiser model, int steps, int checkpoints, int beams,
      int children, double renoise, long seed, Verifier verifier) {
    BadInputException.requireAtLeast("beam search: beams", beams, 1);
    BadInputException.requireAtLeast("beam search: children", children, 1);
    BadInputException.requireAtLeast("beam search: checkpoints", checkpoints, 1);
    if (!(renoise > 0 && renoise <= 1)) {
      throw BadInputException.of("beam search: renoise", renoise, "a fraction in (0, 1]");
    }
    TimeGrid grid = sampler.grid(model.schedule(), steps);
    if (checkpoints * sampler.minSteps() > grid.steps()) {
      throw BadInputException.of("beam search: checkpoints", checkpoints, "at most " + grid.steps() / sampler.minSteps()
          + " (segments of at least " + sampler.minSteps() + " steps of " + grid.steps() + ")");
    }
    int d = model.itemSize();
    int m = beams * children;
    Rng samplerRng = Rng.stream(seed, -1);
    Rng noiseRng = Rng.stream(seed, -2);
    NdArray x = prior(model, m, seed);
    double[] estimates = null;
    int nfe = 0;
    long evaluations = 0;
    long verifierCalls = 0;
    int from = 0;
    for (int j = 1; j <= checkpoints; j++) {
      int to = (int) Math.round((double) j * grid.steps() / checkpoints);
      TimePoint start = grid.point(from);
      if (j > 1) {
        x = spawn(x, estimates, children, renoise, start, noiseRng, d);
      }
      int rows = x.items();
      SampleResult run = sampler.sample(model, TimeGrid.of(Arrays.copyOfRange(points(grid), from, to + 1)), x,
          samplerRng.split(), StepListener.NONE);
      x = run.samples();
      nfe += run.nfe();
      evaluations += (long) run.nfe() * rows;
      if (j == checkpoints) {
        double[] scores = score(verifier, x.data(), rows, d);
        verifierCalls += rows;
        int best = argmax(scores);
        return new SearchResult(rows(x, new int[] {best}), best, x, scores, nfe, evaluations, verifierCalls);
      }
      TimePoint at = grid.point(to);
      double[] xVe = x.data().clone();
      for (int i = 0; i < xVe.length; i++) {
        xVe[i] /= at.alpha();
      }
      double[] preview = new double[xVe.length];
      model.denoise(xVe, rows, at, preview);
      nfe++;
      evaluations += rows;
      double[] scores = score(verifier, preview, rows, d);
      verifierCalls += rows;
      int[] kept = IntStream.range(0, rows).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
          .limit(beams).mapToInt(Integer::intValue).toArray();
      x = rows(x, kept);
      estimates = new double[kept.length * d];
      for (int b = 0; b < kept.length; b++) {
        System.arraycopy(preview, kept[b] * d, estimates, b * d, d);
      }
      from = to;
    }
    throw new IllegalStateException("unreachable");
  }

  /** Each beam's children at {@code at}: child 0 the beam itself, the others with fresh noise. */
  private static NdArray spawn(NdArray beams, double[] estimates, int children, double renoise, TimePoint at, Rng rng,
      int d) {
    int count = beams.items();
    double[] out = new double[count * children * d];
    double keep = Math.sqrt(1 - renoise * renoise);
    double[] z = new double[d];
    for (int b = 0; b < count; b++) {
      for (int c = 0; c < children; c++) {
        int o = (b * children + c) * d;
        System.arraycopy(beams.data(), b * d, out, o, d);
        if (c == 0) {
          continue;
        }
        rng.fillGaussian(z);
        for (int j = 0; j < d; j++) {
          double estimate = estimates[b * d + j];
          double xVe = out[o + j] / at.alpha();
          out[o + j] = at.alpha() * (estimate + keep * (xVe - estimate) + renoise * at.noise() * z[j]);
        }
      }
    }
    int[] shape = beams.shape();
    shape[0] = count * children;
    return NdArray.of(out, shape);
  }

  /** {@code n} prior draws as {@code Diffusion.prior} makes them (row i from {@code Rng.stream(seed, i)}). */
  private static NdArray prior(Denoiser model, int n, long seed) {
    int d = model.itemSize();
    double scale = model.schedule().priorScale();
    double[] data = new double[n * d];
    for (int r = 0; r < n; r++) {
      Rng rng = Rng.stream(seed, r);
      for (int j = 0; j < d; j++) {
        data[r * d + j] = scale * rng.nextGaussian();
      }
    }
    int[] item = model.itemShape();
    int[] shape = new int[item.length + 1];
    shape[0] = n;
    System.arraycopy(item, 0, shape, 1, item.length);
    return NdArray.of(data, shape);
  }

  private static double[] score(Verifier verifier, double[] data, int n, int d) {
    double[] scores = new double[n];
    for (int r = 0; r < n; r++) {
      double s = verifier.score(Arrays.copyOfRange(data, r * d, (r + 1) * d));
      if (Double.isNaN(s)) {
        throw BadInputException.of("verifier score of candidate " + r, s, "a number (higher is better)");
      }
      scores[r] = s;
    }
    return scores;
  }

  private static int argmax(double[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  private static NdArray rows(NdArray x, int[] which) {
    int d = x.itemSize();
    double[] out = new double[which.length * d];
    for (int i = 0; i < which.length; i++) {
      System.arraycopy(x.data(), which[i] * d, out, i * d, d);
    }
    int[] shape = x.shape();
    shape[0] = which.length;
    return NdArray.of(out, shape);
  }

  private static TimePoint[] points(TimeGrid grid) {
    TimePoint[] points = new TimePoint[grid.steps() + 1];
    for (int i = 0; i <= grid.steps(); i++) {
      points[i] = grid.point(i);
    }
    return points;
  }
}
