package org.fewstep.data.optim;

import java.util.function.Consumer;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.LinearSystems;
import org.fewstep.core.math.SymmetricEigen;

/**
 * AdaSketch-Newton: Newton steps on the KKT system of {@code min f s.t. c = 0}, solved inexactly by
 * randomized sketch-and-project with adaptive accuracy, globalized by Armijo search on the exact augmented
 * Lagrangian {@code L_eta = f + lambda^T c + (eta1/2)||c||^2 + (eta2/2)||grad_x L||^2} with adaptive penalties
 * (Hong, Na, Mahoney, Kolar, "Constrained Optimization via Exact Augmented Lagrangian and Randomized Iterative
 * Sketching", ICML 2023, Algorithm 1; reference {@code CUTEst/AdaSketchNewtonGV/AdaSketchNewtonGV.jl}).
 * Fixes two reference quirks: the merit gradient uses the Hessian of the Lagrangian (not of f), and the sketch
 * loop starts from the true residual {@code K z - b}. Where the reference stops silently because
 * {@code lambda_min(G G^T) < 1e-2} (dependent or inconsistent constraints), this throws a
 * {@link BadInputException} saying so.
 */
public final class AdaSketchNewton {
  private static final double DELTA_FLOOR = 1e-6;
  private static final int MAX_HALVINGS = 60;
  /** The reference stops when {@code lambda_min(G G^T)} falls below this; here it is a clear error. */
  static final double JACOBIAN_FLOOR = 1e-2;

  /** How the KKT system is solved. DIRECT is an exact LU solve (Newton-KKT) for comparison. */
  public enum Solve {
    GAUSSIAN,
    KACZMARZ,
    DIRECT
  }

  /**
   * Parameters; {@link #defaults()} are those of the reference {@code Parameter/Param.jl}: eta1 = 1,
   * eta2 = 0.1, delta = 0.1, xi_B = 0.1, beta = 0.1, nu = 1.5, theta = 1, 1e4 iterations, KKT tolerance 1e-4,
   * at most 1e5 sketch sweeps per solve.
   */
  public record Settings(
      Solve solve,
      double eta1,
      double eta2,
      double delta,
      double xiB,
      double beta,
      double nu,
      double theta,
      int maxIterations,
      double kktTolerance,
      int maxSweeps) {
    public Settings {
      if (solve == null) {
        throw BadInputException.of("solve", null, "GAUSSIAN, KACZMARZ or DIRECT");
      }
      BadInputException.requirePositive("eta1", eta1);
      BadInputException.requirePositive("eta2", eta2);
      BadInputException.requirePositive("delta", delta);
      BadInputException.requirePositive("xiB", xiB);
      if (!(beta > 0 && beta < 0.5)) {
        throw BadInputException.of("beta", beta, "a number in (0, 0.5)");
      }
      if (!(nu > 1) || Double.isInfinite(nu)) {
        throw BadInputException.of("nu", nu, "a finite number > 1");
      }
      BadInputException.requirePositive("theta", theta);
      BadInputException.requireAtLeast("maxIterations", maxIterations, 1);
      BadInputException.requirePositive("kktTolerance", kktTolerance);
      BadInputException.requireAtLeast("maxSweeps", maxSweeps, 1);
    }

    /** The reference defaults with the Gaussian sketch. */
    public static Settings defaults() {
      return new Settings(Solve.GAUSSIAN, 1.0, 0.1, 0.1, 0.1, 0.1, 1.5, 1.0, 10_000, 1e-4, 100_000);
    }

    /** These settings with another linear solve. */
    public Settings withSolve(Solve s) {
      return new Settings(s, eta1, eta2, delta, xiB, beta, nu, theta, maxIterations, kktTolerance, maxSweeps);
    }

    /** These settings with another sketch accuracy factor theta. */
    public Settings withTheta(double t) {
      return new Settings(solve, eta1, eta2, delta, xiB, beta, nu, t, maxIterations, kktTolerance, maxSweeps);
    }
  }

  /** The final iterate, its KKT residual {@code ||(grad_x L, c)||}, and the total sketch sweeps. */
  public record Result(
      double[] x, double[] lambda, int iterations, double kktResidual, long sketchSweeps, boolean converged) {}

