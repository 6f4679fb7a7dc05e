package org.fewstep.data.meta;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.fewstep.bench.DiffusionBenchmark;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.VpLinearSchedule;

/**
 * Measures MetaInf's performance table (section 15(b), offline stage) with fewstep's own
 * {@link DiffusionBenchmark}: for every situation (a model and a guidance scale) and every candidate
 * sampler spec, the RMSE to the exact endpoint (the {@code reference} solver from the same noises)
 * at the largest step count whose NFE fits each budget. Situations are the embedded models
 * (gmm-2d, gmm-16d, gmm-64d with and without guidance, a 20-per-class subset of digits) and a seeded
 * family of synthetic Gaussian mixtures (the {@code gmm:FILE} model: diagonal covariances, one class
 * per component) varying dimension, components, separation, spreads, weights and guidance.
 *
 * <p>The bundled {@code diffusion-records.csv} is {@code MetaInfRecords.main} with no arguments
 * (= {@code run(Settings.DEFAULT)}), written to that file.
 */
public final class MetaInfRecords {
  /** The candidate sampler specs: each deterministic sampler's recommended configurations. */
  public static final List<String> CANDIDATES = List.of("ddim", "heun", "pndm", "deis", "dpm-solver", "dpmpp",
      "dpmpp:order=3", "dpmpp:method=singlestep,order=2", "unipc", "unipc:variant=bh1", "unipc:order=3,variant=bh1");

  /** The NFE budgets. */
  public static final List<Integer> BUDGETS = List.of(5, 6, 8, 10, 15, 20);

  /**
   * @param synthetic number of synthetic mixtures
   * @param noises    initial noises per situation
   * @param embedded  whether to include the embedded models (gmm-2d, gmm-16d, gmm-64d, digits subset)
   */
  public record Settings(int synthetic, int noises, boolean embedded, List<String> candidates, List<Integer> budgets, long seed) {
    public static final Settings DEFAULT = new Settings(100, 48, true, CANDIDATES, BUDGETS, 2024);

    public Settings {
      BadInputException.requireAtLeast("synthetic", synthetic, 0);
      BadInputException.requireAtLeast("noises", noises, 1);
      if (candidates.isEmpty() || budgets.isEmpty()) {
        throw BadInputException.of("candidates and budgets", candidates + " " + budgets, "at least one of each");
      }
      candidates.forEach(Diffusion::sampler);
      budgets.forEach(b -> BadInputException.requireAtLeast("budget", b, 1));
      candidates = List.copyOf(candidates);
      budgets = List.copyOf(budgets);
    }
  }

  /** A situation to measure: a model and a guidance scale (null: unguided). */
  public record Situation(String name, String model, DiffusionModel diffusionModel, Double guidance) {}

  private MetaInfRecords() {}

  /** The situations of {@code settings}, embedded models first. */
  public static List<Situation> situations(Settings settings) {
    List<Situation> out = new ArrayList<>();
    if (settings.embedded()) {
      out.add(new Situation("gmm-2d", "gmm-2d", Diffusion.model("gmm-2d"), null));
      out.add(new Situation("gmm-2d g=1", "gmm-2d", Diffusion.model("gmm-2d"), 1.0));
      out.add(new Situation("gmm-2d g=3", "gmm-2d", Diffusion.model("gmm-2d"), 3.0));
      out.add(new Situation("gmm-16d", "gmm-16d", Diffusion.model("gmm-16d"), null));
      out.add(new Situation("gmm-16d g=2", "gmm-16d", Diffusion.model("gmm-16d"), 2.0));
      out.add(new Situation("gmm-64d", "gmm-64d", Diffusion.model("gmm-64d"), null));
      out.add(new Situation("gmm-64d g=2", "gmm-64d", Diffusion.model("gmm-64d"), 2.0));
      out.add(new Situation("digits:per-class=20", "digits", Diffusion.model("digits:per-class=20"), null));
    }
    for (int i = 0; i < settings.synthetic(); i++) {
      Rng rng = Rng.stream(settings.seed(), i);
      GaussianMixture m = syntheticMixture(rng);
      double u = rng.nextDouble();
      Double guidance = u < 0.5 ? null : u < 0.65 ? 1.0 : u < 0.85 ? 2.0 : 4.0;
      String name = "synthetic-" + i;
      out.add(new Situation(name + (guidance == null ? "" : " g=" + guidance.intValue()), name, m, guidance));
    }
    return out;
  }

