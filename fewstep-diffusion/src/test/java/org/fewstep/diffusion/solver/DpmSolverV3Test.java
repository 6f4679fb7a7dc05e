package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.ems.Ems;
import org.fewstep.diffusion.ems.EmsCalculator;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimePoint;
import org.fewstep.diffusion.schedule.VpLinearSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DPM-Solver-v3 against the oracles of diffusion.md 2f. */
class DpmSolverV3Test {
  private static final NoiseSchedule SCHEDULE = VpLinearSchedule.standard();
  /** 1-D Gaussian data N(0.7, 0.3^2) (diffusion.md 2f). */
  private static final GaussianMixture GAUSSIAN = new GaussianMixture(SCHEDULE, new double[] {1}, new double[][] {{0.7}},
      new double[][] {{0.3}}, null, Prediction.EPS);

  @TempDir
  Path dir;

  private static NdArray start(int n, int d) {
    double[] x = new double[n * d];
    new Rng(5).fillGaussian(x);
    return NdArray.of(x, n, d);
  }

  private static double[] exactEndpoint(NdArray start) {
    double[] x = start.data().clone();
    GAUSSIAN.flow(x, start.items(), SCHEDULE.at(SCHEDULE.tStart()), SCHEDULE.at(SCHEDULE.tEnd()));
    return x;
  }

  private Path write(Ems ems, String name) {
    Path file = dir.resolve(name);
    ems.write(file);
    return file;
  }

  private double error(String spec, int steps, NdArray start) {
    double[] out = Diffusion.sampler(spec).sample(Denoiser.of(GAUSSIAN), steps, start, new Rng(0), StepListener.NONE).samples().data();
    return Vectors.rmsDifference(out, exactEndpoint(start));
  }

  @Test
  void firstOrderIsExactOnGaussianDataWithExactStatistics() {
    NdArray start = start(8, 1);
    Path coarse = write(EmsCalculator.exact(GAUSSIAN, "gaussian", 1200, 16, 1), "coarse.json");
    Path fine = write(EmsCalculator.exact(GAUSSIAN, "gaussian", 12000, 16, 1), "fine.json");
    for (int steps : new int[] {1, 2, 5}) {
      double errorCoarse = error("dpmv3:order=1,corrector=false,ems=" + coarse, steps, start);
      double errorFine = error("dpmv3:order=1,corrector=false,ems=" + fine, steps, start);
      double dpmpp = error("dpmpp:order=1", steps, start);
      assertThat(errorCoarse).as("1200-point grid, %d steps", steps).isLessThan(1e-5);
      assertThat(errorFine).as("12000-point grid, %d steps", steps).isLessThan(errorCoarse / 30); // second order in the spacing
      assertThat(dpmpp).as("DPM-Solver++ first order, %d steps", steps).isGreaterThan(1e-2);
    }
  }

  @Test
  void degenerateStatisticsAreDpmSolverPlusPlus() {
    NdArray start = start(6, 1);
    double l0 = SCHEDULE.at(SCHEDULE.tStart()).lambda();
    double l1 = SCHEDULE.at(SCHEDULE.tEnd()).lambda();
    double previous = Double.POSITIVE_INFINITY;
    for (int k : new int[] {600, 2400}) {
      Path file = write(Ems.degenerate(l0, l1, k), "degenerate-" + k + ".json");
      double[] v3 = Diffusion.sampler("dpmv3:order=2,corrector=false,ems=" + file).sample(Denoiser.of(GAUSSIAN), 6, start,
          new Rng(0), StepListener.NONE).samples().data();
      double[] dpmpp = Diffusion.sampler("dpmpp:order=2,solver-type=taylor,final=always").sample(Denoiser.of(GAUSSIAN), 6,
          start, new Rng(0), StepListener.NONE).samples().data();
      double difference = Vectors.rmsDifference(v3, dpmpp);
      assertThat(difference).as("grid %d", k).isLessThan(previous / 10); // trapezoid error, second order: 1/16
      previous = difference;
    }
    assertThat(previous).isLessThan(1e-5);
  }

  @Test
  void aConstantDataPredictionIsIntegratedExactly() {
    Denoiser constant = new Denoiser() {
      @Override
      public NoiseSchedule schedule() {
        return SCHEDULE;
      }

      @Override
      public int[] itemShape() {
        return new int[] {1};
      }

      @Override
      public void denoise(double[] x, int n, TimePoint at, double[] out) {
        java.util.Arrays.fill(out, 0, n, 0.25);
      }
    };
    double l0 = SCHEDULE.at(SCHEDULE.tStart()).lambda();
    double l1 = SCHEDULE.at(SCHEDULE.tEnd()).lambda();
    Path file = write(Ems.degenerate(l0, l1, 12000), "constant.json"); // exact up to the grid's trapezoid error
    NdArray start = start(4, 1);
    double[] out = Diffusion.sampler("dpmv3:ems=" + file).sample(constant, 5, start, new Rng(0), StepListener.NONE).samples().data();
    TimePoint first = SCHEDULE.at(SCHEDULE.tStart());
    TimePoint last = SCHEDULE.at(SCHEDULE.tEnd());
    for (int i = 0; i < 4; i++) {
      double xTilde = start.data()[i] / first.alpha();
      double exact = last.alpha() * (0.25 + last.noise() / first.noise() * (xTilde - 0.25));
      assertThat(out[i]).isCloseTo(exact, within(1e-7));
    }
  }