  /**
   * One accepted step, for observers: the iterate before it, the direction, the step size, the penalties
   * used in the line search, and the (possibly modified) Hessian block B of the KKT matrix.
   */
  public record Step(
      int iteration,
      double[] x,
      double[] lambda,
      double[] dx,
      double[] dLambda,
      double alpha,
      double eta1,
      double eta2,
      boolean modified,
      double[][] hessianBlock) {}

  private final Settings settings;

  public AdaSketchNewton(Settings settings) {
    this.settings = settings;
  }

  /** Solves from {@code (x0, lambda0)}; the sketches draw from {@code rng}. */
  public Result solve(EqualityProblem p, double[] x0, double[] lambda0, Rng rng) {
    return solve(p, x0, lambda0, rng, s -> {});
  }

  /** As {@link #solve(EqualityProblem, double[], double[], Rng)}, reporting each accepted step. */
  public Result solve(EqualityProblem p, double[] x0, double[] lambda0, Rng rng, Consumer<Step> observer) {
    int d = p.dimension();
    int m = p.constraintCount();
    BadInputException.requireAtLeast("dimension", d, 1);
    if (m < 0 || m > d) {
      throw BadInputException.of("constraintCount", m, "0 <= m <= d = " + d);
    }
    checkVector("x0", x0, d);
    checkVector("lambda0", lambda0, m);
    double[] x = x0.clone();
    double[] lam = lambda0.clone();
    double eta1 = settings.eta1();
    double eta2 = settings.eta2();
    double delta = settings.delta();
    long sweeps = 0;
    int n = d + m;
    for (int k = 0; k < settings.maxIterations(); k++) {
      double[] gradL = lagrangianGradient(p, x, lam);
      double kkt = norm(gradL);
      if (kkt <= settings.kktTolerance()) {
        return new Result(x, lam, k, kkt, sweeps, true);
      }
      double[][] g = checkMatrix("jacobian", p.jacobian(x), m, d);
      double[][] h = checkMatrix("lagrangianHessian", p.lagrangianHessian(x, lam), d, d);
      double xiG = m == 0 ? 1 : minEig(gramRows(g));
      if (xiG < JACOBIAN_FLOOR) {
        throw BadInputException.of("constraint Jacobian at iteration " + k + " (x = " + java.util.Arrays.toString(x) + ")",
            "lambda_min(G G^T) = " + xiG, "at least " + JACOBIAN_FLOOR + " (independent constraint gradients; dependent or"
                + " inconsistent constraints, e.g. x1 = 1 and x1 = 2, cannot be solved)");
      }
      double normG = m == 0 ? 0 : Math.sqrt(Math.max(0, maxEig(gramRows(g))));
      double normH = spectralNorm(h);
      double[][] b = h;
      boolean modified = false;
      if (m < d && minEig(projectOnNullSpace(h, g, d, m)) < 1e-6) {
        b = addIdentity(h, settings.xiB() + normH);
        modified = true;
      }
      double normB = spectralNorm(b);
      double psi = 20 * Math.max(normB * normB, 1) / (Math.min(xiG, 1) * Math.min(settings.xiB(), 1));
      double ups = Math.max(Math.max(normG, normH), 1);
      delta = Math.max(DELTA_FLOOR, Math.min(delta, deltaTrial(eta1, eta2, ups, psi)));
      double[][] kk = kktMatrix(b, g, d, m);
      double[] rhs = new double[n];
      for (int i = 0; i < n; i++) {
        rhs[i] = -gradL[i];
      }
      double normK = spectralNorm(kk);
      double normRhs = norm(rhs);
      double[] z = new double[n];
      double[] r = new double[n];
      SketchAndProject.residual(kk, rhs, z, r);
      boolean solved = false;
      double dir;
      while (true) {
        if (settings.solve() == Solve.DIRECT) {
          if (!solved) {
            try {
              z = LinearSystems.solve(kk, rhs, n);
            } catch (ArithmeticException e) {
              throw BadInputException.of("KKT matrix at iteration " + k, "singular", "full-rank Jacobian");
            }
            solved = true;
          }
        } else {
          SketchAndProject.Kind kind =
              settings.solve() == Solve.GAUSSIAN ? SketchAndProject.Kind.GAUSSIAN : SketchAndProject.Kind.KACZMARZ;
          double target = settings.theta() * delta * normRhs / (normK * psi);
          for (int s = 0; s < settings.maxSweeps() && norm(r) > target; s++) {
            SketchAndProject.step(kind, kk, rhs, z, r, rng);
            sweeps++;
          }
        }
        dir = SketchAndProject.dot(meritGradient(p, x, lam, eta1, eta2), z);
        if (dir <= -0.5 * eta2 * normRhs * normRhs || eta1 > 1e8 || eta2 < 1e-8) {
          break;
        }
        eta1 *= settings.nu() * settings.nu();
        eta2 /= settings.nu();
        delta = Math.max(DELTA_FLOOR, Math.min(delta / Math.pow(settings.nu(), 4), deltaTrial(eta1, eta2, ups, psi)));
      }
      double[] dx = java.util.Arrays.copyOfRange(z, 0, d);
      double[] dl = java.util.Arrays.copyOfRange(z, d, n);
      double m0 = merit(p, x, lam, eta1, eta2);
      double alpha = 1;
      double[] xt = new double[d];
      double[] lt = new double[m];
      boolean accepted = false;
      for (int hv = 0; hv <= MAX_HALVINGS; hv++) {
        axpy(xt, x, alpha, dx);
        axpy(lt, lam, alpha, dl);
        if (merit(p, xt, lt, eta1, eta2) <= m0 + alpha * settings.beta() * dir) {
          accepted = true;
          break;
        }
        alpha /= 2;
      }
      if (!accepted) {
        return new Result(x, lam, k, kkt, sweeps, false);
      }
      observer.accept(new Step(k, x.clone(), lam.clone(), dx, dl, alpha, eta1, eta2, modified, b));
      x = xt;
      lam = lt;
    }
    double kkt = norm(lagrangianGradient(p, x, lam));
    return new Result(x, lam, settings.maxIterations(), kkt, sweeps, kkt <= settings.kktTolerance());
  }

