package org.fewstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Table;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianApproximation;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.solver.DcTuning;
import org.fewstep.diffusion.solver.S3Search;
import org.fewstep.diffusion.solver.Samplers;

/**
 * Quality against cost for diffusion samplers: every sampler at every step count integrates the
 * same start noise, and the error is the RMSE (over all samples and elements, model coordinates) to
 * the exact endpoint computed once by the reference solver from the same noise (the "MSE to a
 * many-step reference" metric of DPM-Solver-v3 and DC-Solver, diffusion.md 0.7).
 */
public final class DiffusionBenchmark {
  /**
   * The deterministic samplers compared by {@code --samplers all}: each paper's recommended
   * configuration, with each sampler's default step spacing.
   */
  public static final List<String> ALL = List.of(
      "ddim", "euler", "heun", "pndm", "pndm:variant=s-pndm", "deis", "deis:method=rk,rk=kutta3",
      "dpm-solver", "dpm-solver:method=multistep,order=3", "dpmpp:method=singlestep,order=2",
      "dpmpp:method=singlestep,order=3", "dpmpp", "dpmpp:order=3", "unipc", "unipc:order=3,variant=bh1");

  /** One measurement. */
  public record Result(String sampler, int steps, int nfe, double rmse, double seconds) {}

  private final DiffusionModel model;
  private final IntFunction<Denoiser> base;
  private final UnaryOperator<Denoiser> error;
  private final int n;
  private final long seed;
  private final String reference;
  private NdArray start;
  private double[] exact;
  private double referenceSeconds;
  private int referenceNfe;

  /**
   * @param error     wraps the denoiser the samplers see (identity for none); the reference solves
   *                  the ODE of the same, possibly perturbed, denoiser
   * @param reference the reference sampler spec (e.g. {@code reference})
   */
  public DiffusionBenchmark(DiffusionModel model, UnaryOperator<Denoiser> error, int n, long seed, String reference) {
    this(model, rows -> Denoiser.of(model), error, n, seed, reference);
  }

  /**
   * @param base the denoiser for a batch of the given number of rows (e.g. guided, with one label per
   *             row), before {@code error}
   */
  public DiffusionBenchmark(DiffusionModel model, IntFunction<Denoiser> base, UnaryOperator<Denoiser> error, int n, long seed,
      String reference) {
    BadInputException.requireAtLeast("number of samples", n, 1);
    this.model = model;
    this.base = base;
    this.error = error;
    this.n = n;
    this.seed = seed;
    this.reference = reference;
  }

  private Denoiser denoiser() {
    return error.apply(base.apply(n));
  }

  /** The exact endpoints (computed on first use). */
  public double[] exact() {
    if (exact == null) {
      start = Diffusion.prior(model, n, seed);
      SampleResult r = Diffusion.sampler(reference).sample(denoiser(), 1, start, new Rng(seed), StepListener.NONE);
      exact = r.samples().data();
      referenceSeconds = r.nanos() / 1e9;
      referenceNfe = r.nfe();
    }
    return exact;
  }

  public double referenceSeconds() {
    exact();
    return referenceSeconds;
  }

  public int referenceNfe() {
    exact();
    return referenceNfe;
  }

  /** Runs every sampler at every step count it accepts; combinations it refuses are skipped. */
  public List<Result> run(List<String> samplers, int[] steps, StepListener progress) {
    double[] target = exact();
    List<Result> results = new ArrayList<>();
    for (String spec : samplers) {
      DiffusionSampler sampler = Diffusion.sampler(spec);
      for (int s : steps) {
        if (s < sampler.minSteps()) {
          continue; // e.g. order 3 with 2 steps
        }
        SampleResult r = sampler.sample(denoiser(), s, start, new Rng(seed), StepListener.NONE);
        results.add(new Result(spec, s, r.nfe(), Vectors.rmsDifference(r.samples().data(), target), r.nanos() / 1e9));
        progress.onFinish(r.nfe());
      }
    }
    return results;
  }

