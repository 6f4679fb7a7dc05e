package org.fewstep.bench;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Table;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.VeSchedule;

/**
 * Moment tables of Feynman-Kac correctors (diffusion.md 10d/10f): for guidance, a product of experts
 * and tempering of 1-D Gaussians, and tempering of a 2-D Gaussian mixture, the exact target's mean
 * and variance next to FKC's weighted moments and those of the same SDE without weights. Experts are
 * exact denoisers under the EDM VE schedule (sigma 0.002..80).
 */
public final class FkcBenchmark {
  private static final VeSchedule SCHEDULE = VeSchedule.edm(0.002, 80);

  private FkcBenchmark() {}

  private static Denoiser gaussian(double mean, double std) {
    return Denoiser.of(new GaussianMixture(SCHEDULE, new double[] {1}, new double[][] {{mean}}, new double[][] {{std}}, null,
        Prediction.X0));
  }

  /** The 2-D mixture tempered in the table: two unequal Gaussians. */
  static GaussianMixture mixture2d() {
    return new GaussianMixture(SCHEDULE, new double[] {0.7, 0.3}, new double[][] {{-1, 0}, {1.5, 0.5}},
        new double[][] {{0.5, 0.4}, {0.3, 0.6}}, null, Prediction.X0);
  }

  /**
   * The table: one row per (case, moment), columns target, FKC, plain SDE.
   *
   * @param particles particles per run
   * @param steps     SDE steps (logSNR spacing)
   * @param seeds     FKC runs averaged (seeds 1..seeds)
   */
  public static Table run(int particles, int steps, int seeds) {
    Table t = new Table("case", "moment", "target", "FKC", "no weights").doubleFormat("%.4f");
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {"guidance: N(0,1)^-2 N(1,0.25)^3", Denoiser.combination(new double[] {-2, 3}, gaussian(0, 1),
        gaussian(1, 0.5)), "", new double[] {1.2}, new double[] {0.1}});
    cases.add(new Object[] {"product: N(-1,1) N(2,0.5)", Denoiser.combination(new double[] {1, 1}, gaussian(-1, 1),
        gaussian(2, Math.sqrt(0.5))), "", new double[] {1.0}, new double[] {1.0 / 3}});
    cases.add(new Object[] {"tempering: N(0,1)^2", gaussian(0, 1), ",beta=2", new double[] {0.0}, new double[] {0.5}});
    double[][] tempered = temperedMoments(mixture2d(), 2.0);
    cases.add(new Object[] {"tempering: 2-D mixture^2", Denoiser.of(mixture2d()), ",beta=2", tempered[0], tempered[1]});
    for (Object[] c : cases) {
      String name = (String) c[0];
      Denoiser model = (Denoiser) c[1];
      String options = (String) c[2];
      double[] mean = (double[]) c[3];
      double[] variance = (double[]) c[4];
      int d = mean.length;
      double[] fkcMean = new double[d];
      double[] fkcVar = new double[d];
      for (int seed = 1; seed <= seeds; seed++) {
        SampleResult r = run("fkc:skip=logsnr,final-resample=false" + options, model, particles, steps, seed);
        for (int j = 0; j < d; j++) {
          fkcMean[j] += r.mean(j) / seeds;
          fkcVar[j] += r.variance(j) / seeds;
        }
      }
      SampleResult plain = run("fkc:skip=logsnr,weights=false" + options, model, particles, steps, 1);
      for (int j = 0; j < d; j++) {
        String axis = d == 1 ? "" : "[" + j + "]";
        t.add(name, "mean" + axis, mean[j], fkcMean[j], plain.mean(j));
        t.add(name, "variance" + axis, variance[j], fkcVar[j], plain.variance(j));
      }
    }
    return t;
  }

  private static SampleResult run(String spec, Denoiser model, int particles, int steps, long seed) {
    int d = model.itemSize();
    double[] x = new double[particles * d];
    Rng rng = new Rng(seed ^ 0xF00D);
    for (int i = 0; i < x.length; i++) {
      x[i] = 80 * rng.nextGaussian();
    }
    return Diffusion.sampler(spec).sample(model, steps, NdArray.of(x, particles, d), new Rng(seed), StepListener.NONE);
  }

  /** Mean and variance per axis of the density {@code p^beta} of a 2-D mixture, by quadrature on a fine grid. */
  static double[][] temperedMoments(GaussianMixture m, double beta) {
    int n = 801;
    double lo = -6;
    double hi = 6;
    double h = (hi - lo) / (n - 1);
    double[] s0 = new double[1];
    double[] s1 = new double[2];
    double[] s2 = new double[2];
    double[] x = new double[2];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        x[0] = lo + a * h;
        x[1] = lo + b * h;
        double logp = m.logDensity(x);
        double w = Math.exp(beta * logp);
        s0[0] += w;
        for (int j = 0; j < 2; j++) {
          s1[j] += w * x[j];
          s2[j] += w * x[j] * x[j];
        }
      }
    }
    double[] mean = {s1[0] / s0[0], s1[1] / s0[0]};
    double[] variance = {s2[0] / s0[0] - mean[0] * mean[0], s2[1] / s0[0] - mean[1] * mean[1]};
    return new double[][] {mean, variance};
  }
}
