package org.fewstep.diffusion.schedule;

import java.util.Locale;
import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Keyed;

/**
 * A discrete-time VP schedule (DDPM, Stable Diffusion) made continuous the way the official
 * DPM-Solver code does (diffusion.md 0.2): {@code log alpha_n = 0.5 * sum_{i<=n} log(1 - beta_i)} at
 * {@code t_n = (n + 1)/N}, piecewise-linear in t between those points and extrapolated linearly
 * beyond them. Optionally the noisiest entries with {@code lambda < clipLambda} are dropped first
 * (DPM-Solver's {@code numerical_clip_alpha}, needed for cosine betas), after which N is the number
 * of entries kept. The network's time label for t is the training index {@code (t - 1/N) N}.
 */
public final class VpDiscreteSchedule extends VpSchedule {
  /** The beta schedules of DDPM-style models. */
  public enum Betas implements Keyed {
    /** {@code linspace(start, end, N)} (DDPM: 1e-4 .. 0.02). */
    LINEAR("linear", 1e-4, 0.02),
    /** {@code linspace(sqrt(start), sqrt(end), N)^2} (Stable Diffusion: 0.00085 .. 0.012). */
    SCALED_LINEAR("scaled-linear", 0.00085, 0.012),
    /** Betas of the cosine alpha-bar of improved DDPM, each capped at 0.999. */
    SQUAREDCOS_CAP_V2("squaredcos-cap-v2", Double.NaN, Double.NaN);

    private final String key;
    private final double defaultStart;
    private final double defaultEnd;

    Betas(String key, double defaultStart, double defaultEnd) {
      this.key = key;
      this.defaultStart = defaultStart;
      this.defaultEnd = defaultEnd;
    }

    @Override
    public String key() {
      return key;
    }

    public double defaultStart() {
      return defaultStart;
    }

    public double defaultEnd() {
      return defaultEnd;
    }

    public static Betas of(String key) {
      return Keyed.of(Betas.class, "betas", key);
    }

    /** The {@code n} betas of this kind ({@code start}, {@code end} ignored for the cosine kind). */
    public double[] betas(int n, double start, double end) {
      double[] betas = new double[n];
      for (int i = 0; i < n; i++) {
        double f = n == 1 ? 0 : (double) i / (n - 1);
        switch (this) {
          case LINEAR:
            betas[i] = start + f * (end - start);
            break;
          case SCALED_LINEAR: {
            double r = Math.sqrt(start) + f * (Math.sqrt(end) - Math.sqrt(start));
            betas[i] = r * r;
            break;
          }
          default:
            betas[i] = Math.min(1 - cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n), 0.999);
        }
      }
      return betas;
    }

    private static double cosineAlphaBar(double t) {
      double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
      return c * c;
    }
  }

  private final double[] times;
  private final double[] logAlphas;
  private final double[] logAlphasAscending;
  private final double[] timesForAscending;
  private final String spec;

  private VpDiscreteSchedule(double[] logAlphas, double tStart, double tEnd, String spec) {
    super(tStart, tEnd, 0, 1);
    int n = logAlphas.length;
    this.logAlphas = logAlphas;
    this.times = new double[n];
    this.logAlphasAscending = new double[n];
    this.timesForAscending = new double[n];
    for (int i = 0; i < n; i++) {
      times[i] = (i + 1.0) / n;
    }
    for (int i = 0; i < n; i++) {
      logAlphasAscending[i] = logAlphas[n - 1 - i];
      timesForAscending[i] = times[n - 1 - i];
    }
    this.spec = spec;
  }

  /**
   * The schedule of the given betas.
   *
   * @param clipLambda drop the noisiest entries with lambda below this value; NaN keeps all
   * @param tStart     start of sampling, NaN for the default 1
   * @param tEnd       end of sampling, NaN for the default 1/N
   */
  public static VpDiscreteSchedule of(double[] betas, double clipLambda, double tStart, double tEnd, String spec) {
    if (betas.length < 2) {
      throw BadInputException.of("number of betas", betas.length, "at least 2");
    }
    double[] logAlphas = new double[betas.length];
    double sum = 0;
    for (int i = 0; i < betas.length; i++) {
      if (!(betas[i] > 0 && betas[i] < 1)) {
        throw BadInputException.of("beta[" + i + "]", betas[i], "a number in (0, 1)");
      }
      sum += Math.log1p(-betas[i]);
      logAlphas[i] = 0.5 * sum;
    }
    int keep = logAlphas.length;
    if (!Double.isNaN(clipLambda)) {
      while (keep > 2 && lambdaOfLogAlpha(logAlphas[keep - 1]) < clipLambda) {
        keep--;
      }
    }
    double[] kept = java.util.Arrays.copyOf(logAlphas, keep);
    double start = Double.isNaN(tStart) ? 1.0 : tStart;
    double end = Double.isNaN(tEnd) ? 1.0 / keep : tEnd;
    return new VpDiscreteSchedule(kept, start, end, spec);
  }

  /** Number of discrete entries N (after clipping). */
  public int length() {
    return logAlphas.length;
  }

  @Override
  public double logAlpha(double t) {
    return interpolate(t, times, logAlphas);
  }

  @Override
  public double inverseLambda(double lambda) {
    return interpolate(logAlphaOfLambda(lambda), logAlphasAscending, timesForAscending);
  }

  /** The lambda of every entry, ascending (the knots of the linear interpolation). */
  @Override
  public double[] lambdaKnots() {
    double[] out = new double[logAlphasAscending.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = lambdaOfLogAlpha(logAlphasAscending[i]);
    }
    return out;
  }

  @Override
  public double networkTime(double t) {
    int n = logAlphas.length;
    return (t - 1.0 / n) * n;
  }

  @Override
  public String spec() {
    return spec;
  }

  private static double lambdaOfLogAlpha(double logAlpha) {
    return logAlpha - 0.5 * Math.log(-Math.expm1(2 * logAlpha));
  }

  /**
   * Piecewise-linear interpolation through (xs, ys), xs ascending, extended linearly by the first
   * and last segments outside [xs[0], xs[n-1]] (as the official {@code interpolate_fn}).
   */
  static double interpolate(double x, double[] xs, double[] ys) {
    int n = xs.length;
    int lo;
    if (x <= xs[0]) {
      lo = 0;
    } else if (x >= xs[n - 1]) {
      lo = n - 2;
    } else {
      int a = 0;
      int b = n - 1;
      while (b - a > 1) {
        int mid = (a + b) >>> 1;
        if (xs[mid] <= x) {
          a = mid;
        } else {
          b = mid;
        }
      }
      lo = a;
    }
    double x0 = xs[lo];
    double x1 = xs[lo + 1];
    return ys[lo] + (x - x0) * (ys[lo + 1] - ys[lo]) / (x1 - x0);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "VpDiscreteSchedule[N=%d]", logAlphas.length);
  }
}