  /**
   * DC-Solver tuned per step count (the paper's protocol): for each {@code dc} spec and step count,
   * compensation ratios are searched on {@code tuneNoises} initial noises from {@code tuneSeed}
   * (disjoint from the benchmark's noises when the seeds differ), written to a temporary file, and
   * the sampler with those ratios is measured on the benchmark's noises. Rows are named
   * {@code SPEC (tuned)}.
   *
   * @param scale the guidance scale of the denoiser, recorded in the ratios
   */
  public List<Result> runDcTuned(List<String> specs, int[] steps, int tuneNoises, long tuneSeed, double scale) {
    double[] target = exact();
    NdArray tuneStart = Diffusion.prior(model, tuneNoises, tuneSeed);
    Denoiser tuneModel = error.apply(base.apply(tuneNoises));
    List<Result> results = new ArrayList<>();
    for (String spec : specs) {
      for (int s : steps) {
        if (s < Diffusion.sampler(spec).minSteps()) {
          continue;
        }
        DcTuning.Result tuned = DcTuning.search(spec, tuneModel, s, scale, tuneStart, DcTuning.Search.DEFAULT);
        Path file;
        try {
          file = Files.createTempFile("fewstep-dc-" + s + "-", ".json");
          file.toFile().deleteOnExit();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        tuned.ratios().write(file);
        String withRatios = spec + (spec.contains(":") ? "," : ":") + "ratios=" + file;
        SampleResult r = Diffusion.sampler(withRatios).sample(denoiser(), s, start, new Rng(seed), StepListener.NONE);
        results.add(new Result(spec + " (tuned)", s, r.nfe(), Vectors.rmsDifference(r.samples().data(), target), r.nanos() / 1e9));
      }
    }
    return results;
  }

  /**
   * S3 per step count: a USF solver schedule searched on {@code tuneNoises} initial noises from
   * {@code tuneSeed}, then measured on the benchmark's noises. With {@code teleport} (Gaussian
   * statistics, see the {@code teleport} sampler) the search also chooses where the Gaussian's exact
   * flow hands over to the schedule, and the result runs as the {@code teleport} sampler over it.
   * Rows are named {@code s3 (tuned)} or {@code teleport+s3 (tuned)}.
   */
  public List<Result> runS3Tuned(int[] steps, int tuneNoises, long tuneSeed, GaussianApproximation teleport) {
    double[] target = exact();
    NoiseSchedule schedule = model.schedule();
    NdArray tuneStart = Diffusion.prior(model, tuneNoises, tuneSeed);
    Denoiser tuneModel = error.apply(base.apply(tuneNoises));
    List<Result> results = new ArrayList<>();
    for (int s : steps) {
      S3Search.Settings settings = S3Search.Settings.DEFAULT.withReference(reference);
      S3Search.Result found = S3Search.run(tuneModel, s, tuneStart, tuneStart, settings, tuneSeed, teleport);
      Path file;
      try {
        file = Files.createTempFile("fewstep-s3-" + s + "-", ".json");
        file.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      found.schedule().write(file);
      DiffusionSampler usf = Diffusion.sampler("usf:schedule=" + file);
      double first = found.schedule().times()[0];
      DiffusionSampler sampler = first == schedule.tStart() ? usf
          : Samplers.teleport(usf, teleport, 0, schedule.at(first).noise(), "fresh");
      SampleResult r = sampler.sample(denoiser(), s, start, new Rng(seed), StepListener.NONE);
      String name = teleport == null ? "s3 (tuned)" : "teleport+s3 (tuned)";
      results.add(new Result(name, s, r.nfe(), Vectors.rmsDifference(r.samples().data(), target), r.nanos() / 1e9));
    }
    return results;
  }

  /** The results as a table: sampler, steps, NFE, RMSE, seconds. */
  public static Table table(List<Result> results) {
    Table t = new Table("sampler", "steps", "nfe", "rmse", "seconds");
    for (Result r : results) {
      t.add(r.sampler(), r.steps(), r.nfe(), r.rmse(), String.format(java.util.Locale.ROOT, "%.3f", r.seconds()));
    }
    return t;
  }

  /** A wide table: one row per sampler, one RMSE column per step count (NFE in brackets if different). */
  public static Table grid(List<Result> results, int[] steps) {
    String[] columns = new String[steps.length + 1];
    columns[0] = "sampler";
    for (int i = 0; i < steps.length; i++) {
      columns[i + 1] = "steps " + steps[i];
    }
    Table t = new Table(columns);
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (Result r : results) {
      String[] row = rows.computeIfAbsent(r.sampler(), k -> {
        String[] cells = new String[steps.length + 1];
        java.util.Arrays.fill(cells, "-");
        cells[0] = k;
        return cells;
      });
      for (int i = 0; i < steps.length; i++) {
        if (steps[i] == r.steps()) {
          row[i + 1] = String.format(java.util.Locale.ROOT, "%.3e", r.rmse()) + (r.nfe() != r.steps() ? " (" + r.nfe() + ")" : "");
        }
      }
    }
    rows.values().forEach(row -> t.add((Object[]) row));
    return t;
  }

  /** Log-log plot of RMSE against NFE, one line per sampler. */
  public static void plot(List<Result> results, Path png, String title) {
    Map<String, List<Result>> bySampler = new LinkedHashMap<>();
    for (Result r : results) {
      bySampler.computeIfAbsent(r.sampler(), k -> new ArrayList<>()).add(r);
    }
    List<Plots.Series> series = new ArrayList<>();
    for (Map.Entry<String, List<Result>> e : bySampler.entrySet()) {
      List<Result> rs = e.getValue().stream().filter(r -> r.rmse() > 0).toList();
      series.add(new Plots.Series(e.getKey(), rs.stream().mapToDouble(Result::nfe).toArray(),
          rs.stream().mapToDouble(Result::rmse).toArray()));
    }
    Plots.logLog(png, title, "NFE", "RMSE to the exact endpoint", series);
  }
}
