package org.fewstep.diffusion.solver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Skip;
import org.fewstep.diffusion.schedule.TimeGrid;

/**
 * S3, the predictor-based multi-stage search over solver schedules of the unified sampling framework
 * (Liu, Ning, Yang and Wang, ICLR 2024, section 4.2; diffusion.md 7b) for a fixed number of steps:
 * an initial population (the constant schedules of the standard solvers on several spacings, their
 * mutants and random schedules) is evaluated with the true metric; then, stage by stage, a small
 * MLP predictor is trained from schedule encodings to the metric, many candidates are proposed by
 * mutation and crossover of the best schedules so far, the predictor ranks them, and only the top
 * ones are evaluated for real. The metric is the RMSE to the exact endpoint (the {@code reference}
 * solver) on a search set of initial noises; the result is also measured on a held-out set. The
 * paper measures FID on generated images; its predictor and stage sizes are not given in what we
 * could read, so ours are options. Deterministic for a seed.
 */
public final class S3Search {
  private S3Search() {}

  /**
   * Search settings.
   *
   * @param initial    random and mutated schedules evaluated before the first stage (besides the presets)
   * @param stages     predictor stages
   * @param candidates proposals ranked by the predictor per stage
   * @param evaluated  proposals evaluated for real per stage
   * @param reference  the sampler spec of the exact endpoints ({@code reference}, or one with looser
   *                   tolerances for a costly model)
   */
  public record Settings(int initial, int stages, int candidates, int evaluated, String reference) {
    public static final Settings DEFAULT = new Settings(64, 6, 2000, 24);

    public Settings {
      BadInputException.requireAtLeast("initial population", initial, 0);
      BadInputException.requireAtLeast("stages", stages, 0);
      BadInputException.requireAtLeast("candidates per stage", candidates, 1);
      BadInputException.requireAtLeast("evaluations per stage", evaluated, 1);
      Samplers.registry().create(reference); // a bad spec fails here, before any work
    }

    /** With the default {@code reference} solver. */
    public Settings(int initial, int stages, int candidates, int evaluated) {
      this(initial, stages, candidates, evaluated, "reference");
    }

    /** The same sizes with another reference spec. */
    public Settings withReference(String spec) {
      return new Settings(initial, stages, candidates, evaluated, spec);
    }
  }

  /**
   * What the search found.
   *
   * @param schedule          the best schedule on the search set
   * @param searchRmse        its RMSE on the search noises
   * @param heldOutRmse       its RMSE on the held-out noises
   * @param bestConstant      the best constant schedule (preset and spacing) on the search set
   * @param constantSearch    that schedule's search RMSE
   * @param constantHeldOut   its held-out RMSE
   * @param evaluations       schedules evaluated for real
   */
  public record Result(SolverSchedule schedule, double searchRmse, double heldOutRmse, String bestConstant,
      double constantSearch, double constantHeldOut, int evaluations) {}

  private static final SolverSchedule.Formula[] FORMULAS = SolverSchedule.Formula.values();
  private static final Skip[] SPACINGS = {Skip.LOGSNR, Skip.TIME_UNIFORM, Skip.TIME_QUADRATIC, Skip.KARRAS};
  /** The latest start of the numerical solver after a teleportation, as a fraction of the log-SNR range. */
  static final double MAX_JUMP = 0.6;
  /** The jumps of the initial population: to these noise levels {@code sigma/alpha}. */
  private static final double[] JUMP_LEVELS = {16, 8, 4, 2};

  /**
   * A schedule in search form: where the numerical solver starts ({@code jump}, a fraction of the
   * log-SNR range reached by the Gaussian's exact flow; 0 without teleportation), the interior points
   * as fractions of the rest of the range, and the decisions.
   */
  private record Candidate(double jump, double[] fractions, SolverSchedule.Decision[] decisions, String name) {
    String key() {
      StringBuilder b = new StringBuilder().append(Math.round(jump * 1e6)).append('|');
      for (double f : fractions) {
        b.append(Math.round(f * 1e6)).append(',');
      }
      for (SolverSchedule.Decision d : decisions) {
        b.append(d).append(';');
      }
      return b.toString();
    }
  }

  /** Searches a schedule of {@code nfe} steps for {@code model} over the schedule's whole range. */
  public static Result run(Denoiser model, int nfe, NdArray searchNoises, NdArray heldOutNoises, Settings settings, long seed) {
    return run(model, nfe, searchNoises, heldOutNoises, settings, seed, null);
  }

