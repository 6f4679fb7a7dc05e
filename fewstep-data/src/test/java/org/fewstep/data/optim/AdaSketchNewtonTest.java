package org.fewstep.data.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.LinearSystems;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AdaSketchNewtonTest {
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (HockSchittkowski.Instance inst : List.of(HockSchittkowski.hs6(), HockSchittkowski.hs7(),
        HockSchittkowski.hs28(), HockSchittkowski.hs48(), HockSchittkowski.hs51())) {
      for (AdaSketchNewton.Solve s : AdaSketchNewton.Solve.values()) {
        out.add(Arguments.of(inst, s));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void solvesHockSchittkowskiToKnownOptimum(HockSchittkowski.Instance inst, AdaSketchNewton.Solve solve) {
    AdaSketchNewton solver = new AdaSketchNewton(AdaSketchNewton.Settings.defaults().withSolve(solve));
    int m = inst.problem().constraintCount();
    AdaSketchNewton.Result r = solver.solve(inst.problem(), inst.start(), new double[m], new Rng(11));
    assertThat(r.converged()).as(inst.name()).isTrue();
    assertThat(r.kktResidual()).isLessThanOrEqualTo(1e-4);
    assertThat(dist(r.x(), inst.optimum())).as(inst.name() + " x=" + java.util.Arrays.toString(r.x()))
        .isLessThanOrEqualTo(1e-4);
    assertThat(inst.problem().objective(r.x())).isCloseTo(inst.optimalValue(), org.assertj.core.data.Offset.offset(1e-6));
    if (solve == AdaSketchNewton.Solve.DIRECT) {
      assertThat(r.sketchSweeps()).isZero();
    } else {
      assertThat(r.sketchSweeps()).isPositive();
    }
  }

  /** The accuracy: with the KKT tolerance at 1e-9 every solve lands within 1e-6 of x*. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void reachesHockSchittkowskiOptimaToOneInAMillion(HockSchittkowski.Instance inst, AdaSketchNewton.Solve solve) {
    AdaSketchNewton.Settings d = AdaSketchNewton.Settings.defaults().withSolve(solve);
    AdaSketchNewton.Settings tight = new AdaSketchNewton.Settings(d.solve(), d.eta1(), d.eta2(), d.delta(), d.xiB(),
        d.beta(), d.nu(), d.theta(), d.maxIterations(), 1e-9, d.maxSweeps());
    int m = inst.problem().constraintCount();
    AdaSketchNewton.Result r = new AdaSketchNewton(tight).solve(inst.problem(), inst.start(), new double[m], new Rng(11));
    assertThat(r.converged()).as(inst.name()).isTrue();
    assertThat(dist(r.x(), inst.optimum())).as(inst.name() + " x=" + java.util.Arrays.toString(r.x()))
        .isLessThanOrEqualTo(1e-6);
  }

  @Test
  void meritGradientMatchesFiniteDifferences() {
    for (HockSchittkowski.Instance inst : List.of(HockSchittkowski.hs7(), HockSchittkowski.hs6(), HockSchittkowski.hs51())) {
      EqualityProblem p = inst.problem();
      int d = p.dimension();
      int m = p.constraintCount();
      Rng rng = new Rng(5);
      double[] x = new double[d];
      double[] lam = new double[m];
      rng.fillGaussian(x);
      rng.fillGaussian(lam);
      double eta1 = 1.7;
      double eta2 = 0.3;
      double[] g = AdaSketchNewton.meritGradient(p, x, lam, eta1, eta2);
      double h = 1e-6;
      for (int i = 0; i < d + m; i++) {
        double[] xp = x.clone();
        double[] xm = x.clone();
        double[] lp = lam.clone();
        double[] lm = lam.clone();
        if (i < d) {
          xp[i] += h;
          xm[i] -= h;
        } else {
          lp[i - d] += h;
          lm[i - d] -= h;
        }
        double fd = (AdaSketchNewton.merit(p, xp, lp, eta1, eta2) - AdaSketchNewton.merit(p, xm, lm, eta1, eta2)) / (2 * h);
        assertThat(g[i]).as(inst.name() + " component " + i).isCloseTo(fd, org.assertj.core.data.Offset.offset(
            1e-5 * Math.max(1, Math.abs(fd))));
      }
    }
  }

  @Test
  void exactSolveGivesNewtonKktStepsWithArmijoSearch() {
    for (HockSchittkowski.Instance inst : List.of(HockSchittkowski.hs6(), HockSchittkowski.hs7())) {
      EqualityProblem p = inst.problem();
      int d = p.dimension();
      int m = p.constraintCount();
      AdaSketchNewton.Settings set = AdaSketchNewton.Settings.defaults().withSolve(AdaSketchNewton.Solve.DIRECT);
      List<AdaSketchNewton.Step> steps = new ArrayList<>();
      new AdaSketchNewton(set).solve(p, inst.start(), new double[m], new Rng(1), steps::add);
      assertThat(steps).hasSizeGreaterThan(2);
      for (AdaSketchNewton.Step s : steps) {
        double[][] h = p.lagrangianHessian(s.x(), s.lambda());
        double[][] b = s.hessianBlock();
        double shift = s.modified() ? b[0][0] - h[0][0] : 0;
        if (s.modified()) {
          assertThat(shift).isGreaterThanOrEqualTo(set.xiB());
        }
        double[][] k = AdaSketchNewton.kktMatrix(h, p.jacobian(s.x()), d, m);
        for (int i = 0; i < d; i++) {
          k[i][i] += shift;
        }
        double[] rhs = AdaSketchNewton.lagrangianGradient(p, s.x(), s.lambda());
        for (int i = 0; i < rhs.length; i++) {
          rhs[i] = -rhs[i];
        }
        double[] z = LinearSystems.solve(k, rhs, d + m);
        for (int i = 0; i < d; i++) {
          assertThat(s.dx()[i]).isCloseTo(z[i], org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(z[i]))));
        }
        for (int i = 0; i < m; i++) {
          assertThat(s.dLambda()[i]).isCloseTo(z[d + i], org.assertj.core.data.Offset.offset(1e-9 * (1 + Math.abs(z[d + i]))));
        }
        // Armijo with the largest power of 1/2.
        double[] gm = AdaSketchNewton.meritGradient(p, s.x(), s.lambda(), s.eta1(), s.eta2());
        double dir = SketchAndProject.dot(gm, z);
        assertThat(dir).isLessThan(0);
        double m0 = AdaSketchNewton.merit(p, s.x(), s.lambda(), s.eta1(), s.eta2());
        assertThat(meritAt(p, s, z, s.alpha(), d, m)).isLessThanOrEqualTo(m0 + s.alpha() * set.beta() * dir);
        if (s.alpha() < 1) {
          assertThat(meritAt(p, s, z, 2 * s.alpha(), d, m)).isGreaterThan(m0 + 2 * s.alpha() * set.beta() * dir);
        }
      }
      // Near the solution the unit step is taken (Newton's local behaviour).
      assertThat(steps.get(steps.size() - 1).alpha()).isEqualTo(1.0);
    }
  }

  @Test
  void tightSketchFollowsDirectIterates() {
    HockSchittkowski.Instance inst = HockSchittkowski.hs7();
    AdaSketchNewton.Settings base = AdaSketchNewton.Settings.defaults();
    List<AdaSketchNewton.Step> direct = new ArrayList<>();
    List<AdaSketchNewton.Step> sketch = new ArrayList<>();
    new AdaSketchNewton(base.withSolve(AdaSketchNewton.Solve.DIRECT)).solve(inst.problem(), inst.start(),
        new double[1], new Rng(3), direct::add);
    new AdaSketchNewton(base.withTheta(1e-3)).solve(inst.problem(), inst.start(), new double[1], new Rng(3), sketch::add);
    assertThat(sketch.size()).isEqualTo(direct.size());
    for (int i = 0; i < direct.size(); i++) {
      assertThat(dist(sketch.get(i).x(), direct.get(i).x())).isLessThan(1e-6);
      assertThat(sketch.get(i).alpha()).isEqualTo(direct.get(i).alpha());
    }
  }

  @Test
  void sketchAndProjectConvergesGeometricallyInExpectation() {
    int d = 4;
    int m = 2;
    int n = d + m;
    Rng gen = new Rng(99);
    double[][] b = new double[d][d];
    for (int i = 0; i < d; i++) {
      b[i][i] = 2;
      for (int j = 0; j < i; j++) {
        double v = 0.3 * gen.nextGaussian();
        b[i][j] = v;
        b[j][i] = v;
      }
    }
    double[][] g = new double[m][d];
    for (double[] row : g) {
      gen.fillGaussian(row);
    }
    double[][] k = AdaSketchNewton.kktMatrix(b, g, d, m);
    double[] rhs = new double[n];
    gen.fillGaussian(rhs);
    double[] zStar = LinearSystems.solve(k, rhs, n);
    for (SketchAndProject.Kind kind : SketchAndProject.Kind.values()) {
      int[] checkpoints = {100, 200, 400, 800};
      double[] meanLog = new double[checkpoints.length];
      int seeds = 30;
      for (int seed = 0; seed < seeds; seed++) {
        Rng rng = new Rng(1000 + seed);
        double[] z = new double[n];
        double[] r = new double[n];
        SketchAndProject.residual(k, rhs, z, r);
        double r0 = Math.sqrt(SketchAndProject.dot(r, r));
        double err = dist(z, zStar);
        int c = 0;
        for (int t = 1; t <= checkpoints[checkpoints.length - 1]; t++) {
          SketchAndProject.step(kind, k, rhs, z, r, rng);
          double e2 = dist(z, zStar);
          assertThat(e2).isLessThanOrEqualTo(err * (1 + 1e-12) + 1e-14); // a projection never moves away
          err = e2;
          if (t == checkpoints[c]) {
            meanLog[c] += Math.log(Math.sqrt(SketchAndProject.dot(r, r)) / r0) / seeds;
            c++;
          }
        }
      }
      for (int c = 1; c < checkpoints.length; c++) {
        assertThat(meanLog[c]).as(kind + " " + c).isLessThan(meanLog[c - 1] - 0.5);
      }
      // Geometric: the log-residual decreases about linearly in the sweep count.
      double rate1 = (meanLog[1] - meanLog[0]) / 100;
      double rate3 = (meanLog[3] - meanLog[2]) / 400;
      assertThat(rate3).as(kind.toString()).isBetween(rate1 * 3, rate1 / 3);
    }
  }

  @Test
  void logisticRegressionReachesFeasibleKktPoint() {
    ConstrainedLogistic p = ConstrainedLogistic.synthetic(200, 8, 3, 21);
    int d = p.dimension();
    double[] x0 = new double[d];
    java.util.Arrays.fill(x0, 1 / Math.sqrt(d));
    for (AdaSketchNewton.Solve s : AdaSketchNewton.Solve.values()) {
      AdaSketchNewton.Result r =
          new AdaSketchNewton(AdaSketchNewton.Settings.defaults().withSolve(s)).solve(p, x0, new double[4], new Rng(2));
      assertThat(r.converged()).as(s.toString()).isTrue();
      assertThat(r.kktResidual()).isLessThanOrEqualTo(1e-4);
      for (double c : p.constraints(r.x())) {
        assertThat(Math.abs(c)).isLessThanOrEqualTo(1e-4);
      }
      assertThat(SketchAndProject.dot(r.x(), r.x())).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void logisticDerivativesMatchFiniteDifferences() {
    ConstrainedLogistic p = ConstrainedLogistic.synthetic(50, 5, 2, 4);
    double[] x = {0.3, -0.2, 0.5, 0.1, -0.4};
    double[] g = p.gradient(x);
    double[][] h = p.hessian(x);
    double eps = 1e-6;
    for (int i = 0; i < 5; i++) {
      double[] xp = x.clone();
      double[] xm = x.clone();
      xp[i] += eps;
      xm[i] -= eps;
      assertThat(g[i]).isCloseTo((p.objective(xp) - p.objective(xm)) / (2 * eps), org.assertj.core.data.Offset.offset(1e-7));
      double[] gp = p.gradient(xp);
      double[] gm = p.gradient(xm);
      for (int j = 0; j < 5; j++) {
        assertThat(h[j][i]).isCloseTo((gp[j] - gm[j]) / (2 * eps), org.assertj.core.data.Offset.offset(1e-7));
      }
    }
  }

  @Test
  void badInputIsAClearError() {
    HockSchittkowski.Instance inst = HockSchittkowski.hs28();
    AdaSketchNewton solver = new AdaSketchNewton(AdaSketchNewton.Settings.defaults());
    assertThatThrownBy(() -> solver.solve(inst.problem(), new double[2], new double[1], new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("x0");
    assertThatThrownBy(() -> solver.solve(inst.problem(), inst.start(), new double[2], new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("lambda0");
    EqualityProblem nan = new HockSchittkowski.Analytic(1, 0, x -> Double.NaN, x -> new double[] {Double.NaN},
        x -> new double[][] {{1}}, x -> new double[0], x -> new double[0][], (i, x) -> null);
    assertThatThrownBy(() -> solver.solve(nan, new double[] {1}, new double[0], new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("gradient");
    EqualityProblem nanF = new HockSchittkowski.Analytic(1, 0, x -> Double.NaN, x -> new double[] {2 * x[0]},
        x -> new double[][] {{2}}, x -> new double[0], x -> new double[0][], (i, x) -> null);
    assertThatThrownBy(() -> solver.solve(nanF, new double[] {1}, new double[0], new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("objective");
    assertThatThrownBy(() -> AdaSketchNewton.Settings.defaults().withTheta(-1)).isInstanceOf(BadInputException.class);
    // Infeasible: x1 = 1 and x1 = 2 have parallel gradients, so G G^T is singular at every point.
    EqualityProblem infeasible = new HockSchittkowski.Analytic(2, 2, x -> x[1] * x[1], x -> new double[] {0, 2 * x[1]},
        x -> new double[][] {{0, 0}, {0, 2}}, x -> new double[] {x[0] - 1, x[0] - 2},
        x -> new double[][] {{1, 0}, {1, 0}}, (i, x) -> new double[2][2]);
    assertThatThrownBy(() -> solver.solve(infeasible, new double[] {0, 1}, new double[2], new Rng(1)))
        .isInstanceOf(BadInputException.class).hasMessageContaining("constraint Jacobian").hasMessageContaining("inconsistent");
  }

  private static double meritAt(EqualityProblem p, AdaSketchNewton.Step s, double[] z, double a, int d, int m) {
    double[] x = s.x().clone();
    double[] l = s.lambda().clone();
    for (int i = 0; i < d; i++) {
      x[i] += a * z[i];
    }
    for (int i = 0; i < m; i++) {
      l[i] += a * z[d + i];
    }
    return AdaSketchNewton.merit(p, x, l, s.eta1(), s.eta2());
  }

  private static double dist(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }
}
