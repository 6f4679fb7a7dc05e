package org.fewstep.diffusion.solver;

import org.fewstep.core.BadInputException;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * A high-accuracy reference solution of the probability-flow ODE: the Dormand-Prince 5(4)
 * embedded Runge-Kutta pair (Hairer, Norsett and Wanner, Solving ODEs I, II.5) with step-size
 * control, in the half log-SNR, on {@code dx/dlambda = D(x, lambda) - x} (VE coordinates; the
 * linear part has eigenvalue -1, so the problem is not stiff in lambda). It shares no arithmetic
 * with the exponential-integrator solvers, which makes it an independent oracle: the exact
 * endpoint of any start point to tolerance ~1e-10. The {@code steps} argument is ignored.
 */
final class Reference extends Solver {
  private static final double[] C = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
  private static final double[][] A = {
    {},
    {1.0 / 5},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
  };
  /** Fifth-order minus embedded fourth-order weights. */
  private static final double[] E = {71.0 / 57600, 0, -71.0 / 16695, 71.0 / 1920, -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

  private final double rtol;
  private final double atol;
  private final double hInit;
  private final int maxSteps;

  Reference(Settings settings, double rtol, double atol, double hInit, int maxSteps) {
    super(settings);
    this.rtol = rtol;
    this.atol = atol;
    this.hInit = hInit;
    this.maxSteps = maxSteps;
  }

  @Override
  TimeGrid plan(NoiseSchedule schedule, int steps) {
    return TimeGrid.of(schedule, schedule.tStart(), schedule.tEnd());
  }

  @Override
  int plannedSteps(TimeGrid grid) {
    return -1;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    NoiseSchedule schedule = run.model.schedule();
    for (int i = 0; i < grid.steps(); i++) {
      solve(run, schedule, x, grid.point(i), grid.point(i + 1));
    }
  }

  private void solve(Run run, NoiseSchedule schedule, double[] x, TimePoint start, TimePoint end) {
    double[][] k = new double[7][];
    for (int j = 0; j < 7; j++) {
      k[j] = run.buffer();
    }
    double[] stage = run.buffer();
    double[] next = run.buffer();
    double[] coefficients = new double[7];
    double lambda = start.lambda();
    double lambdaEnd = end.lambda();
    double h = Math.min(hInit, lambdaEnd - lambda);
    derivative(run, x, start, k[0]);
    int taken = 0;
    while (lambda < lambdaEnd) {
      if (++taken > maxSteps) {
        throw new BadInputException(spec() + ": more than max-steps = " + maxSteps + " steps at lambda = " + lambda
            + " (step " + h + "); raise max-steps or loosen rtol/atol");
      }
      boolean last = lambda + h >= lambdaEnd;
      if (last) {
        h = lambdaEnd - lambda;
      }
      for (int j = 1; j < 7; j++) {
        for (int l = 0; l < j; l++) {
          coefficients[l] = h * A[j][l];
        }
        Vectors.combine(j == 6 ? next : stage, 1, x, coefficients, k, j);
        TimePoint at = j == 6 && last ? end : schedule.atLambda(lambda + C[j] * h);
        derivative(run, j == 6 ? next : stage, at, k[j]);
      }
      double sum = 0;
      for (int i = 0; i < x.length; i++) {
        double error = 0;
        for (int j = 0; j < 7; j++) {
          error += E[j] * k[j][i];
        }
        double scale = atol + rtol * Math.max(Math.abs(x[i]), Math.abs(next[i]));
        double ratio = h * error / scale;
        sum += ratio * ratio;
      }
      double norm = Math.sqrt(sum / x.length);
      if (norm <= 1) {
        lambda = last ? lambdaEnd : lambda + h;
        System.arraycopy(next, 0, x, 0, x.length);
        double[] first = k[0];
        k[0] = k[6]; // first same as last
        k[6] = first;
        run.stepDone(last ? end : schedule.atLambda(lambda), x, null);
      }
      double factor = norm == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(norm, -0.2)));
      h *= norm <= 1 ? factor : Math.min(1, factor);
    }
  }

  /** {@code dx/dlambda = D(x) - x}. */
  private static void derivative(Run run, double[] x, TimePoint at, double[] out) {
    run.x0(x, at, out);
    Vectors.combine(out, -1, x, 1, out);
  }
}
