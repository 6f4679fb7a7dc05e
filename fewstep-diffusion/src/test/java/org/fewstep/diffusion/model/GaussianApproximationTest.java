package org.fewstep.diffusion.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.listen.StepListener;
import org.fewstep.core.math.Vectors;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.Diffusion;
import org.fewstep.diffusion.schedule.NoiseSchedule;
import org.fewstep.diffusion.schedule.Schedules;
import org.fewstep.diffusion.schedule.TimeGrid;
import org.fewstep.diffusion.schedule.TimePoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The Gaussian score approximation (diffusion.md 8f): its closed-form PF-ODE map against the
 * independent reference solver, identity, composition, exact null-space scaling, and its statistics.
 */
class GaussianApproximationTest {
  /** A full (non-diagonal) 4-D covariance with eigenvalues spread over two decades. */
  static final double[] MU = {0.3, -0.7, 1.1, 0.0};

  static double[][] covariance(int rank) {
    Rng rng = new Rng(11);
    double[][] a = new double[4][rank];
    for (double[] row : a) {
      for (int k = 0; k < rank; k++) {
        row[k] = 0.5 * rng.nextGaussian();
      }
    }
    double[][] c = new double[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < rank; k++) {
          c[i][j] += a[i][k] * a[j][k];
        }
      }
      c[i][i] += rank == 4 ? 0.002 : 0;
    }
    return c;
  }

  static NdArray starts(double scale) {
    Rng rng = new Rng(5);
    double[] x = new double[6 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = scale * rng.nextGaussian();
    }
    return NdArray.of(x, 6, 4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vp-linear", "vp-cosine", "edm"})
  void closedFormMatchesTheReferenceSolver(String scheduleSpec) {
    NoiseSchedule schedule = Schedules.create(scheduleSpec);
    // full rank, and rank 2 kept as 2 eigenpairs (the other two directions go through the residual e)
    for (int rank : new int[] {4, 2}) {
      GaussianApproximation g = GaussianApproximation.of(MU, covariance(rank), rank);
      Denoiser denoiser = g.denoiser(schedule, 4);
      NdArray start = starts(schedule.priorScale());
      double tMid = schedule.inverseLambda(0.5 * (schedule.lambda(schedule.tStart()) + schedule.lambda(schedule.tEnd())));
      for (double tEnd : new double[] {tMid, schedule.tEnd()}) {
        TimeGrid grid = TimeGrid.of(schedule, schedule.tStart(), tEnd);
        double[] numeric = Diffusion.sampler("reference:rtol=1e-12,atol=1e-12").sample(denoiser, grid, start, new Rng(0),
            StepListener.NONE).samples().data();
        double[] exact = start.data().clone();
        g.flow(exact, 6, grid.first(), grid.last());
        assertThat(Vectors.maxAbsDifference(numeric, exact)).as("%s rank %d to t=%g", scheduleSpec, rank, tEnd)
            .isLessThan(1e-9);
      }
    }
  }

  @Test
  void identityAndComposition() {
    NoiseSchedule schedule = Schedules.create("vp-linear");
    GaussianApproximation g = GaussianApproximation.of(MU, covariance(4), 0);
    TimePoint t = schedule.at(1);
    TimePoint a = schedule.at(0.4);
    TimePoint b = schedule.at(0.05);
    double[] x = starts(1).data();
    double[] same = x.clone();
    g.flow(same, 6, t, t);
    assertThat(Vectors.maxAbsDifference(same, x)).isLessThan(1e-14);
    double[] twoJumps = x.clone();
    g.flow(twoJumps, 6, t, a);
    g.flow(twoJumps, 6, a, b);
    double[] oneJump = x.clone();
    g.flow(oneJump, 6, t, b);
    assertThat(Vectors.maxAbsDifference(twoJumps, oneJump)).isLessThan(1e-13);
    // and back: the map is invertible (b -> t undoes t -> b)
    g.flow(oneJump, 6, b, t);
    assertThat(Vectors.maxAbsDifference(oneJump, x)).isLessThan(1e-12);
  }

  @Test
  void nullSpaceComponentsScaleBySigmaRatio() {
    NoiseSchedule schedule = Schedules.create("edm");
    GaussianApproximation g = GaussianApproximation.of(MU, covariance(2), 0);
    double[] lam = g.eigenvalues();
    assertThat(lam[2]).isLessThan(1e-14);
    assertThat(lam[3]).isLessThan(1e-14);
    TimePoint from = schedule.at(80);
    TimePoint to = schedule.at(0.7);
    double[] x = starts(80).data();
    double[] y = x.clone();
    g.flow(y, 6, from, to);
    for (int r = 0; r < 6; r++) {
      for (int k = 0; k < 4; k++) {
        double[] u = g.eigenvector(k);
        double before = 0;
        double after = 0;
        for (int j = 0; j < 4; j++) {
          before += u[j] * (x[r * 4 + j] - MU[j]);
          after += u[j] * (y[r * 4 + j] - MU[j]);
        }
        double expected = before * Math.sqrt((0.49 + lam[k]) / (6400 + lam[k]));
        assertThat(after).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        if (k >= 2) {
          assertThat(after).isCloseTo(before * 0.7 / 80, org.assertj.core.data.Offset.offset(1e-12));
        }
      }
    }
    // keeping 2 eigenpairs of the rank-2 covariance gives the same map
    double[] truncated = x.clone();
    GaussianApproximation.of(MU, covariance(2), 2).flow(truncated, 6, from, to);
    assertThat(Vectors.maxAbsDifference(truncated, y)).isLessThan(1e-12);
  }

  @Test
  void denoiserIsThePosteriorMeanOfTheGaussian() {
    double[][] c = covariance(4);
    GaussianApproximation g = GaussianApproximation.of(MU, c, 0);
    double nu = 0.8;
    double[] x = starts(1).data();
    double[] out = new double[x.length];
    g.denoise(x, 6, nu, out);
    // D = mu + Sigma (Sigma + nu^2 I)^-1 (x - mu), solved directly
    for (int r = 0; r < 6; r++) {
      double[][] a = new double[4][4];
      double[] rhs = new double[4];
      for (int i = 0; i < 4; i++) {
        a[i] = c[i].clone();
        a[i][i] += nu * nu;
        rhs[i] = x[r * 4 + i] - MU[i];
      }
      double[] w = org.fewstep.core.math.LinearSystems.solve(a, rhs, 4);
      for (int i = 0; i < 4; i++) {
        double expected = MU[i];
        for (int j = 0; j < 4; j++) {
          expected += c[i][j] * w[j];
        }
        assertThat(out[r * 4 + i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-13));
      }
    }
  }

  @Test
  void mixtureMomentsAreExact() {
    GaussianMixture gmm = (GaussianMixture) Diffusion.model("gmm-2d");
    double[] mean = gmm.mean();
    double[][] cov = gmm.covariance();
    int n = 400_000;
    GaussianApproximation fitted = GaussianApproximation.fit(gmm.sample(new Rng(3), n, Conditioning.NONE), n, 2, 0);
    // Monte-Carlo: standard error of each moment is below 0.003 for unit-scale data; 5 SE
    for (int j = 0; j < 2; j++) {
      assertThat(fitted.mean()[j]).isCloseTo(mean[j], org.assertj.core.data.Offset.offset(0.01));
    }
    GaussianApproximation exact = GaussianApproximation.of(gmm, 0);
    double[] a = exact.eigenvalues();
    double[] b = fitted.eigenvalues();
    assertThat(b[0]).isCloseTo(a[0], org.assertj.core.data.Offset.offset(0.015));
    assertThat(b[1]).isCloseTo(a[1], org.assertj.core.data.Offset.offset(0.015));
    assertThat(cov[0][1]).isEqualTo(cov[1][0]);
  }

  @Test
  void fitIsTheDataSetsMeanAndCovariance() {
    // points (0,0), (2,0), (0,2), (2,2): mean (1,1), covariance diag(1, 1)
    GaussianApproximation g = GaussianApproximation.fit(new double[] {0, 0, 2, 0, 0, 2, 2, 2}, 4, 2, 0);
    assertThat(g.mean()).containsExactly(1, 1);
    assertThat(g.eigenvalues()).containsExactly(new double[] {1, 1}, org.assertj.core.data.Offset.offset(1e-15));
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> GaussianApproximation.of(MU, covariance(4), 5))
        .isInstanceOf(BadInputException.class).hasMessageContaining("rank").hasMessageContaining("5");
    double[][] notPsd = {{1, 0}, {0, -0.5}};
    assertThatThrownBy(() -> GaussianApproximation.of(new double[2], notPsd, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("eigenvalue 1").hasMessageContaining("-0.5");
    double[][] asymmetric = {{1, 0.2}, {0.1, 1}};
    assertThatThrownBy(() -> GaussianApproximation.of(new double[2], asymmetric, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("not symmetric");
    assertThatThrownBy(() -> GaussianApproximation.fit(new double[5], 2, 2, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("data length");
    assertThatThrownBy(() -> GaussianApproximation.of(MU, covariance(4), 0).denoiser(Schedules.create("edm"), 3))
        .isInstanceOf(BadInputException.class).hasMessageContaining("dimension 4");
  }

  @Test
  void statisticsFromFilesAndModelSpecs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    GaussianMixture gmm = (GaussianMixture) Diffusion.model("gmm-2d");
    java.nio.file.Path json = dir.resolve("stats.json");
    java.util.Map<String, Object> stats = new java.util.LinkedHashMap<>();
    stats.put("mean", gmm.mean());
    stats.put("covariance", gmm.covariance());
    org.fewstep.core.io.Json.mapper().writeValue(json.toFile(), stats);
    GaussianApproximation fromModel = GaussianApproximation.from("gmm-2d", 0, 0, 0);
    GaussianApproximation fromJson = GaussianApproximation.from(json.toString(), 0, 0, 0);
    assertThat(fromJson.mean()).isEqualTo(fromModel.mean());
    assertThat(fromJson.eigenvalues()).isEqualTo(fromModel.eigenvalues());
    assertThat(GaussianApproximation.from(json.toString(), 1, 0, 0).rank()).isEqualTo(1);

    double[] draws = gmm.sample(new Rng(4), 500, Conditioning.NONE);
    java.nio.file.Path npy = dir.resolve("draws.npy");
    org.fewstep.core.io.Npy.write(npy, NdArray.of(draws, 500, 2), org.fewstep.core.io.Npy.DType.FLOAT64);
    GaussianApproximation fromNpy = GaussianApproximation.from(npy.toString(), 0, 0, 0);
    GaussianApproximation fitted = GaussianApproximation.fit(draws, 500, 2, 0);
    assertThat(fromNpy.mean()).isEqualTo(fitted.mean());
    assertThat(fromNpy.eigenvalues()).isEqualTo(fitted.eigenvalues());
    // stats-samples draws from the mixture with Rng(seed)
    assertThat(GaussianApproximation.from("gmm-2d", 0, 500, 4).eigenvalues()).isEqualTo(fitted.eigenvalues());

    java.nio.file.Path bad = dir.resolve("bad.json");
    java.nio.file.Files.writeString(bad, "{\"mean\": [0, 0], \"covariance\": [[1, 0], [0, -1]]}");
    assertThatThrownBy(() -> GaussianApproximation.from(bad.toString(), 0, 0, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("bad.json").hasMessageContaining("eigenvalue");
  }
}