  @Test
  void vandermondeDerivativesAreExactOnPolynomialsAndPseudoOnesAgreeAtOrderTwo() {
    double[] dl = {0, -0.4, -1.1};
    double[] g = new double[3];
    for (int m = 0; m < 3; m++) {
      g[m] = 1.5 - 0.8 * dl[m] + 0.3 * dl[m] * dl[m];
    }
    double[] full = new double[3];
    double[] pseudo = new double[3];
    DpmSolverV3.derivatives(g, dl, 2, false, full);
    DpmSolverV3.derivatives(g, dl, 2, true, pseudo);
    assertThat(full[1]).isCloseTo(-0.8, within(1e-12));
    assertThat(full[2]).isCloseTo(0.6, within(1e-12));
    assertThat(pseudo[2]).isCloseTo(0.6, within(1e-12));
    assertThat(pseudo[1]).isNotCloseTo(-0.8, within(0.05)); // the first difference alone
    double[] one = new double[2];
    double[] onePseudo = new double[2];
    DpmSolverV3.derivatives(g, dl, 1, false, one);
    DpmSolverV3.derivatives(g, dl, 1, true, onePseudo);
    assertThat(one[1]).isEqualTo(onePseudo[1]);
  }

  @Test
  void estimatedStatisticsOfAGaussianConvergeToTheClosedForm() {
    Ems estimated = EmsCalculator.estimate(Denoiser.of(GAUSSIAN), "gaussian", Double.NaN, 300, 256, 1, 3);
    Ems exact = EmsCalculator.exact(GAUSSIAN, "gaussian", 300, 16, 3);
    for (int k = 0; k <= 300; k += 30) {
      double noise = Math.exp(-exact.lambda(k));
      double closed = noise * noise / (0.09 + noise * noise);
      assertThat(exact.l()[k][0]).isCloseTo(closed, within(1e-9));
      assertThat(estimated.l()[k][0]).isCloseTo(closed, within(1e-6));
      assertThat(exact.s()[k][0]).isEqualTo(0.0);
      assertThat(estimated.b()[k][0]).isCloseTo(exact.b()[k][0], within(1e-3 * (1 + Math.abs(exact.b()[k][0]))));
    }
  }

  @Test
  void improvesOnDpmSolverPlusPlusOnAMixture() {
    GaussianMixture mixture = (GaussianMixture) Diffusion.model("gmm-2d");
    NdArray start = Diffusion.prior(mixture, 64, 0);
    double[] exact = Diffusion.sampler("reference").sample(Denoiser.of(mixture), 1, start, new Rng(0), StepListener.NONE)
        .samples().data();
    double v3 = Vectors.rmsDifference(Diffusion.sampler("dpmv3:ems=exact:gmm-2d,statistics-steps=600,ems-samples=512")
        .sample(Denoiser.of(mixture), 8, start, new Rng(0), StepListener.NONE).samples().data(), exact);
    double dpmpp = Vectors.rmsDifference(Diffusion.sampler("dpmpp").sample(Denoiser.of(mixture), 8, start, new Rng(0),
        StepListener.NONE).samples().data(), exact);
    assertThat(v3).isLessThan(dpmpp);
  }

