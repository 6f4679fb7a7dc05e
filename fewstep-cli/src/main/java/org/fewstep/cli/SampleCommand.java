package org.fewstep.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fewstep.bench.Plots;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.ImageGrid;
import org.fewstep.core.io.Npy;
import org.fewstep.core.listen.StepListener;
import org.fewstep.data.meta.Choice;
import org.fewstep.data.meta.MetaInf;
import org.fewstep.data.meta.SamplerSelector;
import org.fewstep.data.meta.SituationFeatures;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.TimeGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fewstep sample}: draw samples from a diffusion model with one sampler. */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = {"Sample a diffusion model: writes a PNG (image grid or scatter plot) or NPY file, prints NFE and time.",
        "Specs: see 'fewstep list'. Example: fewstep sample --sampler unipc:order=3 --steps 8"})
final class SampleCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "digits", description = "model spec (digits, gmm-2d, gmm-16d, gmm-64d, gmm:FILE); default ${DEFAULT-VALUE}")
  String model;

  @Option(names = "--sampler", defaultValue = "dpmpp", description = "sampler spec, e.g. dpmpp:order=3, or 'auto' (MetaInf: the sampler "
      + "predicted best for this model within --steps NFE, learned from fewstep's benchmark records); default ${DEFAULT-VALUE}")
  String sampler;

  @Option(names = "--steps", defaultValue = "10", description = "solver steps (with --sampler auto: the NFE budget); default ${DEFAULT-VALUE}")
  int steps;

  @Option(names = "--times", description = "explicit decreasing times t0,t1,... (one step per interval; overrides --steps)")
  String times;

  @Option(names = {"-n", "--count"}, description = "number of samples; default 16 (or the rows of --init)")
  Integer count;

  @Option(names = "--seed", defaultValue = "0", description = "seed of the noise; default ${DEFAULT-VALUE}")
  long seed;

  @Option(names = "--init", description = "initial standard-normal noise, NPY (float32/float64) of shape [n, item shape...]")
  Path init;

  @Option(names = "--out", defaultValue = "samples.png", description = "output: .png or .npy (float64 [n, ...]); default ${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--guidance", description = "classifier-free guidance scale (1 = plain conditional)")
  Double guidance;

  @Option(names = "--labels", description = "class labels: one for all samples, one per sample (a,b,...), 'cycle' (default with --guidance), or a product of classes a+b (e.g. with --sampler fkc)")
  String labels;

  @Option(names = "--error", description = "add a model error, e.g. smooth:size=0.02 (see 'fewstep list errors')")
  String error;

  @Option(names = {"-q", "--quiet"}, description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() {
    String file = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!file.endsWith(".png") && !file.endsWith(".npy")) {
      throw BadInputException.of("--out", out, "a file name ending in .png or .npy");
    }
    DiffusionModel m = Diffusion.model(model);
    int steps = this.steps;
    String sampler = this.sampler;
    if (sampler.equals("auto")) {
      Choice choice = chooseAuto(m);
      sampler = choice.sampler();
      steps = choice.steps();
    }
    DiffusionSampler s = Diffusion.sampler(sampler);
    Cli.requireMatchingEms(sampler, model, guidance);
    NdArray start = startNoise(m);
    int n = start.items();
    Denoiser denoiser = denoiser(m, n);
    if (error != null) {
      denoiser = Diffusion.errors().create(error).apply(denoiser);
    }
    StepListener progress = ProgressBarListener.forTerminal(s.spec(), quiet);
    SampleResult result = times == null
        ? s.sample(denoiser, steps, start, new Rng(seed), progress)
        : s.sample(denoiser, TimeGrid.of(m.schedule(), parseTimes(times)), start, new Rng(seed), progress);
    write(m, result.samples(), s.spec());
    out().printf(Locale.ROOT, "%d samples of %s with %s: %d steps, NFE %d, %.3f s -> %s%n",
        n, model, s.spec(), result.steps(), result.nfe(), result.nanos() / 1e9, out);
    return 0;
  }

  /**
   * {@code --sampler auto}: MetaInf's default selector (discrete-and-data.md section 15) picks the
   * sampler and step count predicted best for this model and guidance within {@code --steps} NFE,
   * and says so on standard error.
   */
  private Choice chooseAuto(DiffusionModel m) {
    if (times != null) {
      throw BadInputException.of("--times", times, "no --times with --sampler auto (it chooses the steps for a budget of --steps NFE)");
    }
    if (labels != null && labels.contains("+")) {
      throw BadInputException.of("--sampler", "auto", "an explicit sampler with a product of classes (--labels " + labels + ")");
    }
    SituationFeatures features = SituationFeatures.of(m, guidance);
    SamplerSelector selector = MetaInf.defaultSelector();
    List<Choice> ranked = selector.ranked(features, steps);
    Choice c = ranked.get(0);
    StringBuilder next = new StringBuilder();
    for (int i = 1; i < Math.min(3, ranked.size()); i++) {
      next.append(i == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2e", ranked.get(i).sampler(), ranked.get(i).predictedRmse()));
    }
    spec.commandLine().getErr().printf(Locale.ROOT,
        "--sampler auto chose %s with %d steps (NFE %d within the budget of %d): predicted RMSE to the exact endpoint %.2e "
            + "(next: %s); MetaInf %s over %d benchmarked situations at budget %d; features: dimension %d, data std %.3g, "
            + "neighbour ratio %.3g, classes %d, guidance %s%n",
        c.sampler(), c.steps(), c.nfe(), steps, c.predictedRmse(), next, selector.learner().key(),
        selector.situations(c.recordedBudget()), c.recordedBudget(), features.dimension(), features.dataStd(),
        features.neighbourRatio(), features.classes(), guidance == null ? "none" : guidance.toString());
    return c;
  }

  private NdArray startNoise(DiffusionModel m) {
    if (init == null) {
      return Diffusion.prior(m, count == null ? 16 : count, seed);
    }
    NdArray z = Npy.read(init);
    int[] item = m.itemShape();
    if (z.rank() != item.length + 1 || !Arrays.equals(z.itemShape(), item)) {
      throw BadInputException.of("--init " + init + " shape", NdArray.shapeText(z.shape()),
          "[n, " + Arrays.toString(item).replaceAll("[\\[\\]]", "") + "] for model " + model);
    }
    if (count != null && count != z.items()) {
      throw new BadInputException("--init " + init + " has " + z.items() + " rows but -n = " + count);
    }
    double scale = m.schedule().priorScale();
    double[] x = z.data().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] *= scale;
    }
    return NdArray.of(x, z.shape());
  }

  private Denoiser denoiser(DiffusionModel m, int n) {
    return denoiser(m, model, n, guidance, labels);
  }

  /**
   * The denoiser of {@code --guidance}/{@code --labels} for {@code n} samples: the plain model
   * without them, else classifier-free guidance (scale 1 = plain conditional) with labels given
   * once, once per sample, or cycling over the classes.
   */
  static Denoiser denoiser(DiffusionModel m, String modelName, int n, Double guidance, String labels) {
    if (guidance == null && labels == null) {
      return Denoiser.of(m);
    }
    if (m.classes() == 0) {
      throw new BadInputException("--guidance/--labels: model " + modelName + " has no class labels");
    }
    if (labels != null && labels.contains("+")) {
      return product(m, n, guidance, labels);
    }
    int[] rows = new int[n];
    if (labels == null || labels.equals("cycle")) {
      for (int i = 0; i < n; i++) {
        rows[i] = i % m.classes();
      }
    } else {
      String[] parts = labels.split(",");
      if (parts.length != 1 && parts.length != n) {
        throw BadInputException.of("--labels", labels, "one label, " + n + " labels (one per sample) or 'cycle'");
      }
      for (int i = 0; i < n; i++) {
        String p = parts[parts.length == 1 ? 0 : i].trim();
        try {
          rows[i] = Integer.parseInt(p);
        } catch (NumberFormatException e) {
          throw BadInputException.of("--labels", labels, "integers in [0, " + (m.classes() - 1) + "]");
        }
      }
    }
    return Denoiser.guided(m, Conditioning.labels(rows), guidance == null ? 1.0 : guidance);
  }

  /**
   * {@code --labels a+b+...}: the product of the class-conditional models (score {@code s_a + s_b + ...},
   * the product-of-experts target of Feynman-Kac correctors), the same classes for every sample.
   */
  private static Denoiser product(DiffusionModel m, int n, Double guidance, String labels) {
    if (guidance != null) {
      throw BadInputException.of("--guidance", guidance, "no guidance with a product of classes (--labels " + labels + ")");
    }
    String[] parts = labels.split("\\+");
    Denoiser[] experts = new Denoiser[parts.length];
    double[] ones = new double[parts.length];
    for (int k = 0; k < parts.length; k++) {
      int label;
      try {
        label = Integer.parseInt(parts[k].trim());
      } catch (NumberFormatException e) {
        throw BadInputException.of("--labels", labels, "classes joined by '+' (a product), integers in [0, " + (m.classes() - 1) + "]");
      }
      int[] rows = new int[n];
      java.util.Arrays.fill(rows, label);
      experts[k] = Denoiser.conditional(m, Conditioning.labels(rows));
      ones[k] = 1;
    }
    return Denoiser.combination(ones, experts);
  }

  private static double[] parseTimes(String text) {
    String[] parts = text.split(",");
    double[] t = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        t[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw BadInputException.of("--times", text, "comma-separated numbers");
      }
    }
    return t;
  }

  private void write(DiffusionModel m, NdArray samples, String samplerSpec) {
    String file = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (file.endsWith(".npy")) {
      Npy.write(out, samples, Npy.DType.FLOAT64);
      return;
    }
    int[] item = m.itemShape();
    if (item.length >= 2) {
      int n = samples.items();
      int h = item[item.length - 2];
      int w = item[item.length - 1];
      int[] shape = item.length == 2 ? new int[] {n, h, w} : new int[] {n, item[0], h, w};
      ImageGrid.write(out, samples.reshape(shape), -1, 1, 0, Math.max(1, 96 / Math.max(h, w)));
      return;
    }
    if (item[0] < 2) {
      throw BadInputException.of("--out", out, "a .npy file: a PNG needs images or at least 2 dimensions");
    }
    Map<String, double[][]> sets = new LinkedHashMap<>();
    if (m instanceof GaussianMixture) {
      double alpha = m.schedule().at(m.schedule().tEnd()).alpha();
      double[] data = ((GaussianMixture) m).sample(new Rng(seed ^ 0x5DEECE66DL), 1000, Conditioning.NONE);
      sets.put("data (x alpha at t-end)", columns(data, item[0], alpha));
    }
    sets.put("samples", columns(samples.data(), item[0], 1));
    Plots.scatter(out, model + " with " + samplerSpec, sets);
  }

  private static double[][] columns(double[] data, int dim, double scale) {
    int n = data.length / dim;
    double[][] xy = new double[2][n];
    for (int i = 0; i < n; i++) {
      xy[0][i] = scale * data[i * dim];
      xy[1][i] = scale * data[i * dim + 1];
    }
    return xy;
  }

  private java.io.PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
