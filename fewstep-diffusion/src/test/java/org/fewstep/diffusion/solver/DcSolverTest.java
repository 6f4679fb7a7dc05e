package org.fewstep.diffusion.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Npy;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.TestDenoisers;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DC-Solver (Zhao et al., ECCV 2024; diffusion.md 5f): ratio 1 is the base solver bit for bit;
 * the compensation is exact Lagrange interpolation and persists in the history as in the official
 * code; the search's optimum beats ratio 1 on the search set and is a minimum of the sampler's own
 * error; searched ratios lower held-out error on the guided 16-D mixture; the CPR fit is the
 * least-squares identity on CPR-shaped ratios and follows the official layout; files and options
 * fail clearly.
 */
class DcSolverTest {
  private static final DiffusionModel GMM = Diffusion.model("gmm-16d");

  @TempDir
  Path dir;

  private static Denoiser guided(int n, double scale) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % GMM.classes();
    }
    return Denoiser.guided(GMM, Conditioning.labels(labels), scale);
  }

  private static double[] run(String spec, Denoiser model, int steps, NdArray x) {
    return Diffusion.sampler(spec).sample(model, steps, x, new Rng(3), StepListener.NONE).samples().data();
  }

  private Path ratiosFile(String name, DcRatios ratios) {
    Path file = dir.resolve(name);
    ratios.write(file);
    return file;
  }

  private static double[] ones(int n) {
    double[] r = new double[n];
    Arrays.fill(r, 1);
    return r;
  }

  // ------------------------------------------------------------------ ratio 1 = base solver

  @Test
  void ratioOneIsTheBaseSolverBitForBit() {
    int steps = 7;
    Path file = ratiosFile("ones.json", new DcRatios(steps, 7.5, ones(steps)));
    double[] constant = new double[Cpr.SIZE];
    constant[8] = 1; // x^0 (w/12)^0 (NFE/50)^0
    Path cpr = dir.resolve("one.json");
    new Cpr(constant).write(cpr);
    Denoiser model = guided(8, 7.5);
    NdArray x = Diffusion.prior(GMM, 8, 5);
    String[][] pairs = {
      {"dc", "unipc"},
      {"dc:order=3,variant=bh1", "unipc:order=3,variant=bh1"},
      {"dc:corrector=false", "unipc:corrector=false"},
      {"dc:order=3,corrector=false,skip=time-uniform", "unipc:order=3,corrector=false,skip=time-uniform"},
      {"dc:prediction=noise,order=3", "unipc:prediction=noise,order=3"},
      {"dc:compat=official", "unipc:compat=official,order=3"},
      {"dc:base=dpmpp", "dpmpp"},
      {"dc:base=dpmpp,order=3,final=always", "dpmpp:order=3,final=always"},
      {"dc:base=dpmpp,order=2,solver-type=taylor", "dpmpp:order=2,solver-type=taylor"},
    };
    for (String[] pair : pairs) {
      double[] base = run(pair[1], model, steps, x);
      String sep = pair[0].contains(":") ? "," : ":";
      assertThat(run(pair[0] + sep + "ratios=" + file, model, steps, x)).as(pair[0]).isEqualTo(base);
      assertThat(run(pair[0] + sep + "cpr=" + cpr + ",scale=7.5", model, steps, x)).as(pair[0] + " cpr").isEqualTo(base);
      // without ratios: all 1, as the official sample() without dc_ratios
      assertThat(run(pair[0], model, steps, x)).as(pair[0] + " without ratios").isEqualTo(base);
    }
  }

  // ------------------------------------------------------------------ the compensation

  @Test
  void lagrangeInterpolationIsExactOnQuadraticHistories() {
    NoiseSchedule schedule = GMM.schedule();
    TimeGrid grid = Diffusion.sampler("unipc:skip=time-uniform").grid(schedule, 6);
    int step = 4; // history at grid points 3, 2, 1 (and 0)
    double[] c0 = {0.3, -1.2, 2.0};
    double[] c1 = {1.5, 0.4, -3.0};
    double[] c2 = {-2.0, 0.7, 5.0};
    double[][] history = new double[4][3];
    for (int k = 0; k < 4; k++) {
      double t = grid.point(step - 1 - k).t();
      for (int j = 0; j < 3; j++) {
        history[k][j] = c0[j] + c1[j] * t + c2[j] * t * t;
      }
    }
    for (double rho : new double[] {-0.7, 0.3, 1, 1.6, 2.5}) {
      double target = rho * grid.point(step - 1).t() + (1 - rho) * grid.point(step - 2).t();
      double[] out = new double[3];
      DynamicCompensation.compensate(history, grid, step, 2, rho, out);
      double[] linear = new double[3];
      DynamicCompensation.compensate(history, grid, step, 1, rho, linear);
      double[] cubicOrder = new double[3];
      DynamicCompensation.compensate(history, grid, step, 3, rho, cubicOrder);
      for (int j = 0; j < 3; j++) {
        double exact = c0[j] + c1[j] * target + c2[j] * target * target;
        assertThat(out[j]).as("rho %s", rho).isCloseTo(exact, within(1e-12));
        assertThat(cubicOrder[j]).as("dc-order 3, rho %s", rho).isCloseTo(exact, within(1e-11));
        if (rho != 1) {
          // two points cannot follow the curvature
          assertThat(Math.abs(linear[j] - exact)).as("dc-order 1, rho %s", rho).isGreaterThan(1e-6);
        }
      }
    }
  }

  /**
   * With first-order DPM-Solver++ (DDIM: each step uses only the newest output) on a denoiser that
   * ignores x, the compensated solver is a scalar recurrence that can be written out: the official
   * rule, whose compensated value stays in the history for later interpolations, in time t.
   */
  @Test
  void compensatedValuesStayInTheHistoryAsInTheOfficialCode() {
    NoiseSchedule schedule = GMM.schedule();
    Denoiser model = TestDenoisers.dataOf(schedule, 1, p -> Math.cos(3 * p.t()) + p.t());
    int steps = 6;
    double[] ratios = {1, 1, 1.3, 0.6, 1.8, 2.2};
    Path file = ratiosFile("r.json", new DcRatios(steps, 1, ratios));
    TimeGrid grid = Diffusion.sampler("dpmpp:order=1").grid(schedule, steps);
    NdArray x = NdArray.of(new double[] {0.8}, 1, 1);
    double got = Diffusion.sampler("dc:base=dpmpp,order=1,ratios=" + file)
        .sample(model, grid, x, new Rng(0), StepListener.NONE).samples().data()[0];
    // by hand, in VE coordinates
    double[] m = new double[steps];
    double[] t = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      t[i] = grid.point(i).t();
    }
    double v = x.data()[0] / grid.point(0).alpha();
    for (int i = 1; i <= steps; i++) {
      m[i - 1] = Math.cos(3 * t[i - 1]) + t[i - 1];
      if (i >= 3) {
        double tp = ratios[i - 1] * t[i - 1] + (1 - ratios[i - 1]) * t[i - 2];
        double l = 0;
        for (int a = 0; a < 3; a++) {
          double w = 1;
          for (int b = 0; b < 3; b++) {
            if (b != a) {
              w *= (tp - t[i - 1 - b]) / (t[i - 1 - a] - t[i - 1 - b]);
            }
          }
          l += w * m[i - 1 - a];
        }
        m[i - 1] = l;
      }
      double ratio = grid.point(i).noise() / grid.point(i - 1).noise();
      v = ratio * v + (1 - ratio) * m[i - 1];
    }
    assertThat(got).isCloseTo(v * grid.point(steps).alpha(), within(1e-12));
    double plain = Diffusion.sampler("dpmpp:order=1").sample(model, grid, x, new Rng(0), StepListener.NONE)
        .samples().data()[0];
    assertThat(Math.abs(got - plain)).as("the ratios matter").isGreaterThan(1e-3);
  }

  // ------------------------------------------------------------------ search

  /** The search with UniPC (corrector), predictor-only UniP and DPM-Solver++(2M) as base solvers. */
  @Test
  void searchedRatiosBeatRatioOneAndAreMinimaOfTheSamplersError() {
    for (String spec : new String[] {"dc", "dc:order=3,corrector=false", "dc:base=dpmpp"}) {
      searchIsOptimal(spec);
    }
  }

  private void searchIsOptimal(String spec) {
    int steps = 6;
    double scale = 3;
    String sep = spec.contains(":") ? "," : ":";
    NdArray noises = Diffusion.prior(GMM, 10, 1);
    Denoiser model = guided(10, scale);
    DcTuning.Result result = DcTuning.search(spec, model, steps, scale, noises, DcTuning.Search.DEFAULT);
    double[] ratios = result.ratios().ratios();
    assertThat(result.ratios().nfe()).isEqualTo(steps);
    assertThat(result.ratios().scale()).isEqualTo(scale);
    assertThat(ratios[0]).isEqualTo(1);
    assertThat(ratios[1]).isEqualTo(1);
    for (int k = 2; k < steps; k++) {
      assertThat(result.loss()[k]).as("%s step %d", spec, k + 1).isLessThanOrEqualTo(result.lossAtOne()[k]);
      assertThat(ratios[k]).isBetween(-1.0, 3.0);
    }
    assertThat(Arrays.stream(ratios).filter(r -> r != 1).count()).as("%s: compensation chosen", spec)
        .isGreaterThanOrEqualTo(3);
    // replaying the ratios reproduces the search's last-step loss: the MSE to the exact endpoint
    Path searched = ratiosFile("s.json", result.ratios());
    String dc = spec + sep + "ratios=" + searched;
    double[][] reference = DcTuning.reference(model, Diffusion.sampler(dc).grid(GMM.schedule(), steps), noises);
    double alpha = GMM.schedule().at(GMM.schedule().tEnd()).alpha();
    double[] exact = reference[steps].clone();
    Vectors.scale(exact, alpha, exact);
    double error = mse(run(dc, model, steps, noises), exact);
    assertThat(error).as(spec).isCloseTo(result.loss()[steps - 1], within(1e-12 + 1e-9 * error));
    assertThat(error).as("%s: search set, end of the trajectory", spec).isLessThan(mse(run(spec, model, steps, noises), exact));
    // the last ratio is a minimum of the sampler's own error (optima, not iterates)
    for (double delta : new double[] {-1e-3, 1e-3}) {
      double[] moved = ratios.clone();
      moved[steps - 1] += delta;
      Path file = ratiosFile("moved.json", new DcRatios(steps, scale, moved));
      assertThat(mse(run(spec + sep + "ratios=" + file, model, steps, noises), exact)).as("%s, delta %s", spec, delta)
          .isGreaterThan(error);
    }
  }

  private static double mse(double[] a, double[] b) {
    double d = Vectors.rmsDifference(a, b);
    return d * d;
  }

  /**
   * Held-out check (diffusion.md 5f, 3): ratios searched on 10 noises, error on 128 others against
   * the exact endpoints, over three guidance scales at 5 steps; LDM settings (bh1, order 3,
   * time-uniform). On 256 held-out noises (DcSolverMeasure) the DC/UniPC RMSE ratios are 0.37, 0.95 and 0.04.
   */
  @Test
  void searchedRatiosLowerHeldOutErrorOnAverage() {
    int steps = 5;
    NdArray search = Diffusion.prior(GMM, 10, 1);
    NdArray heldOut = Diffusion.prior(GMM, 128, 2);
    double logSum = 0;
    double[] scales = {1, 3, 7.5};
    for (double scale : scales) {
      DcTuning.Result r = DcTuning.search("dc:compat=official", guided(10, scale), steps, scale, search, DcTuning.Search.DEFAULT);
      Path file = ratiosFile("h" + scale + ".json", r.ratios());
      Denoiser model = guided(128, scale);
      TimeGrid whole = TimeGrid.of(GMM.schedule(), GMM.schedule().tStart(), GMM.schedule().tEnd());
      double[] exact = Diffusion.sampler("reference").sample(model, whole, heldOut, new Rng(0), StepListener.NONE).samples().data();
      double unipc = Vectors.rmsDifference(run("unipc:compat=official,order=3", model, steps, heldOut), exact);
      double dc = Vectors.rmsDifference(run("dc:compat=official,ratios=" + file, model, steps, heldOut), exact);
      logSum += Math.log(dc / unipc);
    }
    assertThat(Math.exp(logSum / scales.length)).as("geometric mean of DC/UniPC held-out RMSE").isLessThan(0.5);
  }

  // ------------------------------------------------------------------ CPR

  @Test
  void cprFollowsTheOfficialCascadeLayout() {
    Rng rng = new Rng(9);
    double[] c = new double[Cpr.SIZE];
    for (int i = 0; i < c.length; i++) {
      c[i] = rng.nextGaussian();
    }
    Cpr cpr = new Cpr(c);
    int nfe = 7;
    double scale = 6;
    for (int k = 1; k <= nfe; k++) {
      // the official predict(): coefficients reshaped (4, 3, 3); quadratic in NFE/50, then in w/12, then cubic in k/NFE
      double n = nfe / 50.0;
      double w = scale / 12;
      double x = (double) k / nfe;
      double sum = 0;
      for (int p = 0; p < 4; p++) {
        double[] inner = new double[3];
        for (int q = 0; q < 3; q++) {
          inner[q] = c[9 * p + 3 * q] * n * n + c[9 * p + 3 * q + 1] * n + c[9 * p + 3 * q + 2];
        }
        sum += (inner[0] * w * w + inner[1] * w + inner[2]) * Math.pow(x, p);
      }
      assertThat(cpr.ratio(nfe, scale, k)).isCloseTo(sum, within(1e-12));
    }
    double[] ratios = cpr.ratios(nfe, scale, 2);
    assertThat(ratios[0]).isEqualTo(1);
    assertThat(ratios[1]).isEqualTo(1);
    assertThat(ratios[2]).isEqualTo(cpr.ratio(nfe, scale, 3));
  }

  @Test
  void cprFitRecoversAnExactlyCprShapedRatioField() {
    Rng rng = new Rng(4);
    double[] truth = new double[Cpr.SIZE];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = rng.nextGaussian();
    }
    Cpr exact = new Cpr(truth);
    List<DcRatios> grid = new ArrayList<>();
    for (int nfe : new int[] {4, 5, 6, 8, 10, 12}) {
      for (double scale : new double[] {1, 3, 5, 7.5, 10}) {
        grid.add(new DcRatios(nfe, scale, exact.ratios(nfe, scale, 2)));
      }
    }
    Cpr fitted = Cpr.fit(grid, 2);
    double[] got = fitted.coefficients();
    for (int i = 0; i < Cpr.SIZE; i++) {
      assertThat(got[i]).as("coefficient %d", i).isCloseTo(truth[i], within(1e-6 * (1 + Math.abs(truth[i]))));
    }
    // and it predicts unseen (NFE, scale) pairs
    for (int k = 3; k <= 7; k++) {
      assertThat(fitted.ratio(7, 6, k)).isCloseTo(exact.ratio(7, 6, k), within(1e-8));
    }
    // noisy ratios: the fit is the least-squares solution, so its residual is orthogonal to every regressor
    List<DcRatios> noisy = new ArrayList<>();
    for (DcRatios r : grid) {
      double[] v = r.ratios();
      for (int k = 2; k < v.length; k++) {
        v[k] += 0.01 * rng.nextGaussian();
      }
      noisy.add(new DcRatios(r.nfe(), r.scale(), v));
    }
    Cpr ls = Cpr.fit(noisy, 2);
    double[] normal = new double[Cpr.SIZE];
    double scaleOfTerms = 0;
    for (DcRatios r : noisy) {
      for (int k = 3; k <= r.nfe(); k++) {
        double residual = r.ratios()[k - 1] - ls.ratio(r.nfe(), r.scale(), k);
        double[] f = Cpr.features(r.nfe(), r.scale(), k);
        for (int i = 0; i < Cpr.SIZE; i++) {
          normal[i] += f[i] * residual;
          scaleOfTerms += Math.abs(f[i] * 0.01);
        }
      }
    }
    for (double v : normal) {
      assertThat(Math.abs(v)).isLessThan(1e-10 * scaleOfTerms);
    }
  }

  @Test
  void cprFitNeedsAGridThatDeterminesIt() {
    List<DcRatios> twoNfes = new ArrayList<>();
    for (int nfe : new int[] {8, 10}) {
      for (double scale : new double[] {1, 3, 5, 7.5}) {
        twoNfes.add(new DcRatios(nfe, scale, ones(nfe)));
      }
    }
    assertThatThrownBy(() -> Cpr.fit(twoNfes, 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not determine the 36 CPR coefficients");
    assertThatThrownBy(() -> Cpr.fit(List.of(new DcRatios(5, 1, ones(5))), 2)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("3 ratios after the warm-up").hasMessageContaining("at least 36");
    assertThatThrownBy(() -> Cpr.fit(List.of(new DcRatios(5, Double.NaN, ones(5))), 2))
        .isInstanceOf(BadInputException.class).hasMessageContaining("scale");
  }

  // ------------------------------------------------------------------ files

  @Test
  void ratioAndCprFilesRoundTrip() throws IOException {
    DcRatios r = new DcRatios(5, 7.5, new double[] {1, 1, 1.0837, 0.9712, 1.123456789012345});
    Path file = ratiosFile("r.json", r);
    DcRatios back = DcRatios.read(file);
    assertThat(back.nfe()).isEqualTo(5);
    assertThat(back.scale()).isEqualTo(7.5);
    assertThat(back.ratios()).isEqualTo(r.ratios());
    // the official format: a bare JSON array
    Path official = dir.resolve("official.json");
    Files.writeString(official, "[1.0, 1.0, 1.2, 0.9]");
    DcRatios o = DcRatios.read(official);
    assertThat(o.nfe()).isEqualTo(4);
    assertThat(o.scale()).isNaN();
    assertThat(o.ratios()).containsExactly(1.0, 1.0, 1.2, 0.9);
    o.write(dir.resolve("again.json"));
    assertThat(DcRatios.read(dir.resolve("again.json")).ratios()).isEqualTo(o.ratios());
    double[] c = new double[Cpr.SIZE];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.sin(i + 0.5) / 3;
    }
    Path json = dir.resolve("cpr.json");
    new Cpr(c).write(json);
    assertThat(Cpr.read(json).coefficients()).isEqualTo(c);
    Path npy = dir.resolve("cpr.npy");
    Npy.write(npy, NdArray.of(c, Cpr.SIZE), Npy.DType.FLOAT64);
    assertThat(Cpr.read(npy).coefficients()).isEqualTo(c);
  }

  @Test
  void badFilesFailWithTheFieldAndWhatWasExpected() throws IOException {
    String[][] ratioCases = {
      {"{\"nfe\": 5, \"scale\": 1, \"ratios\": [1, 1, 1]}", "an array of 5 numbers"},
      {"{\"nfe\": 3, \"scale\": 1, \"ratios\": [1, \"x\", 1]}", "ratios[1]"},
      {"{\"nfe\": 0, \"scale\": 1, \"ratios\": []}", "nfe"},
      {"{\"nfe\": 2.5, \"scale\": 1, \"ratios\": [1, 1]}", "a whole number of steps"},
      {"{\"nfe\": 2, \"ratios\": [1, 1]}", "\"scale\" is missing"},
      {"{\"nfe\": 2, \"scale\": 1, \"ratios\": [1, 1], \"ratio\": 2}", "unknown field \"ratio\""},
      {"{\"nfe\": 2, \"scale\": 1, \"ratios\": [1, 1]", "malformed JSON"},
      {"[]", "one ratio per step"},
      {"\"ratios\"", "a JSON object"},
    };
    for (String[] c : ratioCases) {
      Path file = dir.resolve("bad.json");
      Files.writeString(file, c[0]);
      assertThatThrownBy(() -> DcRatios.read(file)).as(c[0]).isInstanceOf(BadInputException.class)
          .hasMessageContaining(c[1]);
    }
    assertThatThrownBy(() -> DcRatios.read(dir.resolve("missing.json"))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not exist");
    Path cpr = dir.resolve("bad-cpr.json");
    Files.writeString(cpr, "{\"coefficients\": [1, 2, 3]}");
    assertThatThrownBy(() -> Cpr.read(cpr)).isInstanceOf(BadInputException.class).hasMessageContaining("36 numbers");
    Path npy = dir.resolve("bad.npy");
    Npy.write(npy, NdArray.of(new double[35], 35), Npy.DType.FLOAT64);
    assertThatThrownBy(() -> Cpr.read(npy)).isInstanceOf(BadInputException.class).hasMessageContaining("36 CPR coefficients");
    assertThatThrownBy(() -> new DcRatios(3, 1, new double[] {1, Double.NaN, 1})).isInstanceOf(BadInputException.class)
        .hasMessageContaining("ratios[1]");
  }

  // ------------------------------------------------------------------ options

  @Test
  void badOptionsFailClearly() {
    Path ones = ratiosFile("ones.json", new DcRatios(5, 1, ones(5)));
    Path warm = ratiosFile("warm.json", new DcRatios(5, 1, new double[] {1, 1.2, 1, 1, 1}));
    Path cpr = dir.resolve("c.json");
    new Cpr(new double[Cpr.SIZE]).write(cpr);
    Denoiser model = guided(2, 3);
    NdArray x = Diffusion.prior(GMM, 2, 1);
    String[][] cases = {
      {"dc:ratios=" + ones + ",cpr=" + cpr + ",scale=2", "not both"},
      {"dc:scale=2", "scale applies to cpr only"},
      {"dc:cpr=" + cpr, "cpr needs scale=W"},
      {"dc:ratios=" + ones + ",scale=2", "scale applies to cpr only"},
      {"dc:base=dpmpp,variant=bh1,ratios=" + ones, "variant applies to base=unipc only"},
      {"dc:base=dpmpp,corrector=false,ratios=" + ones, "corrector applies to base=unipc only"},
      {"dc:solver-type=taylor,ratios=" + ones, "solver-type applies to base=dpmpp only"},
      {"dc:base=dpmpp,order=4,ratios=" + ones, "1, 2 or 3 for base=dpmpp"},
      {"dc:dc-order=4,ratios=" + ones, "dc-order"},
      {"dc:prediction=noise,thresholding=dynamic,ratios=" + ones, "needs prediction=data"},
      {"dc:ratios=" + dir.resolve("nope.json"), "does not exist"},
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> Diffusion.sampler(c[0]).sample(model, 5, x, new Rng(0), StepListener.NONE)).as(c[0])
          .isInstanceOf(BadInputException.class).hasMessageContaining(c[1]);
    }
    assertThatThrownBy(() -> Diffusion.sampler("dc:ratios=" + ones).sample(model, 6, x, new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("steps").hasMessageContaining("6")
        .hasMessageContaining("5, the number of ratios in");
    assertThatThrownBy(() -> Diffusion.sampler("dc:ratios=" + warm).sample(model, 5, x, new Rng(0), StepListener.NONE))
        .isInstanceOf(BadInputException.class).hasMessageContaining("ratio of step 2").hasMessageContaining("1.2")
        .hasMessageContaining("needs 3 model outputs");
    assertThatThrownBy(() -> DcTuning.search("unipc", model, 5, 3, x, DcTuning.Search.DEFAULT))
        .isInstanceOf(BadInputException.class).hasMessageContaining("a dc sampler spec");
    assertThatThrownBy(() -> DcTuning.search("dc:ratios=" + ones, model, 5, 3, x, DcTuning.Search.DEFAULT))
        .isInstanceOf(BadInputException.class).hasMessageContaining("takes no ratios");
    assertThatThrownBy(() -> new DcTuning.Search(2, 1, 21, 1e-6)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("min < max");
    assertThatThrownBy(() -> new DcTuning.Search(0, 2, 2, 1e-6)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("scan points");
    assertThatThrownBy(() -> new DcTuning.Search(0, 2, 21, 0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("tolerance");
  }
}
