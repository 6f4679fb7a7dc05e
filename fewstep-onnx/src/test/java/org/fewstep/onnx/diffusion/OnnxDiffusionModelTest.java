package org.fewstep.onnx.diffusion;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Npy;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.registry.Component;
import org.fewstep.core.registry.Registry;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.DiffusionSampler;
import org.fewstep.diffusion.Prediction;
import org.fewstep.diffusion.SampleResult;
import org.fewstep.diffusion.model.GaussianMixture;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX denoiser against the same function in Java ({@link GaussianReference}) on the two
 * fixtures of {@code fixtures/make_denoiser.py}: {@code gaussian-unet} (pipeline layout, int64
 * timestep [B], epsilon, encoder_hidden_states, guided), {@code gaussian-unet-flat} (flat layout,
 * float32 scalar timestep, v_prediction, unconditional), {@code gaussian-unet-int32} (int32 [1],
 * cosine betas, sample) and {@code gaussian-unet-double} (float64 [B], epsilon).
 *
 * <p>Tolerances. One evaluation: the model sees x rounded to float32 and returns a float32 prediction,
 * so |onnx - java| &lt;= 1e-6 (1 + |java|) per element (measured 1.2e-7). Whole sampling runs (4 rows,
 * 8 steps, same start and seed): |onnx - java| &lt;= 3e-5 per element of the final samples of every
 * fixed-step sampler and of the adaptive ones on the float-timestep fixtures (printed per sampler;
 * measured at most 4.3e-6, except 1.8e-5 for F-PNDM on the x0-predicting model, where
 * eps = (x - x0) / noise magnifies the float32 rounding of x0 at low noise).
 */
class OnnxDiffusionModelTest {
  static final Path UNET = Path.of("fixtures", "gaussian-unet");
  static final Path FLAT = Path.of("fixtures", "gaussian-unet-flat");
  static final Path INT32 = Path.of("fixtures", "gaussian-unet-int32");
  static final Path DOUBLE = Path.of("fixtures", "gaussian-unet-double");
  private static final double EVAL_TOLERANCE = 1e-6;
  private static final double SAMPLE_TOLERANCE = 3e-5;
  /** Labels of the guided runs (rows of conditions.npy). */
  private static final Conditioning LABELS = Conditioning.labels(0, 1, 1, 0);
  private static final double GUIDANCE = 3.5;

  static OnnxDiffusionModel unet;
  static OnnxDiffusionModel flat;
  static GaussianReference unetJava;
  static GaussianReference flatJava;
  /** The other timestep types: int32 [1] (cosine betas, predicts x0) and float64 [B] (epsilon). */
  static OnnxDiffusionModel int32;
  static OnnxDiffusionModel float64;
  static GaussianReference int32Java;
  static GaussianReference float64Java;