  /**
   * Searches a schedule of {@code nfe} steps with a start after an analytical teleportation
   * (Wang and Vastola, arXiv 2311.12820; {@code teleport} sampler) as one more decision: the initial
   * noises first follow the exact flow of {@code teleport} (no evaluation) to the schedule's first
   * time point, which the search moves like any other (at most {@link #MAX_JUMP} of the log-SNR
   * range; a start at the model's own start time means no jump). The found schedule then runs as
   * {@code teleport:STATS,skip-to=SIGMA,base=usf:schedule=FILE} with {@code SIGMA} its first noise
   * level. Without {@code teleport} (null) every schedule starts at the model's start time.
   */
  public static Result run(Denoiser model, int nfe, NdArray searchNoises, NdArray heldOutNoises, Settings settings, long seed,
      GaussianApproximation teleport) {
    BadInputException.requireAtLeast("nfe", nfe, 1);
    if (teleport != null && teleport.dimension() != model.itemSize()) {
      throw BadInputException.of("teleport statistics dimension", teleport.dimension(), model.itemSize() + " (the model's item size)");
    }
    Range range = new Range(model.schedule(), teleport);
    double[] searchExact = exact(model, searchNoises, settings.reference());
    double[] heldOutExact = heldOutNoises == searchNoises ? searchExact : exact(model, heldOutNoises, settings.reference());
    Rng rng = new Rng(seed);
    List<Candidate> evaluatedList = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    java.util.function.Consumer<Candidate> evaluate = c -> {
      if (seen.add(c.key())) {
        evaluatedList.add(c);
        scores.add(range.rmse(model, c, searchNoises, searchExact));
      }
    };
    // the constant schedules of the standard solvers on several spacings, from the start and after each jump
    List<Double> jumps = new ArrayList<>(List.of(0.0));
    if (teleport != null) {
      for (double level : JUMP_LEVELS) {
        double j = range.jumpTo(level);
        if (j > 0 && j <= MAX_JUMP) {
          jumps.add(j);
        }
      }
    }
    for (double jump : jumps) {
      double lambdaStart = range.lambdaAt(jump);
      double tStart = range.schedule.inverseLambda(lambdaStart);
      for (Skip spacing : SPACINGS) {
        double[] lambdas = lambdas(spacing, range.schedule, nfe, jump == 0 ? range.schedule.tStart() : tStart);
        if (!(Math.abs(lambdas[0] - lambdaStart) < 1e-9 * Math.max(1, Math.abs(lambdaStart)) && lambdas[nfe] == range.lambdaEnd)) {
          continue; // a spacing that does not span the range (e.g. ending at sigma 0)
        }
        for (String preset : SolverSchedule.PRESETS) {
          double[] times = new double[nfe + 1];
          for (int i = 0; i <= nfe; i++) {
            times[i] = range.schedule.inverseLambda(lambdas[i]);
          }
          times[0] = jump == 0 ? range.schedule.tStart() : tStart;
          times[nfe] = range.schedule.tEnd();
          SolverSchedule s = SolverSchedule.preset(preset, times);
          String name = preset + " on " + spacing.key() + (jump == 0 ? "" : String.format(java.util.Locale.ROOT,
              " after a jump to %.3g", Math.exp(-lambdaStart)));
          evaluate.accept(new Candidate(jump, fractions(lambdas), s.decisions().toArray(SolverSchedule.Decision[]::new), name));
        }
      }
    }
    int presets = evaluatedList.size();
    int bestPreset = argmin(scores, presets);
    for (int k = 0; k < settings.initial(); k++) {
      evaluate.accept(k % 2 == 0 ? mutate(evaluatedList.get(rng.nextInt(presets)), rng, nfe, teleport != null)
          : random(rng, nfe, evaluatedList.get(rng.nextInt(presets)).jump()));
    }
    for (int stage = 0; stage < settings.stages(); stage++) {
      Mlp predictor = Mlp.fit(encode(evaluatedList, nfe), logs(scores), rng);
      Integer[] order = ranking(scores);
      int parents = Math.max(2, Math.min(16, order.length / 4));
      List<Candidate> proposals = new ArrayList<>();
      for (int k = 0; k < settings.candidates(); k++) {
        Candidate a = evaluatedList.get(order[rng.nextInt(parents)]);
        Candidate b = evaluatedList.get(order[rng.nextInt(parents)]);
        Candidate c = rng.nextDouble() < 0.5 ? mutate(a, rng, nfe, teleport != null)
            : mutate(crossover(a, b, rng), rng, nfe, teleport != null);
        if (!seen.contains(c.key())) {
          proposals.add(c);
        }
      }
      double[][] features = encode(proposals, nfe);
      double[] predicted = new double[proposals.size()];
      for (int k = 0; k < predicted.length; k++) {
        predicted[k] = predictor.predict(features[k]);
      }
      Integer[] ranked = new Integer[proposals.size()];
      for (int k = 0; k < ranked.length; k++) {
        ranked[k] = k;
      }
      Arrays.sort(ranked, Comparator.comparingDouble(k -> predicted[k]));
      for (int k = 0; k < Math.min(settings.evaluated(), ranked.length); k++) {
        evaluate.accept(proposals.get(ranked[k]));
      }
    }
    int best = argmin(scores, scores.size());
    Candidate found = evaluatedList.get(best);
    Candidate constant = evaluatedList.get(bestPreset);
    return new Result(range.schedule(found), scores.get(best), range.rmse(model, found, heldOutNoises, heldOutExact),
        constant.name(), scores.get(bestPreset), range.rmse(model, constant, heldOutNoises, heldOutExact), scores.size());
  }

