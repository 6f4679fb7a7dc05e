package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleUnaryOperator;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.GaussianProblem;
import org.fewstep.diffusion.TestDenoisers;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.Skip;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactness oracles (diffusion.md 1f oracle 3, 3f oracles 2-5, 4f oracle 2): a solver whose
 * Taylor/Lagrange expansion holds the model output exactly must reproduce the closed-form flow for
 * any step count, and must not when it cannot (the test would catch a wrong coefficient).
 */
class ExactnessTest {
  private static final NoiseSchedule VP = Schedules.create("vp-linear");

  private static double[] run(String spec, Denoiser model, int steps) {
    NdArray x = GaussianProblem.start();
    return Diffusion.sampler(spec).sample(model, steps, x, new Rng(0), StepListener.NONE).samples().data();
  }

  /** The exact endpoint (model coordinates) of the start points for {@code x~' = f(x~)} per element. */
  private static double[] endpoint(DoubleUnaryOperator veMap) {
    double[] x = GaussianProblem.start().data().clone();
    TimePoint start = VP.at(VP.tStart());
    TimePoint end = VP.at(VP.tEnd());
    for (int i = 0; i < x.length; i++) {
      x[i] = end.alpha() * veMap.applyAsDouble(x[i] / start.alpha());
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "euler", "heun", "dpmpp:order=1", "dpmpp:order=2", "dpmpp:order=3",
      "dpmpp:order=2,solver-type=taylor", "dpmpp:method=singlestep,order=2", "dpmpp:method=singlestep,order=3",
      "dpmpp:method=singlestep,order=3,solver-type=taylor", "dpmpp:method=adaptive,order=3", "dpmpp:order=2,sde=true,eta=0",
      "unipc:order=1", "unipc:order=2", "unipc:order=3,variant=bh1", "unipc:order=4"})
  void dataSolversAreExactForAConstantDataEstimate(String spec) {
    double c = 0.7;
    Denoiser model = TestDenoisers.dataOf(VP, 3, p -> c);
    double ratio = VP.at(VP.tEnd()).noise() / VP.at(VP.tStart()).noise();
    double[] exact = endpoint(x -> c + ratio * (x - c));
    for (int steps : new int[] {4, 7}) {
      assertThat(Vectors.maxAbsDifference(run(spec, model, steps), exact)).as(spec).isLessThan(1e-11);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dpm-solver:method=multistep,order=1", "dpm-solver:method=multistep,order=3",
      "dpm-solver:method=singlestep,order=3", "dpm-solver:method=singlestep,order=3,solver-type=taylor",
      "dpm-solver:method=adaptive,order=2", "deis", "deis:order=0", "deis:basis=rho", "deis:basis=logrho",
      "deis:method=ipndm", "deis:method=rk,rk=rk4", "deis:method=rk,rk=ssprk3", "pndm", "pndm:variant=s-pndm",
      "unipc:order=3,prediction=noise"})
  void noiseSolversAreExactForAConstantNoiseEstimate(String spec) {
    double e = 0.3;
    Denoiser model = TestDenoisers.noiseOf(VP, 3, p -> e);
    double from = VP.at(VP.tStart()).noise();
    double to = VP.at(VP.tEnd()).noise();
    double[] exact = endpoint(x -> x + (to - from) * e);
    for (int steps : new int[] {4, 7}) {
      assertThat(Vectors.maxAbsDifference(run(spec, model, steps), exact)).as(spec).isLessThan(1e-11);
    }
  }

  /** Exactness for {@code x0(lambda) = c0 + c1 lambda + c2 lambda^2}, or the size of the error. */
  private static double polynomialError(String spec, double c0, double c1, double c2) {
    Denoiser model = TestDenoisers.dataOf(VP, 3, p -> c0 + c1 * p.lambda() + c2 * p.lambda() * p.lambda());
    double l0 = VP.lambda(VP.tStart());
    double l1 = VP.lambda(VP.tEnd());
    double[] exact = endpoint(x -> TestDenoisers.exactPolynomialFlow(x, l0, l1, c0, c1, c2));
    return Vectors.maxAbsDifference(run(spec, model, 6), exact);
  }

  @Test
  void singlestepOrdersOnPolynomialDataEstimates() {
    // linear in lambda: taylor-2 and both third-order forms are exact, the midpoint form is not
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=2,solver-type=taylor", 0.2, 0.3, 0)).isLessThan(1e-12);
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=3", 0.2, 0.3, 0)).isLessThan(1e-12);
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=3,solver-type=taylor", 0.2, 0.3, 0)).isLessThan(1e-12);
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=2", 0.2, 0.3, 0)).isGreaterThan(1e-3);
    // quadratic: only the third-order taylor form is exact
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=3,solver-type=taylor", 0.2, 0.3, 0.05)).isLessThan(1e-12);
    assertThat(polynomialError("dpmpp:method=singlestep-fixed,order=3", 0.2, 0.3, 0.05)).isGreaterThan(1e-4);
  }

