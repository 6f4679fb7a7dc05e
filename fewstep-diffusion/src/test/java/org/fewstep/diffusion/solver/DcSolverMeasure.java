package org.fewstep.diffusion.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.DiffusionModel;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test (run with {@code -Dfewstep.measure=dc}): UniPC against DC-Solver on
 * the guided {@code gmm-16d} mixture. Ratios are searched on 10 initial noises and evaluated on 256
 * others against the exact endpoints; then a CPR fitted on an (NFE, scale) grid is evaluated at
 * held-out pairs. The base spec is the system property {@code fewstep.dc.spec} (default {@code dc}).
 */
@EnabledIfSystemProperty(named = "fewstep.measure", matches = "dc")
class DcSolverMeasure {
  private static final DiffusionModel MODEL = Diffusion.model("gmm-16d");
  private static final int SEARCH = 10;
  private static final int HELD_OUT = 256;

  private static Denoiser guided(int n, double scale) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % MODEL.classes();
    }
    return Denoiser.guided(MODEL, Conditioning.labels(labels), scale);
  }

  private static double rmse(String spec, Denoiser model, int steps, NdArray x, double[] exact) {
    double[] out = Diffusion.sampler(spec).sample(model, steps, x, new Rng(0), StepListener.NONE).samples().data();
    return Vectors.rmsDifference(out, exact);
  }

  private static double[] exact(Denoiser model, NdArray x) {
    TimeGrid whole = TimeGrid.of(MODEL.schedule(), MODEL.schedule().tStart(), MODEL.schedule().tEnd());
    return Diffusion.sampler("reference").sample(model, whole, x, new Rng(0), StepListener.NONE).samples().data();
  }

  private static final DcTuning.Search SEARCH_OPTIONS = new DcTuning.Search(
      Double.parseDouble(System.getProperty("fewstep.dc.min", "-1")), Double.parseDouble(System.getProperty("fewstep.dc.max", "3")),
      41, 1e-6);

  @Test
  void measure() throws Exception {
    String base = System.getProperty("fewstep.dc.spec", "dc");
    String plain = base; // without ratios: the base solver, bit for bit (DcSolverTest)
    Path dir = Files.createTempDirectory("dc-measure");
    NdArray searchNoise = Diffusion.prior(MODEL, SEARCH, 1);
    NdArray heldOut = Diffusion.prior(MODEL, HELD_OUT, 2);
    long begin = System.nanoTime();
    System.out.printf(Locale.ROOT, "ratio interval [%s, %s]%n", SEARCH_OPTIONS.min(), SEARCH_OPTIONS.max());
    System.out.printf(Locale.ROOT, "dc %s with ratios vs without; search on %d noises, RMSE on %d held-out noises%n", base, SEARCH, HELD_OUT);
    System.out.println("| scale | NFE | base RMSE | DC RMSE | DC/base | ratios | search s |");
    List<DcRatios> grid = new ArrayList<>();
    double[] scales = {1, 3, 7.5};
    int[] nfes = {4, 5, 6, 8, 10};
    for (double scale : scales) {
      Denoiser heldModel = guided(HELD_OUT, scale);
      double[] truth = exact(heldModel, heldOut);
      for (int nfe : nfes) {
        long t0 = System.nanoTime();
        DcTuning.Result r = DcTuning.search(base, guided(SEARCH, scale), nfe, scale, searchNoise, SEARCH_OPTIONS);
        double searchSeconds = (System.nanoTime() - t0) / 1e9;
        grid.add(r.ratios());
        Path file = dir.resolve("r-" + scale + "-" + nfe + ".json");
        r.ratios().write(file);
        double u = rmse(plain, heldModel, nfe, heldOut, truth);
        double d = rmse(base + (base.contains(":") ? "," : ":") + "ratios=" + file, heldModel, nfe, heldOut, truth);
        StringBuilder ratios = new StringBuilder();
        for (double v : r.ratios().ratios()) {
          ratios.append(String.format(Locale.ROOT, "%.3f ", v));
        }
        System.out.printf(Locale.ROOT, "| %.1f | %d | %.4e | %.4e | %.3f | %s| %.2f |%n", scale, nfe, u, d, d / u,
            ratios, searchSeconds);
      }
    }
    // CPR: fit on a grid of (NFE, scale), evaluate at held-out pairs
    for (double scale : new double[] {5, 10}) {
      for (int nfe : nfes) {
        grid.add(DcTuning.search(base, guided(SEARCH, scale), nfe, scale, searchNoise, SEARCH_OPTIONS).ratios());
      }
    }
    Cpr cpr = Cpr.fit(grid, 2);
    Path cprFile = dir.resolve("cpr.json");
    cpr.write(cprFile);
    System.out.println("CPR fitted on NFE {4,5,6,8,10} x scale {1,3,5,7.5,10}");
    System.out.println("| scale | NFE | base RMSE | DC searched | DC CPR | CPR/base |");
    double[][] heldPairs = {{2, 5}, {4, 7}, {6, 9}, {9, 6}, {12, 5}};
    for (double[] pair : heldPairs) {
      double scale = pair[0];
      int nfe = (int) pair[1];
      Denoiser heldModel = guided(HELD_OUT, scale);
      double[] truth = exact(heldModel, heldOut);
      DcRatios searched = DcTuning.search(base, guided(SEARCH, scale), nfe, scale, searchNoise, SEARCH_OPTIONS).ratios();
      Path file = dir.resolve("held-" + scale + "-" + nfe + ".json");
      searched.write(file);
      String sep = base.contains(":") ? "," : ":";
      double u = rmse(plain, heldModel, nfe, heldOut, truth);
      double d = rmse(base + sep + "ratios=" + file, heldModel, nfe, heldOut, truth);
      double c = rmse(base + sep + "cpr=" + cprFile + ",scale=" + scale, heldModel, nfe, heldOut, truth);
      System.out.printf(Locale.ROOT, "| %.1f | %d | %.4e | %.4e | %.4e | %.3f |%n", scale, nfe, u, d, c, c / u);
    }
    System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - begin) / 1e9);
  }
}