  /** The searched log-SNR range, and how a candidate becomes a schedule and is measured. */
  private static final class Range {
    final NoiseSchedule schedule;
    final GaussianApproximation teleport;
    final double lambdaStart;
    final double lambdaEnd;

    Range(NoiseSchedule schedule, GaussianApproximation teleport) {
      this.schedule = schedule;
      this.teleport = teleport;
      this.lambdaStart = schedule.at(schedule.tStart()).lambda();
      this.lambdaEnd = schedule.at(schedule.tEnd()).lambda();
    }

    double lambdaAt(double jump) {
      return lambdaStart + jump * (lambdaEnd - lambdaStart);
    }

    /** The jump fraction that reaches noise level {@code sigma/alpha = level}. */
    double jumpTo(double level) {
      return (-Math.log(level) - lambdaStart) / (lambdaEnd - lambdaStart);
    }

    SolverSchedule schedule(Candidate c) {
      int nfe = c.decisions().length;
      double start = lambdaAt(c.jump());
      double[] times = new double[nfe + 1];
      times[0] = c.jump() == 0 ? schedule.tStart() : schedule.inverseLambda(start);
      times[nfe] = schedule.tEnd();
      for (int i = 1; i < nfe; i++) {
        times[i] = schedule.inverseLambda(start + c.fractions()[i - 1] * (lambdaEnd - start));
      }
      return new SolverSchedule(times, Arrays.asList(c.decisions()));
    }

    /** The candidate's RMSE to the exact endpoints, from the noises (at the model's start time). */
    double rmse(Denoiser model, Candidate c, NdArray noises, double[] exact) {
      SolverSchedule s = schedule(c);
      TimeGrid grid = TimeGrid.of(schedule, s.times());
      double[] x = noises.data();
      if (c.jump() > 0) {
        x = x.clone();
        teleport.flow(x, noises.items(), schedule.at(schedule.tStart()), grid.first());
      }
      Usf usf = new Usf(new Solver.Settings("usf", Skip.LOGSNR, Skip.DEFAULT_RHO, false, Thresholding.none()), s, null);
      double r = Vectors.rmsDifference(usf.sample(model, grid, NdArray.of(x, noises.shape()), new Rng(0), StepListener.NONE)
          .samples().data(), exact);
      return Double.isFinite(r) ? r : Double.MAX_VALUE;
    }
  }

  private static double[] exact(Denoiser model, NdArray noises, String reference) {
    NoiseSchedule schedule = model.schedule();
    return Samplers.registry().create(reference).sample(model, TimeGrid.of(schedule, schedule.tStart(), schedule.tEnd()), noises,
        new Rng(0), StepListener.NONE).samples().data();
  }

  private static double[] lambdas(Skip spacing, NoiseSchedule schedule, int nfe, double tStart) {
    double[] times = spacing.times(schedule, tStart, schedule.tEnd(), nfe, Skip.DEFAULT_RHO);
    TimeGrid grid = TimeGrid.of(schedule, times);
    double[] l = new double[nfe + 1];
    for (int i = 0; i <= nfe; i++) {
      l[i] = grid.point(i).lambda();
    }
    return l;
  }