  /**
   * A random mixture: dimension {@code round(2^U(1,6))}, 1-12 components with means
   * {@code N(0, s^2)} for a separation {@code s ~ logU(0.2, 3)}, per-component, per-coordinate stds
   * {@code base * logU(0.5, 2)} with {@code base ~ logU(0.01, 0.5)}, equal weights or exponential
   * draws normalised (half each), one class per component.
   */
  static GaussianMixture syntheticMixture(Rng rng) {
    int d = (int) Math.round(Math.pow(2, 1 + 5 * rng.nextDouble()));
    int k = 1 + (int) (12 * rng.nextDouble());
    double separation = logUniform(rng, 0.2, 3);
    double base = logUniform(rng, 0.01, 0.5);
    boolean equal = rng.nextDouble() < 0.5;
    double[] weights = new double[k];
    double[][] means = new double[k][d];
    double[][] stds = new double[k][d];
    int[] labels = new int[k];
    double total = 0;
    for (int c = 0; c < k; c++) {
      weights[c] = equal ? 1 : -Math.log(1 - rng.nextDouble()) + 1e-3;
      total += weights[c];
      labels[c] = c;
      for (int j = 0; j < d; j++) {
        means[c][j] = separation * rng.nextGaussian();
        stds[c][j] = base * logUniform(rng, 0.5, 2);
      }
    }
    for (int c = 0; c < k; c++) {
      weights[c] /= total;
    }
    double sum = 0;
    for (int c = 0; c < k - 1; c++) {
      sum += weights[c];
    }
    weights[k - 1] = 1 - sum;
    return new GaussianMixture(VpLinearSchedule.standard(), weights, means, stds, labels, Prediction.of("x0"));
  }

  private static double logUniform(Rng rng, double lo, double hi) {
    return lo * Math.exp(Math.log(hi / lo) * rng.nextDouble());
  }

  /** The largest step count of {@code spec} whose NFE is at most {@code budget}, or 0 if none (measured on a 1-row run). */
  public static int stepsWithin(String spec, int budget) {
    DiffusionSampler sampler = Diffusion.sampler(spec);
    DiffusionModel probe = Diffusion.model("gmm-2d");
    for (int s = budget; s >= sampler.minSteps(); s--) {
      int nfe = sampler.sample(Denoiser.of(probe), s, Diffusion.prior(probe, 1, 0), new Rng(0), StepListener.NONE).nfe();
      if (nfe <= budget) {
        return s;
      }
    }
    return 0;
  }

  /** Measures every situation; {@code progress} is told each finished situation's name. */
  public static PerformanceTable run(Settings settings, java.util.function.Consumer<String> progress) {
    Map<String, int[]> steps = new LinkedHashMap<>();
    for (String spec : settings.candidates()) {
      steps.put(spec, settings.budgets().stream().mapToInt(b -> stepsWithin(spec, b)).toArray());
    }
    List<PerformanceTable.Row> rows = new ArrayList<>();
    for (Situation s : situations(settings)) {
      DiffusionModel m = s.diffusionModel();
      SituationFeatures features = SituationFeatures.of(m, s.guidance());
      IntFunction<Denoiser> base = s.guidance() == null ? rows1 -> Denoiser.of(m) : n -> {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
          labels[i] = i % m.classes();
        }
        return Denoiser.guided(m, Conditioning.labels(labels), s.guidance());
      };
      DiffusionBenchmark bench = new DiffusionBenchmark(m, base, UnaryOperator.identity(), settings.noises(), settings.seed(), "reference");
      for (String spec : settings.candidates()) {
        int[] perBudget = steps.get(spec);
        int[] distinct = java.util.Arrays.stream(perBudget).filter(x -> x > 0).distinct().toArray();
        Map<Integer, DiffusionBenchmark.Result> byStep = new LinkedHashMap<>();
        for (DiffusionBenchmark.Result r : bench.run(List.of(spec), distinct, StepListener.NONE)) {
          byStep.put(r.steps(), r);
        }
        for (int b = 0; b < perBudget.length; b++) {
          DiffusionBenchmark.Result r = byStep.get(perBudget[b]);
          if (perBudget[b] > 0 && r != null) {
            rows.add(new PerformanceTable.Row(s.name(), s.model(), features, spec, settings.budgets().get(b), r.steps(), r.nfe(),
                Math.max(r.rmse(), 1e-300), r.seconds()));
          }
        }
      }
      progress.accept(s.name());
    }
    return new PerformanceTable(rows);
  }

  /** Writes {@code run(Settings.DEFAULT)} to the file given (default {@code diffusion-records.csv}). */
  public static void main(String[] args) {
    Path out = Path.of(args.length > 0 ? args[0] : PerformanceTable.RESOURCE);
    long start = System.nanoTime();
    PerformanceTable table = run(Settings.DEFAULT, name -> System.err.println("measured " + name));
    try {
      Files.writeString(out, table.toCsv(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.err.printf("%d rows -> %s in %.1f s%n", table.rows().size(), out, (System.nanoTime() - start) / 1e9);
  }
}