  private double deltaTrial(double eta1, double eta2, double ups, double psi) {
    return (0.5 - settings.beta()) * eta2 / ((1 + eta1 + eta2) * ups * ups * psi * psi);
  }

  /** The KKT residual {@code (grad f + G^T lambda, c)} (length d + m). */
  public static double[] lagrangianGradient(EqualityProblem p, double[] x, double[] lam) {
    int d = p.dimension();
    int m = p.constraintCount();
    double[] gf = checkVector("gradient", p.gradient(x), d);
    double[] c = checkVector("constraints", p.constraints(x), m);
    double[][] g = checkMatrix("jacobian", p.jacobian(x), m, d);
    double[] out = new double[d + m];
    for (int j = 0; j < d; j++) {
      double s = gf[j];
      for (int i = 0; i < m; i++) {
        s += g[i][j] * lam[i];
      }
      out[j] = s;
    }
    System.arraycopy(c, 0, out, d, m);
    return out;
  }

  /** The merit {@code L_eta = f + lambda^T c + (eta1/2)||c||^2 + (eta2/2)||grad_x L||^2}. */
  public static double merit(EqualityProblem p, double[] x, double[] lam, double eta1, double eta2) {
    int d = p.dimension();
    double f = p.objective(x);
    if (!Double.isFinite(f)) {
      throw BadInputException.of("objective f(x)", f, "a finite value");
    }
    double[] gl = lagrangianGradient(p, x, lam);
    double lc = 0;
    double cc = 0;
    double gg = 0;
    for (int j = 0; j < d; j++) {
      gg += gl[j] * gl[j];
    }
    for (int i = 0; i < lam.length; i++) {
      double c = gl[d + i];
      lc += lam[i] * c;
      cc += c * c;
    }
    return f + lc + 0.5 * eta1 * cc + 0.5 * eta2 * gg;
  }

