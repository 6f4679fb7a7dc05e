package org.fewstep.diffusion.solver;

import org.fewstep.core.BadInputException;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;

/**
 * The unified sampling framework (Liu, Ning, Yang and Wang, "A Unified Sampling Framework for Solver
 * Searching of Diffusion Probabilistic Models", ICLR 2024; diffusion.md 7): a multistep
 * exponential-integrator solver whose every step takes its own decisions from a
 * {@link SolverSchedule} — prediction type, Taylor order, difference formula, corrector — at the
 * schedule's time points. The step arithmetic is the standard solvers' own (DPM-Solver(++)
 * multistep, UniP/UniC), so the constant schedules {@link SolverSchedule#preset} reproduce
 * {@code dpmpp} and {@code unipc} bit for bit. The model outputs are kept with their points, so a
 * step may expand data or noise whatever the previous step did ({@code eps = (x~ - D) / sigma~}).
 */
final class Usf extends Solver {
  private static final int DEPTH = 3;
  private final SolverSchedule fixed;
  private final String preset;

  /** With a schedule file ({@code fixed}) or a preset applied to the {@code skip} grid. */
  Usf(Settings settings, SolverSchedule fixed, String preset) {
    super(settings);
    this.fixed = fixed;
    this.preset = preset;
  }

  @Override
  TimeGrid plan(NoiseSchedule schedule, int steps) {
    if (fixed != null) {
      if (steps != fixed.steps()) {
        throw BadInputException.of("steps", steps, fixed.steps() + " (the solver schedule's)");
      }
      double start = fixed.times()[0];
      if (Math.abs(start - schedule.tStart()) > 1e-9 * Math.max(1, Math.abs(start))) {
        throw new BadInputException(String.format(java.util.Locale.ROOT, "usf: the solver schedule starts at t = %s (noise level"
            + " sigma/alpha %s) but sampling starts at t = %s; a schedule searched after a teleportation runs as"
            + " teleport:STATS,skip-to=%s,base=usf:schedule=FILE", start, schedule.at(start).noise(), schedule.tStart(),
            schedule.at(start).noise()));
      }
      return TimeGrid.of(schedule, fixed.times());
    }
    return skip.grid(schedule, steps, rho);
  }

  private SolverSchedule scheduleFor(TimeGrid grid) {
    if (fixed != null) {
      if (grid.steps() != fixed.steps()) {
        throw BadInputException.of("time grid steps", grid.steps(), fixed.steps() + " (the solver schedule's)");
      }
      return fixed;
    }
    return SolverSchedule.preset(preset, grid.times());
  }

  /** One stored model output: its value in one parameterisation, and its point. */
  private static final class Output {
    double[] value;
    Parameterization kind;
    double[] x;
    TimePoint at;
  }

  @Override
  void integrate(Run run, double[] x, TimeGrid grid) {
    SolverSchedule schedule = scheduleFor(grid);
    int steps = grid.steps();
    Output[] history = new Output[DEPTH + 1];
    for (int k = 0; k <= DEPTH; k++) {
      history[k] = new Output();
      history[k].value = run.buffer();
      history[k].x = run.buffer();
    }
    double[][] converted = new double[DEPTH][];
    for (int k = 0; k < DEPTH; k++) {
      converted[k] = run.buffer();
    }
    double[][] view = new double[DEPTH][];
    TimePoint[] times = new TimePoint[DEPTH];
    UniPc.Scratch scratch = new UniPc.Scratch(DEPTH, run);
    int stored = 0;
    evaluate(run, schedule.decisions().get(0).parameterization(), x, grid.first(), history[0]);
    stored = 1;
    for (int i = 1; i <= steps; i++) {
      SolverSchedule.Decision d = schedule.decisions().get(i - 1);
      Parameterization param = d.parameterization();
      TimePoint s = grid.point(i - 1);
      TimePoint t = grid.point(i);
      int p = Math.min(d.order(), stored);
      for (int k = 0; k < p; k++) {
        view[k] = as(history[k], param, converted[k]);
        times[k] = history[k].at;
      }
      Output next = history[DEPTH];
      boolean evaluated = false;
      if (d.formula().unified()) {
        UniPc.Variant variant = d.formula() == SolverSchedule.Formula.UNIP_BH1 ? UniPc.Variant.BH1 : UniPc.Variant.BH2;
        boolean correct = d.corrector() && i < steps;
        if (UniPc.step(run, param, variant, p, correct, grid, i, x, view, next.value, x, scratch)) {
          next.kind = param;
          System.arraycopy(scratch.predicted, 0, next.x, 0, x.length);
          next.at = t;
          evaluated = true;
        }
      } else {
        DpmSolver.multistepUpdate(param.step(s, t), d.formula() == SolverSchedule.Formula.TAYLOR, p, x, s, t, view, times, x);
      }
      if (i < steps && !evaluated) {
        evaluate(run, schedule.decisions().get(i).parameterization(), x, t, next);
      }
      System.arraycopy(history, 0, history, 1, DEPTH);
      history[0] = next;
      stored = Math.min(stored + 1, DEPTH);
      run.stepDone(t, x, null);
    }
  }

  private static void evaluate(Run run, Parameterization param, double[] x, TimePoint at, Output out) {
    param.evaluate(run, x, at, out.value);
    out.kind = param;
    System.arraycopy(x, 0, out.x, 0, x.length);
    out.at = at;
  }

  /** The output in {@code param}: its own array when stored that way, else converted into {@code buffer}. */
  private static double[] as(Output o, Parameterization param, double[] buffer) {
    if (o.kind == param) {
      return o.value;
    }
    double noise = o.at.noise();
    if (param == Parameterization.NOISE) { // eps = (x - D) / sigma~, as Run.eps computes it
      double inverse = 1 / noise;
      for (int i = 0; i < buffer.length; i++) {
        buffer[i] = (o.x[i] - o.value[i]) * inverse;
      }
    } else { // D = x - sigma~ eps
      for (int i = 0; i < buffer.length; i++) {
        buffer[i] = o.x[i] - noise * o.value[i];
      }
    }
    return buffer;
  }
}