  /** The interior points of {@code lambdas} as fractions of its range. */
  private static double[] fractions(double[] lambdas) {
    double start = lambdas[0];
    double end = lambdas[lambdas.length - 1];
    double[] f = new double[lambdas.length - 2];
    for (int i = 1; i < lambdas.length - 1; i++) {
      f[i - 1] = (lambdas[i] - start) / (end - start);
    }
    return f;
  }

  private static SolverSchedule.Decision randomDecision(Rng rng, int step, int nfe) {
    SolverSchedule.Formula f = FORMULAS[rng.nextInt(FORMULAS.length)];
    boolean corrector = f.unified() && step < nfe && rng.nextDouble() < 0.5;
    return new SolverSchedule.Decision(rng.nextDouble() < 0.75 ? "data" : "noise", 1 + rng.nextInt(3), f, corrector);
  }

  private static Candidate random(Rng rng, int nfe, double jump) {
    double[] f = new double[nfe - 1];
    for (int i = 0; i < f.length; i++) {
      f[i] = rng.nextDouble();
    }
    Arrays.sort(f);
    SolverSchedule.Decision[] d = new SolverSchedule.Decision[nfe];
    for (int i = 0; i < nfe; i++) {
      d[i] = randomDecision(rng, i + 1, nfe);
    }
    return valid(new Candidate(jump, f, d, "random"));
  }

  /** One or two changes: a time point, a decision, or (with teleportation) the jump. */
  private static Candidate mutate(Candidate c, Rng rng, int nfe, boolean teleport) {
    double jump = c.jump();
    double[] f = c.fractions().clone();
    SolverSchedule.Decision[] d = c.decisions().clone();
    int changes = 1 + rng.nextInt(2);
    for (int k = 0; k < changes; k++) {
      if (teleport && rng.nextDouble() < 0.2) {
        jump = Math.min(MAX_JUMP, Math.max(0, jump + 0.05 * rng.nextGaussian()));
      } else if (f.length > 0 && rng.nextDouble() < 0.5) {
        int i = rng.nextInt(f.length);
        f[i] = Math.min(0.999, Math.max(0.001, f[i] + 0.05 * rng.nextGaussian()));
        Arrays.sort(f);
      } else {
        int i = rng.nextInt(nfe);
        SolverSchedule.Decision old = d[i];
        SolverSchedule.Decision r = randomDecision(rng, i + 1, nfe);
        d[i] = switch (rng.nextInt(4)) {
          case 0 -> new SolverSchedule.Decision(r.prediction(), old.order(), old.formula(), old.corrector());
          case 1 -> new SolverSchedule.Decision(old.prediction(), r.order(), old.formula(), old.corrector());
          case 2 -> new SolverSchedule.Decision(old.prediction(), old.order(), r.formula(), r.formula().unified() && old.corrector());
          default -> new SolverSchedule.Decision(old.prediction(), old.order(), old.formula(), old.formula().unified() && !old.corrector());
        };
      }
    }
    return valid(new Candidate(jump, f, d, "searched"));
  }

  private static Candidate crossover(Candidate a, Candidate b, Rng rng) {
    SolverSchedule.Decision[] d = a.decisions().clone();
    for (int i = 0; i < d.length; i++) {
      if (rng.nextDouble() < 0.5) {
        d[i] = b.decisions()[i];
      }
    }
    Candidate times = rng.nextDouble() < 0.5 ? a : b;
    return valid(new Candidate(times.jump(), times.fractions().clone(), d, "searched"));
  }

  /** No corrector on the last step (it would never run); distinct interior points. */
  private static Candidate valid(Candidate c) {
    SolverSchedule.Decision[] d = c.decisions();
    SolverSchedule.Decision last = d[d.length - 1];
    if (last.corrector()) {
      d[d.length - 1] = new SolverSchedule.Decision(last.prediction(), last.order(), last.formula(), false);
    }
    double[] f = c.fractions();
    for (int i = 1; i < f.length; i++) {
      if (f[i] <= f[i - 1] + 1e-4) {
        f[i] = Math.min(0.9999, f[i - 1] + 1e-3);
      }
    }
    return c;
  }

  /** The jump; then per step: its start's fraction, prediction, order / 3, formula one-hot, corrector. */
  private static double[][] encode(List<Candidate> list, int nfe) {
    double[][] out = new double[list.size()][8 * nfe + 1];
    for (int k = 0; k < list.size(); k++) {
      Candidate c = list.get(k);
      out[k][8 * nfe] = c.jump() / MAX_JUMP;
      for (int i = 0; i < nfe; i++) {
        int o = 8 * i;
        out[k][o] = i == 0 ? 0 : c.fractions()[i - 1];
        SolverSchedule.Decision d = c.decisions()[i];
        out[k][o + 1] = d.prediction().equals("data") ? 1 : 0;
        out[k][o + 2] = d.order() / 3.0;
        out[k][o + 3 + d.formula().ordinal()] = 1;
        out[k][o + 7] = d.corrector() ? 1 : 0;
      }
    }
    return out;
  }

