package org.fewstep.diffusion.solver;

import org.fewstep.core.BadInputException;
import org.fewstep.core.registry.Keyed;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Skip;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * DPM-Solver (Lu et al., NeurIPS 2022: noise prediction, {@code dpm-solver}) and DPM-Solver++
 * (Lu et al., 2022, arXiv 2211.01095: data prediction, {@code dpmpp}), with the methods of the
 * official code (diffusion.md 1b):
 * <ul>
 *   <li>{@code singlestep}: "DPM-Solver-fast", orders 1-3 allocated so that NFE = steps;
 *       with logSNR spacing the outer points are logSNR-uniform and each step's inner points
 *       divide it into thirds (or halves), otherwise outer points are taken from a steps-point grid;</li>
 *   <li>{@code singlestep-fixed}: {@code steps / order} steps of one order;</li>
 *   <li>{@code multistep}: 2M/3M (warm-up with lower orders, history of the last outputs);</li>
 *   <li>{@code adaptive}: DPM-Solver-12/23, an embedded pair with step-size control.</li>
 * </ul>
 * {@code solver-type} picks the "dpmsolver" (midpoint) or "taylor" form of the first-difference
 * term. Multistep order 3 uses the ecosystem formula, whose D2 is half the Taylor term, so it
 * converges at second order (diffusion.md 1b); it has one form for both solver types, as upstream.
 * With {@code sde=true} (data only) the multistep updates become SDE-DPM-Solver++ with noise
 * fraction {@code eta} (k-diffusion's dpmpp_2m_sde/3m_sde; eta = 0 is the ODE solver).
 */
final class DpmSolver extends Solver {
  enum Method implements Keyed {
    SINGLESTEP("singlestep"),
    SINGLESTEP_FIXED("singlestep-fixed"),
    MULTISTEP("multistep"),
    ADAPTIVE("adaptive");

    private final String key;

    Method(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }

  /**
   * Step-size control of the adaptive method (defaults 0.0078, 0.05, 0.05, 0.9, 1e-5).
   *
   * @param float32Factor round the step-size factor to float32, as the official code does
   */
  record Adaptive(double atol, double rtol, double hInit, double theta, double tErr, boolean float32Factor) {}

  private static final int MAX_ADAPTIVE_ATTEMPTS = 100_000;

  private final Parameterization param;
  private final Method method;
  private final int order;
  private final boolean taylor;
  private final FinalOrder finalOrder;
  private final Adaptive adaptive;
  private final double eta;

  private final HistoryTransform transform;

  /** @param eta SDE noise fraction, or NaN for the ODE solver */
  DpmSolver(Settings settings, Parameterization param, Method method, int order, boolean taylor,
      FinalOrder finalOrder, Adaptive adaptive, double eta) {
    this(settings, param, method, order, taylor, finalOrder, adaptive, eta, HistoryTransform.NONE);
  }

  /** @param transform applied to the stored outputs before each multistep step (DC-Solver's compensation) */
  DpmSolver(Settings settings, Parameterization param, Method method, int order, boolean taylor,
      FinalOrder finalOrder, Adaptive adaptive, double eta, HistoryTransform transform) {
    super(settings);
    this.transform = transform;
    if (transform != HistoryTransform.NONE && method != Method.MULTISTEP) {
      throw BadInputException.of(settings.spec() + ": method", method.key(), "multistep for a history transform");
    }
    this.param = param;
    this.method = method;
    this.order = order;
    this.taylor = taylor;
    this.finalOrder = finalOrder.resolve(FinalOrder.LOWER10);
    this.adaptive = adaptive;
    this.eta = eta;
    if (method == Method.ADAPTIVE && order < 2) {
      throw BadInputException.of(settings.spec() + ": order", order, "2 or 3 for method=adaptive (DPM-Solver-12/23)");
    }
    if (!Double.isNaN(eta) && method != Method.MULTISTEP) {
      throw BadInputException.of(settings.spec() + ": method", method.key(), "multistep when sde=true");
    }
  }

  @Override
  public int minSteps() {
    return method == Method.MULTISTEP || method == Method.SINGLESTEP_FIXED ? order : 1;
  }

  @Override
  int plannedSteps(TimeGrid grid) {
    return method == Method.ADAPTIVE ? -1 : grid.steps();
  }

  @Override
  TimeGrid plan(NoiseSchedule schedule, int steps) {
    switch (method) {
      case ADAPTIVE:
        return TimeGrid.of(schedule, schedule.tStart(), schedule.tEnd());
      case SINGLESTEP_FIXED: {
        int[] orders = new int[steps / order];
        java.util.Arrays.fill(orders, order);
        return skip.grid(schedule, orders.length, rho).withOrders(orders);
      }
      case SINGLESTEP: {
        int[] orders = fastOrders(steps, order);
        if (skip == Skip.LOGSNR) {
          return skip.grid(schedule, orders.length, rho).withOrders(orders);
        }
        double[] all = skip.times(schedule, schedule.tStart(), schedule.tEnd(), steps, rho);
        double[] outer = new double[orders.length + 1];
        int index = 0;
        outer[0] = all[0];
        for (int i = 0; i < orders.length; i++) {
          index += orders[i];
          outer[i + 1] = all[index];
        }
        return TimeGrid.of(schedule, outer).withOrders(orders);
      }
      default:
        return skip.grid(schedule, steps, rho);
    }
  }

  /** The "DPM-Solver-fast" orders: NFE = steps (diffusion.md 1b). */
  static int[] fastOrders(int steps, int order) {
    int[] orders;
    if (order == 3) {
      int k = steps / 3 + 1;
      if (steps % 3 == 0) {
        orders = filled(k, 3);
        orders[k - 2] = 2;
        orders[k - 1] = 1;
      } else {
        orders = filled(k, 3);
        orders[k - 1] = steps % 3 == 1 ? 1 : 2;
      }
    } else if (order == 2) {
      orders = filled(steps / 2 + steps % 2, 2);
      if (steps % 2 == 1) {
        orders[orders.length - 1] = 1;
      }
    } else {
      orders = filled(steps, 1);
    }
    return orders;
  }

  private static int[] filled(int length, int value) {
    int[] a = new int[length];
    java.util.Arrays.fill(a, value);
    return a;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    switch (method) {
      case MULTISTEP:
        multistep(run, x, grid);
        break;
      case ADAPTIVE:
        adaptive(run, x, grid.first(), grid.last());
        break;
      default:
        singlestep(run, x, grid);
    }
  }

  // ---------------------------------------------------------------- multistep (2M, 3M, SDE)

  private void multistep(Run run, double[] x, TimeGrid grid) {
    int steps = grid.steps();
    int kept = Math.max(order, transform.depth());
    double[][] history = new double[kept][];
    for (int i = 0; i < kept; i++) {
      history[i] = run.buffer();
    }
    double[] noise = Double.isNaN(eta) || eta == 0 ? null : run.buffer();
    TimePoint[] times = new TimePoint[kept];
    times[0] = grid.first();
    param.evaluate(run, x, times[0], history[0]);
    for (int i = 1; i <= steps; i++) {
      TimePoint s = grid.point(i - 1);
      TimePoint t = grid.point(i);
      int stepOrder = finalOrder.order(order, i, steps);
      if (transform != HistoryTransform.NONE) {
        transform.beforeStep(i, grid, history, Math.min(i, kept), out -> multistepStep(x, s, t, stepOrder, history, times, out));
      }
      multistepStep(x, s, t, stepOrder, history, times, x);
      if (noise != null) {
        run.gaussian(noise);
        Vectors.addScaled(x, t.noise() * Math.sqrt(-Math.expm1(-2 * eta * (t.lambda() - s.lambda()))), noise);
      }
      double[] oldest = history[kept - 1];
      System.arraycopy(history, 0, history, 1, kept - 1);
      System.arraycopy(times, 0, times, 1, kept - 1);
      history[0] = oldest;
      times[0] = t;
      if (i < steps) {
        param.evaluate(run, x, t, history[0]);
      }
      run.stepDone(t, x, param == Parameterization.DATA && i < steps ? history[0] : null);
    }
  }

  /** The deterministic multistep update from s to t of the given order into {@code out} (may be x). */
  private void multistepStep(double[] x, TimePoint s, TimePoint t, int stepOrder, double[][] history, TimePoint[] times,
      double[] out) {
    ExponentialStep e = Double.isNaN(eta) ? param.step(s, t) : ExponentialStep.dataSde(s, t, eta);
    multistepUpdate(e, taylor, stepOrder, x, s, t, history, times, out);
  }

  /**
   * The multistep DPM-Solver(++) update with step arithmetic {@code e} from s to t of order 1-3 from
   * the model outputs {@code history} (newest first) at {@code times}, into {@code out} (may be x);
   * {@code taylor} selects the taylor form of the first difference (else the midpoint form).
   */
  static void multistepUpdate(ExponentialStep e, boolean taylor, int stepOrder, double[] x, TimePoint s, TimePoint t,
      double[][] history, TimePoint[] times, double[] out) {
    double[] m0 = history[0];
    if (stepOrder == 1) {
      Vectors.combine(out, e.a(), x, e.weight(1), m0);
    } else if (stepOrder == 2) {
      double r0 = (s.lambda() - times[1].lambda()) / (t.lambda() - s.lambda());
      double c1 = taylor ? -e.weight(2) / r0 : -0.5 * e.weight(1) / r0;
      Vectors.combine(out, e.a(), x, e.weight(1) - c1, m0, c1, history[1]);
    } else {
      double h = t.lambda() - s.lambda();
      double r0 = (s.lambda() - times[1].lambda()) / h;
      double r1 = (times[1].lambda() - times[2].lambda()) / h;
      // D1 = (1 + q) D1_0 - q D1_1, D2 = (D1_0 - D1_1) / (r0 + r1), D1_0 = (m0 - m1)/r0, D1_1 = (m1 - m2)/r1
      double q = r0 / (r0 + r1);
      double onD10 = e.weight(2) * (1 + q) + e.weight(3) / (r0 + r1);
      double onD11 = -e.weight(2) * q - e.weight(3) / (r0 + r1);
      Vectors.combine(out, e.a(), x, e.weight(1) + onD10 / r0, m0,
          -onD10 / r0 + onD11 / r1, history[1], -onD11 / r1, history[2]);
    }
  }

  // ---------------------------------------------------------------- singlestep

  /**
   * The inner points of singlestep step i (planned before the loop): the fractions r1, r2 of the
   * step in lambda and the points s1, s2 there.
   */
  private record Inner(double r1, double r2, TimePoint s1, TimePoint s2) {}

  private Inner[] innerPoints(NoiseSchedule schedule, TimeGrid grid) {
    Inner[] inner = new Inner[grid.steps()];
    for (int i = 0; i < grid.steps(); i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      int stepOrder = grid.order(i, order);
      if (stepOrder == 1) {
        continue;
      }
      // as upstream: the inner points are this spacing applied inside the step
      double[] times = skip.times(schedule, s.t(), t.t(), stepOrder, rho);
      double l0 = schedule.lambda(times[0]);
      double h = schedule.lambda(times[stepOrder]) - l0;
      double r1 = (schedule.lambda(times[1]) - l0) / h;
      double r2 = stepOrder == 3 ? (schedule.lambda(times[2]) - l0) / h : Double.NaN;
      inner[i] = new Inner(r1, r2, at(schedule, s, t, r1), stepOrder == 3 ? at(schedule, s, t, r2) : null);
    }
    return inner;
  }

  private void singlestep(Run run, double[] x, TimeGrid grid) {
    double[] ms = run.buffer();
    double[] ms1 = run.buffer();
    double[] ms2 = run.buffer();
    double[] tmp = run.buffer();
    Inner[] inner = innerPoints(run.model.schedule(), grid);
    for (int i = 0; i < grid.steps(); i++) {
      TimePoint s = grid.point(i);
      TimePoint t = grid.point(i + 1);
      param.evaluate(run, x, s, ms);
      Inner in = inner[i];
      if (in == null) {
        first(x, s, t, ms, x);
      } else if (in.s2() == null) {
        second(run, x, s, t, in.r1(), in.s1(), ms, ms1, tmp, x);
      } else {
        third(run, x, s, t, in.r1(), in.r2(), in.s1(), in.s2(), ms, ms1, ms2, tmp, x, true);
      }
      run.stepDone(t, x, param == Parameterization.DATA ? ms : null);
    }
  }

  /** {@code out = } the first-order step from s to t with model output {@code ms}. */
  private void first(double[] x, TimePoint s, TimePoint t, double[] ms, double[] out) {
    ExponentialStep e = param.step(s, t);
    Vectors.combine(out, e.a(), x, e.weight(1), ms);
  }

  /** The point at {@code lambda_s + r (lambda_t - lambda_s)}. */
  private static TimePoint at(NoiseSchedule schedule, TimePoint s, TimePoint t, double r) {
    return schedule.atLambda(s.lambda() + r * (t.lambda() - s.lambda()));
  }

  /** Singlestep order 2: evaluates {@code ms1} at {@code lambda_s + r1 h}; {@code ms} is given. */
  private void second(Run run, double[] x, TimePoint s, TimePoint t, double r1, TimePoint s1, double[] ms, double[] ms1,
      double[] tmp, double[] out) {
    first(x, s, s1, ms, tmp);
    param.evaluate(run, tmp, s1, ms1);
    ExponentialStep e = param.step(s, t);
    // x_t = a x + w1 ms + c (ms1 - ms)
    double c = taylor ? e.weight(2) / r1 : 0.5 / r1 * e.weight(1);
    Vectors.combine(out, e.a(), x, e.weight(1) - c, ms, c, ms1);
  }

  /**
   * Singlestep order 3: evaluates {@code ms2} (and {@code ms1} if {@code evaluateS1}) at
   * {@code lambda_s + r h}; {@code ms} is given.
   */
  private void third(Run run, double[] x, TimePoint s, TimePoint t, double r1, double r2, TimePoint s1, TimePoint s2,
      double[] ms, double[] ms1, double[] ms2, double[] tmp, double[] out, boolean evaluateS1) {
    if (evaluateS1) {
      first(x, s, s1, ms, tmp);
      param.evaluate(run, tmp, s1, ms1);
    }
    // u2 = first-order step to s2 + (r2/r1) w2(s -> s2) (ms1 - ms)
    ExponentialStep e2 = param.step(s, s2);
    double c2 = r2 / r1 * e2.weight(2);
    Vectors.combine(tmp, e2.a(), x, e2.weight(1) - c2, ms, c2, ms1);
    param.evaluate(run, tmp, s2, ms2);
    ExponentialStep e = param.step(s, t);
    if (!taylor) {
      // x_t = a x + w1 ms + (1/r2) w2 (ms2 - ms)
      double c = e.weight(2) / r2;
      Vectors.combine(out, e.a(), x, e.weight(1) - c, ms, c, ms2);
    } else {
      // D1 = (r2 D1_0 - r1 D1_1)/(r2 - r1), D2 = 2 (D1_1 - D1_0)/(r2 - r1), D1_0 = (ms1 - ms)/r1, D1_1 = (ms2 - ms)/r2
      double onD10 = (e.weight(2) * r2 - 2 * e.weight(3)) / (r2 - r1);
      double onD11 = (-e.weight(2) * r1 + 2 * e.weight(3)) / (r2 - r1);
      Vectors.combine(out, e.a(), x, e.weight(1) - onD10 / r1 - onD11 / r2, ms, onD10 / r1, ms1, onD11 / r2, ms2);
    }
  }

  // ---------------------------------------------------------------- adaptive (DPM-Solver-12/23)

  private void adaptive(Run run, double[] x, TimePoint start, TimePoint end) {
    NoiseSchedule schedule = run.model.schedule();
    double[] ms = run.buffer();
    double[] ms1 = run.buffer();
    double[] ms2 = run.buffer();
    double[] tmp = run.buffer();
    double[] low = run.buffer();
    double[] high = run.buffer();
    double[] previousLow = run.buffer(); // in model coordinates, as the official error norm
    Vectors.scale(previousLow, start.alpha(), x);
    TimePoint s = start;
    double lambdaEnd = end.lambda();
    double h = adaptive.hInit();
    int attempts = 0;
    while (Math.abs(s.t() - end.t()) > adaptive.tErr()) {
      if (++attempts > MAX_ADAPTIVE_ATTEMPTS) {
        throw new BadInputException(spec() + ": the adaptive solver did not reach t-end after " + MAX_ADAPTIVE_ATTEMPTS
            + " attempts (t = " + s.t() + ", step " + h + "); loosen atol/rtol");
      }
      TimePoint t = schedule.atLambda(s.lambda() + h);
      param.evaluate(run, x, s, ms);
      if (order == 2) {
        first(x, s, t, ms, low);
        second(run, x, s, t, 0.5, at(schedule, s, t, 0.5), ms, ms1, tmp, high);
      } else {
        TimePoint s1 = at(schedule, s, t, 1.0 / 3);
        second(run, x, s, t, 1.0 / 3, s1, ms, ms1, tmp, low);
        third(run, x, s, t, 1.0 / 3, 2.0 / 3, s1, at(schedule, s, t, 2.0 / 3), ms, ms1, ms2, tmp, high, false);
      }
      double error = errorNorm(run, low, high, previousLow, t.alpha());
      if (error <= 1) {
        System.arraycopy(high, 0, x, 0, x.length);
        Vectors.scale(previousLow, t.alpha(), low);
        s = t;
        run.stepDone(t, x, param == Parameterization.DATA ? ms : null);
      }
      double factor = Math.pow(error, -1.0 / order);
      if (adaptive.float32Factor()) {
        factor = (float) factor;
      }
      h = Math.min(adaptive.theta() * h * factor, lambdaEnd - s.lambda());
    }
  }

  /**
   * The official error norm: per item the RMS of {@code (high - low) / delta} with
   * {@code delta = max(atol, rtol max(|low|, |previous low|))} in model coordinates; the maximum
   * over the batch.
   */
  private double errorNorm(Run run, double[] low, double[] high, double[] previousLow, double alpha) {
    double worst = 0;
    for (int r = 0; r < run.n; r++) {
      double sum = 0;
      for (int i = r * run.itemSize; i < (r + 1) * run.itemSize; i++) {
        double lowModel = alpha * low[i];
        double delta = Math.max(adaptive.atol(), adaptive.rtol() * Math.max(Math.abs(lowModel), Math.abs(previousLow[i])));
        double d = alpha * (high[i] - low[i]) / delta;
        sum += d * d;
      }
      worst = Math.max(worst, Math.sqrt(sum / run.itemSize));
    }
    return worst;
  }
}
