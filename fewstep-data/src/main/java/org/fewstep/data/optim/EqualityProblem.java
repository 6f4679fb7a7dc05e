package org.fewstep.data.optim;

/**
 * A smooth equality-constrained problem {@code min f(x) s.t. c(x) = 0} with {@code x} in R^d and
 * {@code c} in R^m, given by analytic first and second derivatives (Hong, Na, Mahoney, Kolar, ICML 2023,
 * section 2; reference code IlgeeHong/AdaSketch-Newton reads them from CUTEst/NLPModels).
 */
public interface EqualityProblem {
  /** The number d of variables. */
  int dimension();

  /** The number m of equality constraints. */
  int constraintCount();

  /** The objective f(x). */
  double objective(double[] x);

  /** The gradient of f (length d). */
  double[] gradient(double[] x);

  /** The Hessian of f (d x d). */
  double[][] hessian(double[] x);

  /** The constraint values c(x) (length m). */
  double[] constraints(double[] x);

  /** The Jacobian G of c (m x d; row i is the gradient of c_i). */
  double[][] jacobian(double[] x);

  /** The Hessian of c_i (d x d). */
  double[][] constraintHessian(int i, double[] x);

  /** The Hessian of the Lagrangian {@code f + lambda^T c} in x; override when cheaper directly. */
  default double[][] lagrangianHessian(double[] x, double[] lambda) {
    double[][] h = hessian(x);
    int d = h.length;
    double[][] out = new double[d][];
    for (int i = 0; i < d; i++) {
      out[i] = h[i].clone();
    }
    for (int k = 0; k < lambda.length; k++) {
      if (lambda[k] == 0) {
        continue;
      }
      double[][] hk = constraintHessian(k, x);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          out[i][j] += lambda[k] * hk[i][j];
        }
      }
    }
    return out;
  }
}