  /**
   * The merit gradient {@code (grad_x L + eta2 H grad_x L + eta1 G^T c, c + eta2 G grad_x L)} with H the Hessian
   * of the Lagrangian (the reference code uses the Hessian of f here).
   */
  public static double[] meritGradient(EqualityProblem p, double[] x, double[] lam, double eta1, double eta2) {
    int d = p.dimension();
    int m = p.constraintCount();
    double[] gl = lagrangianGradient(p, x, lam);
    double[][] g = checkMatrix("jacobian", p.jacobian(x), m, d);
    double[][] h = checkMatrix("lagrangianHessian", p.lagrangianHessian(x, lam), d, d);
    double[] out = new double[d + m];
    for (int j = 0; j < d; j++) {
      double s = gl[j];
      for (int l = 0; l < d; l++) {
        s += eta2 * h[j][l] * gl[l];
      }
      for (int i = 0; i < m; i++) {
        s += eta1 * g[i][j] * gl[d + i];
      }
      out[j] = s;
    }
    for (int i = 0; i < m; i++) {
      double s = gl[d + i];
      for (int l = 0; l < d; l++) {
        s += eta2 * g[i][l] * gl[l];
      }
      out[d + i] = s;
    }
    return out;
  }

  /** {@code Z^T H Z} with Z an orthonormal basis of null(G): the trailing d - m eigenvectors of G^T G. */
  static double[][] projectOnNullSpace(double[][] h, double[][] g, int d, int m) {
    double[][] gtg = new double[d][d];
    for (int i = 0; i < m; i++) {
      for (int a = 0; a < d; a++) {
        for (int c = 0; c < d; c++) {
          gtg[a][c] += g[i][a] * g[i][c];
        }
      }
    }
    SymmetricEigen eig = SymmetricEigen.of(gtg);
    int q = d - m;
    double[][] z = new double[q][];
    for (int t = 0; t < q; t++) {
      z[t] = eig.vector(m + t);
    }
    double[][] out = new double[q][q];
    for (int s = 0; s < q; s++) {
      double[] hz = new double[d];
      for (int a = 0; a < d; a++) {
        hz[a] = SketchAndProject.dot(h[a], z[s]);
      }
      for (int t = 0; t < q; t++) {
        out[t][s] = SketchAndProject.dot(z[t], hz);
      }
    }
    return out;
  }

  static double[][] kktMatrix(double[][] b, double[][] g, int d, int m) {
    double[][] k = new double[d + m][d + m];
    for (int i = 0; i < d; i++) {
      System.arraycopy(b[i], 0, k[i], 0, d);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < d; j++) {
        k[d + i][j] = g[i][j];
        k[j][d + i] = g[i][j];
      }
    }
    return k;
  }

  private static double[][] gramRows(double[][] g) {
    int m = g.length;
    double[][] out = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        out[i][j] = SketchAndProject.dot(g[i], g[j]);
      }
    }
    return out;
  }

  private static double[][] addIdentity(double[][] h, double shift) {
    double[][] out = new double[h.length][];
    for (int i = 0; i < h.length; i++) {
      out[i] = h[i].clone();
      out[i][i] += shift;
    }
    return out;
  }

  static double spectralNorm(double[][] sym) {
    double[] v = SymmetricEigen.of(sym).values();
    return Math.max(Math.abs(v[0]), Math.abs(v[v.length - 1]));
  }

  private static double minEig(double[][] sym) {
    double[] v = SymmetricEigen.of(sym).values();
    return v[v.length - 1];
  }

  private static double maxEig(double[][] sym) {
    return SymmetricEigen.of(sym).values()[0];
  }

  private static void axpy(double[] out, double[] x, double a, double[] y) {
    for (int i = 0; i < out.length; i++) {
      out[i] = x[i] + a * y[i];
    }
  }

  private static double norm(double[] v) {
    return Math.sqrt(SketchAndProject.dot(v, v));
  }

  private static double[] checkVector(String name, double[] v, int len) {
    if (v == null || v.length != len) {
      throw BadInputException.of(name + " length", v == null ? null : v.length, String.valueOf(len));
    }
    for (int i = 0; i < len; i++) {
      if (!Double.isFinite(v[i])) {
        throw BadInputException.of(name + "[" + i + "]", v[i], "a finite value");
      }
    }
    return v;
  }

  private static double[][] checkMatrix(String name, double[][] a, int rows, int cols) {
    if (a == null || a.length != rows) {
      throw BadInputException.of(name + " rows", a == null ? null : a.length, String.valueOf(rows));
    }
    for (int i = 0; i < rows; i++) {
      checkVector(name + "[" + i + "]", a[i], cols);
    }
    return a;
  }
}