  @BeforeAll
  static void load() {
    NdArray conditions = Npy.read(UNET.resolve("conditions.npy"));
    NdArray negative = Npy.read(UNET.resolve("negative.npy"));
    unet = OnnxDiffusionModel.load(UNET, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("encoder_hidden_states", conditions, negative)));
    flat = OnnxDiffusionModel.load(FLAT);
    unetJava = new GaussianReference(unet.scheduler(), true, UNET.resolve("reference"), conditions, negative);
    flatJava = new GaussianReference(flat.scheduler(), false, UNET.resolve("reference"), null, null);
    int32 = OnnxDiffusionModel.load(INT32);
    float64 = OnnxDiffusionModel.load(DOUBLE);
    int32Java = new GaussianReference(int32.scheduler(), true, UNET.resolve("reference"), null, null);
    float64Java = new GaussianReference(float64.scheduler(), false, UNET.resolve("reference"), null, null);
  }

  @AfterAll
  static void close() {
    unet.close();
    flat.close();
    int32.close();
    float64.close();
  }

  @Test
  void theFoldersAreReadAsDiffusersWritesThem() {
    assertThat(unet.modelFile()).isEqualTo(UNET.resolve("unet/model.onnx"));
    assertThat(unet.itemShape()).containsExactly(2, 4, 4); // symbolic height/width from unet/config.json
    assertThat(unet.timestepType()).isEqualTo(OnnxJavaType.INT64);
    assertThat(unet.prediction()).isEqualTo(Prediction.EPS);
    assertThat(unet.classes()).isEqualTo(2);
    assertThat(unet.schedule().spec()).isEqualTo("vp-discrete:betas=scaled-linear,train-steps=1000,beta-start=8.5E-4,beta-end=0.012");
    assertThat(unet.scheduler().spacing()).isEqualTo(SchedulerConfig.Spacing.LEADING);
    assertThat(unet.scheduler().stepsOffset()).isEqualTo(1);

    assertThat(flat.modelFile()).isEqualTo(FLAT.resolve("model.onnx"));
    assertThat(flat.timestepType()).isEqualTo(OnnxJavaType.FLOAT);
    assertThat(flat.prediction()).isEqualTo(Prediction.V);
    assertThat(flat.classes()).isZero();
    assertThat(flat.schedule().spec()).isEqualTo("vp-discrete:betas=linear,train-steps=1000,beta-start=1.0E-4,beta-end=0.02");

    assertThat(int32.timestepType()).isEqualTo(OnnxJavaType.INT32);
    assertThat(int32.prediction()).isEqualTo(Prediction.X0);
    assertThat(int32.schedule().length()).isLessThan(1000); // cosine betas, clipped at log-SNR -5.1
    assertThat(float64.timestepType()).isEqualTo(OnnxJavaType.DOUBLE);
    assertThat(float64.prediction()).isEqualTo(Prediction.EPS);
  }

  @Test
  void oneEvaluationEqualsTheJavaFunction() {
    double worst = 0;
    for (double t : new double[] {1.0, 0.9415, 0.5, 0.50037, 0.1234, 0.02, 0.001}) {
      for (Conditioning c : new Conditioning[] {null, LABELS, Conditioning.labels(1, 0, Conditioning.NONE, 1)}) {
        worst = Math.max(worst, maxRelativeError(unet, unetJava, t, c));
      }
      worst = Math.max(worst, maxRelativeError(flat, flatJava, t, null));
      worst = Math.max(worst, maxRelativeError(int32, int32Java, t, null));
      worst = Math.max(worst, maxRelativeError(float64, float64Java, t, null));
    }
    System.out.printf(Locale.ROOT, "one evaluation: max |onnx - java| / (1 + |java|) = %.3g%n", worst);
    assertThat(worst).isLessThan(EVAL_TOLERANCE);
  }

  @Test
  void theFlatFixtureIsTheCoreGaussianAsWell() {
    double[] mu = Npy.read(UNET.resolve("reference/mu.npy")).data();
    double[] std = Npy.read(UNET.resolve("reference/std.npy")).data();
    GaussianMixture core = new GaussianMixture(flat.schedule(), new double[] {1}, new double[][] {mu}, new double[][] {std},
        null, Prediction.V);
    // Same function up to the item shape ([32] vs [2, 4, 4]): compare predictions element by element.
    double worst = 0;
    for (double t : new double[] {1.0, 0.61, 0.0123}) {
      TimePoint at = flat.schedule().at(t);
      double[] x = Diffusion.prior(flat, 3, 11).data();
      double[] a = new double[x.length];
      double[] b = new double[x.length];
      flat.predict(x, 3, at, null, a);
      core.predict(x, 3, at, null, b);
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
      }
    }
    assertThat(worst).isLessThan(EVAL_TOLERANCE);
  }

  @Test
  void everySamplerGivesTheSamplesOfTheJavaFunction() {
    List<String> specs = new ArrayList<>();
    for (Component<DiffusionSampler> c : Diffusion.samplers().components()) {
      switch (c.name()) {
        // The reference solver's default tolerance (1e-10) is below float32 resolution.
        case "reference" -> specs.add("reference:rtol=1e-5,atol=1e-5");
        // v3 on DPM-Solver++'s statistics: estimating EMS of an untrained network is meaningless here
        case "dpmv3" -> specs.add("dpmv3:ems=degenerate");
        // these need a data set of the model's shape, which only the analytic models have by name
        case "teleport", "minority" -> { }
        default -> specs.add(c.name());
      }
    }
    specs.addAll(List.of("ddim:eta=1", "dpmpp:sde=true", "euler:churn=20", "dpm-solver:method=adaptive,order=3",
        "unipc:order=3,skip=karras", "deis:method=rk", "pndm:variant=s-pndm", "dpmpp:order=3,denoise=true"));
    double worst = 0;
    double worstAdaptive = 0;
    StringBuilder report = new StringBuilder();
    for (String spec : specs) {
      DiffusionSampler sampler = Diffusion.sampler(spec);
      int steps = Math.max(sampler.minSteps(), 8);
      long t0 = System.nanoTime();
      double u = compare(sampler, Denoiser.of(flat), Denoiser.of(flatJava), flat, steps, null);
      double g = compare(sampler, Denoiser.guided(unet, LABELS, GUIDANCE), Denoiser.guided(unetJava, LABELS, GUIDANCE),
          unet, steps, null);
      // DEIS-tAB integrates its coefficients to 1e-13 over the piecewise-linear vp-discrete schedule,
      // about 1.5 s per run: it runs on the two main fixtures only.
      boolean slow = spec.equals("deis");
      double i32 = slow ? 0 : compare(sampler, Denoiser.of(int32), Denoiser.of(int32Java), int32, steps, null);
      double f64 = slow ? 0 : compare(sampler, Denoiser.of(float64), Denoiser.of(float64Java), float64, steps, null);
      report.append(String.format(Locale.ROOT, "  %-36s float32 %.2g  int64+cfg %.2g  int32 %s  float64 %s  (%.0f ms)%n",
          spec, u, g, slow ? "-" : String.format(Locale.ROOT, "%.2g", i32),
          slow ? "-" : String.format(Locale.ROOT, "%.2g", f64), (System.nanoTime() - t0) / 1e6));
      if (adaptive(spec)) {
        worst = Math.max(worst, Math.max(u, f64));
        worstAdaptive = Math.max(worstAdaptive, Math.max(g, i32));
      } else {
        worst = Math.max(worst, Math.max(Math.max(u, g), Math.max(i32, f64)));
      }
    }
    System.out.print("max |onnx - java| of the samples, per sampler:\n" + report);
    assertThat(worst).isLessThan(SAMPLE_TOLERANCE);
    // With an integer timestep the network is piecewise constant in t. An adaptive solver's step sizes
    // follow its error estimate, which sees float32 rounding; a slightly moved evaluation time that
    // crosses a rounding boundary meets the network one training step away. Both runs then agree
    // to the solver's own tolerance (dpm-solver adaptive: atol 0.0078, rtol 0.05), not to float32.
    assertThat(worstAdaptive).isLessThan(0.05);
  }

  private static boolean adaptive(String spec) {
    return spec.startsWith("reference") || spec.contains("adaptive");
  }

  @Test
  void diffusersTimestepGridsSampleLikeTheJavaFunction() {
    DiffusionSampler dpmpp = Diffusion.sampler("dpmpp:order=2");
    TimeGrid leading = unet.diffusersGrid(10);
    TimeGrid trailing = flat.diffusersGrid(10);
    double g = compare(dpmpp, Denoiser.guided(unet, LABELS, GUIDANCE), Denoiser.guided(unetJava, LABELS, GUIDANCE),
        unet, -1, leading);
    double u = compare(dpmpp, Denoiser.of(flat), Denoiser.of(flatJava), flat, -1, trailing);
    assertThat(Math.max(g, u)).isLessThan(SAMPLE_TOLERANCE);
    // The leading grid's times are training steps, so the int64 model sees exactly them.
    for (int i = 0; i < leading.steps(); i++) {
      double k = unet.schedule().networkTime(leading.point(i).t());
      assertThat(Math.abs(k - Math.rint(k))).isLessThan(1e-9);
    }
  }

  @Test
  void guidanceIsOneBatchedCallEqualToTwoSeparateCalls() {
    int n = LABELS.rows();
    double[] x = Diffusion.prior(unet, n, 5).data();
    for (double t : new double[] {0.97, 0.5, 0.05}) {
      TimePoint at = unet.schedule().at(t);
      Counting counting = new Counting(unet);
      Denoiser guided = Denoiser.guided(counting, LABELS, GUIDANCE);
      double[] batched = new double[x.length];
      long before = unet.calls();
      guided.denoise(x, n, at, batched);
      assertThat(unet.calls() - before).isEqualTo(1);
      assertThat(counting.rows).containsExactly(2 * n);

      // By hand: the conditional and the unconditional rows as two calls, x0 = u + w (c - u).
      double[] xt = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        xt[i] = at.alpha() * x[i];
      }
      double[] cond = new double[x.length];
      double[] uncond = new double[x.length];
      unet.predict(xt, n, at, LABELS, cond);
      unet.predict(xt, n, at, null, uncond);
      double worst = 0;
      for (int i = 0; i < x.length; i++) {
        double c = Prediction.EPS.x0(cond[i], x[i], at.alpha(), at.sigma());
        double u = Prediction.EPS.x0(uncond[i], x[i], at.alpha(), at.sigma());
        worst = Math.max(worst, Math.abs(batched[i] - (u + GUIDANCE * (c - u))));
      }
      assertThat(worst).as("t = %s", t).isZero();
    }
  }

  @Test
  void theUnconditionalRowDefaultsToZerosAndCanBeShared() {
    NdArray conditions = Npy.read(UNET.resolve("conditions.npy"));
    try (OnnxDiffusionModel zeros = OnnxDiffusionModel.load(UNET, OnnxDiffusionModel.Options.DEFAULT
        .withInput(new OnnxDiffusionModel.Input("encoder_hidden_states", conditions, null)))) {
      GaussianReference java = new GaussianReference(zeros.scheduler(), true, UNET.resolve("reference"), conditions, null);
      assertThat(maxRelativeError(zeros, java, 0.7, null)).isLessThan(EVAL_TOLERANCE);
      assertThat(maxRelativeError(zeros, java, 0.3, Conditioning.labels(1, Conditioning.NONE, 0, 1))).isLessThan(EVAL_TOLERANCE);
    }
  }

  @Test
  void theModelSpecComponentLoadsTheFolder() {
    Registry<DiffusionModel> models = new Registry<DiffusionModel>("model").register(OnnxDiffusionModel.component());
    DiffusionModel m = models.create("onnx:" + UNET + ",cond=" + UNET.resolve("conditions.npy") + ",uncond="
        + UNET.resolve("negative.npy"));
    try (OnnxDiffusionModel onnx = (OnnxDiffusionModel) m) {
      assertThat(maxRelativeError(onnx, unetJava, 0.8, LABELS)).isLessThan(EVAL_TOLERANCE);
    }
  }

  @Test
  void perCallTime() {
    int n = 8;
    double[] x = Diffusion.prior(unet, n, 3).data();
    double[] out = new double[x.length];
    Denoiser guided = Denoiser.guided(unet, Conditioning.labels(0, 1, 0, 1, 0, 1, 0, 1), GUIDANCE);
    TimePoint at = unet.schedule().at(0.5);
    for (int i = 0; i < 200; i++) {
      guided.denoise(x, n, at, out);
    }
    int calls = 2000;
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      guided.denoise(x, n, at, out);
    }
    double micros = (System.nanoTime() - start) / 1e3 / calls;
    System.out.printf(Locale.ROOT, "guided denoiser call (16 rows of 2x4x4, 1 thread): %.1f us%n", micros);
    assertThat(micros).isPositive();
  }

  // ------------------------------------------------------------------ helpers

  private static double maxRelativeError(DiffusionModel onnx, DiffusionModel java, double t, Conditioning c) {
    int n = c == null ? 4 : c.rows();
    TimePoint at = onnx.schedule().at(t);
    double[] x = Diffusion.prior(onnx, n, 17).data();
    double[] a = new double[x.length];
    double[] b = new double[x.length];
    onnx.predict(x, n, at, c, a);
    java.predict(x, n, at, c, b);
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
    }
    return worst;
  }

  /** Max |difference| of the final samples of two runs with the same start and seed. */
  private static double compare(DiffusionSampler sampler, Denoiser onnx, Denoiser java, DiffusionModel model, int steps,
      TimeGrid grid) {
    NdArray start = Diffusion.prior(model, LABELS.rows(), 42);
    SampleResult a = grid == null
        ? sampler.sample(onnx, steps, start, new Rng(9), StepListener.NONE)
        : sampler.sample(onnx, grid, start, new Rng(9), StepListener.NONE);
    SampleResult b = grid == null
        ? sampler.sample(java, steps, start, new Rng(9), StepListener.NONE)
        : sampler.sample(java, grid, start, new Rng(9), StepListener.NONE);
    if (!adaptive(sampler.spec())) {
      // Adaptive step control sees the float32 rounding, so only fixed-step runs must match call for call.
      assertThat(a.nfe()).as(sampler.spec()).isEqualTo(b.nfe());
    }
    double worst = 0;
    for (int i = 0; i < a.samples().size(); i++) {
      worst = Math.max(worst, Math.abs(a.samples().data()[i] - b.samples().data()[i]));
    }
    return worst;
  }

  /** Records the rows of each call. */
  private static final class Counting implements DiffusionModel {
    private final DiffusionModel model;
    final List<Integer> rows = new ArrayList<>();

    Counting(DiffusionModel model) {
      this.model = model;
    }

    @Override
    public NoiseSchedule schedule() {
      return model.schedule();
    }

    @Override
    public int[] itemShape() {
      return model.itemShape();
    }

    @Override
    public Prediction prediction() {
      return model.prediction();
    }

    @Override
    public int classes() {
      return model.classes();
    }

    @Override
    public void predict(double[] x, int n, TimePoint at, Conditioning c, double[] out) {
      rows.add(n);
      model.predict(x, n, at, c, out);
    }
  }
}