  private static double[] logs(List<Double> scores) {
    return scores.stream().mapToDouble(v -> Math.log(Math.min(v, 1e6))).toArray();
  }

  private static Integer[] ranking(List<Double> scores) {
    Integer[] order = new Integer[scores.size()];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, Comparator.comparingDouble(scores::get));
    return order;
  }

  private static int argmin(List<Double> scores, int upTo) {
    int best = 0;
    for (int k = 1; k < upTo; k++) {
      if (scores.get(k) < scores.get(best)) {
        best = k;
      }
    }
    return best;
  }

  /** The performance predictor: one hidden tanh layer (32 units), squared error, Adam, inputs as given. */
  static final class Mlp {
    private static final int HIDDEN = 32;
    private final double[][] w1;
    private final double[] b1 = new double[HIDDEN];
    private final double[] w2 = new double[HIDDEN];
    private double b2;
    private double mean;
    private double scale = 1;

    private Mlp(int inputs, Rng rng) {
      w1 = new double[HIDDEN][inputs];
      for (double[] row : w1) {
        for (int j = 0; j < inputs; j++) {
          row[j] = rng.nextGaussian() / Math.sqrt(inputs);
        }
      }
      for (int u = 0; u < HIDDEN; u++) {
        w2[u] = rng.nextGaussian() / Math.sqrt(HIDDEN);
      }
    }

    static Mlp fit(double[][] x, double[] y, Rng rng) {
      Mlp m = new Mlp(x[0].length, rng);
      m.mean = Arrays.stream(y).average().orElse(0);
      double var = Arrays.stream(y).map(v -> (v - m.mean) * (v - m.mean)).average().orElse(1);
      m.scale = Math.sqrt(Math.max(var, 1e-12));
      int n = x.length;
      int p = HIDDEN * x[0].length + 2 * HIDDEN + 1;
      double[] am = new double[p];
      double[] av = new double[p];
      double[] g = new double[p];
      double[] h = new double[HIDDEN];
      int epochs = 300;
      for (int step = 1; step <= epochs; step++) {
        Arrays.fill(g, 0);
        for (int k = 0; k < n; k++) {
          double out = m.forward(x[k], h);
          double err = (out - (y[k] - m.mean) / m.scale) / n;
          int q = 0;
          for (int u = 0; u < HIDDEN; u++) {
            double da = err * m.w2[u] * (1 - h[u] * h[u]);
            for (int j = 0; j < x[k].length; j++) {
              g[q++] += da * x[k][j];
            }
            g[q++] += da;
          }
          for (int u = 0; u < HIDDEN; u++) {
            g[q++] += err * h[u];
          }
          g[q] += err;
        }
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        int q = 0;
        for (int u = 0; u < HIDDEN; u++) {
          for (int j = 0; j < m.w1[u].length; j++) {
            m.w1[u][j] -= adam(am, av, g, q++, c1, c2);
          }
          m.b1[u] -= adam(am, av, g, q++, c1, c2);
        }
        for (int u = 0; u < HIDDEN; u++) {
          m.w2[u] -= adam(am, av, g, q++, c1, c2);
        }
        m.b2 -= adam(am, av, g, q, c1, c2);
      }
      return m;
    }

    private static double adam(double[] m, double[] v, double[] g, int q, double c1, double c2) {
      m[q] = 0.9 * m[q] + 0.1 * g[q];
      v[q] = 0.999 * v[q] + 0.001 * g[q] * g[q];
      return 0.01 * (m[q] / c1) / (Math.sqrt(v[q] / c2) + 1e-8);
    }

    private double forward(double[] x, double[] h) {
      double out = b2;
      for (int u = 0; u < HIDDEN; u++) {
        double a = b1[u];
        for (int j = 0; j < x.length; j++) {
          a += w1[u][j] * x[j];
        }
        h[u] = Math.tanh(a);
        out += w2[u] * h[u];
      }
      return out;
    }

    double predict(double[] x) {
      return mean + scale * forward(x, new double[HIDDEN]);
    }
  }
}