  @Test
  void deisWeightsIntegrateTheirPolynomialsExactly() {
    TimeGrid grid = Skip.TIME_QUADRATIC.grid(VP, 6, 7);
    for (Deis.Basis basis : Deis.Basis.values()) {
      for (int order = 0; order <= 3; order++) {
        Deis deis = new Deis(new Solver.Settings("deis", Skip.TIME_QUADRATIC, 7, false, Thresholding.none()),
            Deis.Method.AB, basis, order, null);
        double[][] weights = deis.abWeights(VP, grid);
        for (int i = 0; i < grid.steps(); i++) {
          double rho0 = grid.point(i).noise();
          double rho1 = grid.point(i + 1).noise();
          double sum = 0;
          for (double w : weights[i]) {
            sum += w;
          }
          // the Lagrange basis sums to one (3f oracle 5)
          assertThat(sum).as("%s order %d step %d", basis, order, i).isCloseTo(rho1 - rho0, org.assertj.core.api.Assertions.within(1e-12));
          // a polynomial of degree <= the available order in the basis variable is integrated exactly
          int degree = Math.min(i, order);
          DoubleUnaryOperator poly = y -> 0.3 - 0.2 * y + (degree >= 2 ? 0.1 * y * y : 0) + (degree >= 3 ? 0.05 * y * y * y : 0);
          double applied = 0;
          for (int j = 0; j < weights[i].length; j++) {
            applied += weights[i][j] * poly.applyAsDouble(basis.at(grid.point(i - j)));
          }
          double integral = simpson(rho -> poly.applyAsDouble(basis.at(VP.atLambda(-Math.log(rho)))), rho0, rho1);
          if (degree >= 1) {
            assertThat(applied).as("%s order %d step %d", basis, order, i)
                .isCloseTo(integral, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(integral) + 1e-12));
          }
        }
      }
    }
  }

  /**
   * On a discrete schedule t(lambda) is piecewise linear in log alpha, with a kink at each of its
   * 1 000 entries: tAB-DEIS integrates between the kinks. The weights still sum to the step and
   * integrate a cubic in t, against Simpson's rule over 20 000 panels (whose error at the kinks
   * is O(h^2), hence the looser tolerance).
   */
  @Test
  void deisWeightsOnADiscreteScheduleIntegrateAcrossItsKinks() {
    NoiseSchedule discrete = Schedules.create("vp-discrete");
    TimeGrid grid = Skip.TIME_UNIFORM.grid(discrete, 10, 1);
    Deis deis = new Deis(new Solver.Settings("deis", Skip.TIME_UNIFORM, 1, false, Thresholding.none()),
        Deis.Method.AB, Deis.Basis.T, 3, null);
    double[][] weights = deis.abWeights(discrete, grid);
    DoubleUnaryOperator cubic = t -> 0.3 - 0.2 * t + 0.1 * t * t + 0.05 * t * t * t;
    for (int i = 3; i < grid.steps(); i++) {
      double rho0 = grid.point(i).noise();
      double rho1 = grid.point(i + 1).noise();
      double applied = 0;
      for (int j = 0; j < weights[i].length; j++) {
        applied += weights[i][j] * cubic.applyAsDouble(grid.point(i - j).t());
      }
      double integral = simpson(rho -> cubic.applyAsDouble(discrete.atLambda(-Math.log(rho)).t()), rho0, rho1);
      assertThat(applied).as("step %d", i).isCloseTo(integral, org.assertj.core.api.Assertions.within(1e-7 * Math.abs(integral)));
    }
    assertThat(Deis.cuts(new double[] {-3, -2, -1, 0}, 0.5, 2.5)).containsExactly(0.5, 1, 2, 2.5);
    assertThat(Deis.cuts(new double[] {-3, -2, -1, 0}, 2.5, 0.5)).containsExactly(2.5, 2, 1, 0.5);
  }

  /** Composite Simpson in log rho (an independent quadrature from the solver's Gauss-Legendre). */
  private static double simpson(DoubleUnaryOperator f, double a, double b) {
    int n = 20_000;
    double u0 = Math.log(a);
    double u1 = Math.log(b);
    double h = (u1 - u0) / n;
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      double u = u0 + k * h;
      double w = k == 0 || k == n ? 1 : k % 2 == 1 ? 4 : 2;
      sum += w * f.applyAsDouble(Math.exp(u)) * Math.exp(u);
    }
    return sum * h / 3;
  }
}