  @Test
  void filesRoundTripAndBadInputIsAClearError() throws Exception {
    Ems ems = EmsCalculator.exact(GAUSSIAN, "gaussian", 50, 8, 1);
    Path file = write(ems, "round.json");
    Ems back = Ems.read(file);
    assertThat(back.l()).isDeepEqualTo(ems.l());
    assertThat(back.b()).isDeepEqualTo(ems.b());
    assertThat(back.lambdaStart()).isEqualTo(ems.lambdaStart());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, Files.readString(file).replace("\"fewstep-ems\"", "\"other\""));
    assertThatThrownBy(() -> Ems.read(bad)).isInstanceOf(BadInputException.class).hasMessageContaining("format");
    Path shortRow = dir.resolve("short.json");
    Files.writeString(shortRow, Files.readString(file).replace("\"size\":1", "\"size\":2"));
    assertThatThrownBy(() -> Ems.read(shortRow)).isInstanceOf(BadInputException.class).hasMessageContaining("short.json");
    // statistics of a 3-element model for a 2-D one
    Path three = write(new Ems("three", Double.NaN, 0, ems.lambdaStart(), ems.lambdaEnd(), new double[51][3], new double[51][3],
        new double[51][3]), "three.json");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:ems=" + three).sample(Denoiser.of(Diffusion.model("gmm-2d")), 5,
        Diffusion.prior(Diffusion.model("gmm-2d"), 2, 0), new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("EMS size");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:order=4")).isInstanceOf(BadInputException.class).hasMessageContaining("order");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:ems=nothing")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("ems");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:ems=exact:digits")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("Gaussian mixture");
    // more steps than the grid has points
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:ems=" + file).sample(Denoiser.of(GAUSSIAN), 80, start(2, 1), new Rng(0),
        StepListener.NONE)).isInstanceOf(BadInputException.class).hasMessageContaining("EMS grid");
  }

  @Test
  void theCorrectorCostsNoEvaluationAndChangesTheResult() {
    // Oracle 5 (diffusion.md 2f): after correcting, sigma eps - l x at the new point is kept, so the next
    // evaluation is the first at that point and the run costs one evaluation per step, corrector or not.
    GaussianMixture mixture = (GaussianMixture) Diffusion.model("gmm-2d");
    NdArray start = Diffusion.prior(mixture, 16, 0);
    String spec = "dpmv3:ems=exact:gmm-2d,statistics-steps=300,ems-samples=128";
    int[] calls = new int[1];
    Denoiser base = Denoiser.of(mixture);
    Denoiser counting = new Denoiser() {
      @Override
      public NoiseSchedule schedule() {
        return base.schedule();
      }

      @Override
      public int[] itemShape() {
        return base.itemShape();
      }

      @Override
      public void denoise(double[] x, int n, TimePoint at, double[] out) {
        calls[0]++;
        base.denoise(x, n, at, out);
      }
    };
    var with = Diffusion.sampler(spec + ",corrector=true").sample(counting, 6, start, new Rng(0), StepListener.NONE);
    int withCalls = calls[0];
    calls[0] = 0;
    var without = Diffusion.sampler(spec + ",corrector=false").sample(counting, 6, start, new Rng(0), StepListener.NONE);
    assertThat(withCalls).isEqualTo(calls[0]).isEqualTo(6);
    assertThat(with.nfe()).isEqualTo(without.nfe());
    assertThat(Vectors.rmsDifference(with.samples().data(), without.samples().data())).isGreaterThan(1e-6);
  }

  @Test
  void tooFewStepsOrABadOrderAreClearErrors() {
    Path file = write(EmsCalculator.exact(GAUSSIAN, "gaussian", 50, 8, 1), "steps.json");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:ems=" + file).sample(Denoiser.of(GAUSSIAN), 0, start(2, 1), new Rng(0),
        StepListener.NONE)).isInstanceOf(BadInputException.class).hasMessageContaining("steps").hasMessageContaining("0");
    assertThatThrownBy(() -> Diffusion.sampler("dpmv3:order=0")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("order");
  }

  @Test
  void theCorrectedPointKeepsItsNonlinearPart() {
    // Oracle 5 (diffusion.md 2f): with l = 0, s = b = 0 the nonlinear part is f = x~ - D = sigma~ eps and the
    // steps are exact quadratures in lambda. Order 1 with corrector-pseudo over two steps h is then
    //   x~1 = x~0 - h f0,  f1 = x~1 - D(x1),  x~1c = x~0 - h (f0 + f1) / 2 (corrector),  x~2 = x~1c - h f1,
    // with f1 kept after the correction (not recomputed from the cached D and the corrected point).
    double l0 = SCHEDULE.at(SCHEDULE.tStart()).lambda();
    double l1 = SCHEDULE.at(SCHEDULE.tEnd()).lambda();
    int k = 400;
    Ems zero = new Ems("zero", Double.NaN, 0, l0, l1, new double[k + 1][1], new double[k + 1][1], new double[k + 1][1]);
    Path file = write(zero, "zero.json");
    NdArray start = start(4, 1);
    double[] out = Diffusion.sampler("dpmv3:order=1,corrector=true,corrector-pseudo=true,ems=" + file)
        .sample(Denoiser.of(GAUSSIAN), 2, start, new Rng(0), StepListener.NONE).samples().data();
    TimePoint first = SCHEDULE.at(SCHEDULE.inverseLambda(zero.lambda(0)));
    TimePoint middle = SCHEDULE.at(SCHEDULE.inverseLambda(zero.lambda(k / 2)));
    TimePoint last = SCHEDULE.at(SCHEDULE.inverseLambda(zero.lambda(k)));
    double h = (l1 - l0) / 2;
    Denoiser model = Denoiser.of(GAUSSIAN);
    for (int i = 0; i < 4; i++) {
      double x0 = start.data()[i] / first.alpha();
      double[] d = new double[1];
      model.denoise(new double[] {x0}, 1, first, d); // VE coordinates
      double f0 = x0 - d[0];
      double x1 = x0 - h * f0;
      model.denoise(new double[] {x1}, 1, middle, d);
      double f1 = x1 - d[0];
      double x1c = x0 - h * (f0 + f1) / 2;
      double kept = last.alpha() * (x1c - h * f1);
      double recomputed = last.alpha() * (x1c - h * (x1c - d[0]));
      assertThat(out[i]).isCloseTo(kept, within(1e-9));
      assertThat(Math.abs(kept - recomputed)).isGreaterThan(1e-3); // the oracle tells the two apart
    }
  }
}
