package org.fewstep.text.speculative;

/**
 * SpecTr's K-SEQ (Sun et al. 2023; decoding.md 2) for k i.i.d. drafts: with
 * beta(rho) = sum_x min(q(x), p(x)/rho), try the drafts in draw order, accepting X_i with
 * min(1, p(X_i) / (rho q(X_i))); if all fail, emit a token of
 * p_res(x) = [p(x) - min(q(x), p(x)/rho) (1 - (1 - beta)^k)/beta] / (1 - beta)^k.
 * rho* is the smallest rho in [1, k] with p_res >= 0, the root of
 * h(rho) = 1 - (1 - beta(rho))^k - rho beta(rho); its acceptance 1 - (1 - beta(rho*))^k is at least
 * (1 - 1/e) times the optimum. With k = 1, rho* = 1 and this is standard speculative sampling.
 * Residual entries in [-1e-12, 0) are rounding and become 0; a more negative one is an internal
 * error (IllegalStateException).
 */
record KSeqVerifier() implements Verifier {
  /** Rounding noise of a residual entry that is zero in exact arithmetic. */
  static final double NOISE = 1e-12;

  @Override
  public String name() {
    return "spectr";
  }

  @Override
  public DraftScheme scheme() {
    return DraftScheme.IID;
  }

  @Override
  public Plan plan(double[] p, double[] q, int[] candidates) {
    int n = Drafts.requireLaws(p, q);
    Drafts.requireCandidates(q, candidates);
    int k = candidates.length;
    double rho = rho(p, q, k);
    double scale = seriesSum(beta(p, q, rho), k);
    double[] w = new double[n];
    for (int x = 0; x < n; x++) {
      w[x] = p[x] - Math.min(q[x], p[x] / rho) * scale;
      if (w[x] < 0) {
        if (w[x] < -NOISE) {
          throw new IllegalStateException("K-SEQ residual[" + x + "] = " + w[x] + " at rho = " + rho
              + ": below rounding noise, an internal error");
        }
        w[x] = 0;
      }
    }
    int[] order = new int[k];
    double[] accept = new double[k];
    boolean certain = true;
    for (int i = 0; i < k; i++) {
      int x = candidates[i];
      order[i] = i;
      accept[i] = Math.min(1, p[x] / (rho * q[x]));
      certain &= accept[i] == 1;
    }
    double[] residual = null;
    if (!certain) {
      // The residual has mass (1 - beta)^k. When rounding leaves no positive weight, that mass is at
      // rounding level (p = (0, 1), q = (1e-10, 1 - 1e-10), k = 2: 1e-20) and a law there moves the
      // output law by at most as much: take p.
      residual = Drafts.normalizedOrNull(w);
      residual = residual == null ? p.clone() : residual;
    }
    return new Plan(order, accept, residual);
  }

  /** beta(rho) = sum_x min(q(x), p(x)/rho). */
  static double beta(double[] p, double[] q, double rho) {
    double sum = 0;
    for (int x = 0; x < p.length; x++) {
      sum += Math.min(q[x], p[x] / rho);
    }
    return sum;
  }

  /**
   * rho* by bisection on [1, k]. For beta > 0, h(rho) = beta (c - rho) with
   * c = (1 - (1 - beta)^k)/beta = sum_{j<k} (1 - beta)^j, so the sign of c - rho decides (and is the
   * same test p_res >= 0 makes); rho* = 1 when k = 1 (h = 0), when beta(1) = 1 (p = q) and when
   * beta = 0 (disjoint supports, where nothing is accepted whatever rho).
   */
  static double rho(double[] p, double[] q, int k) {
    double beta = beta(p, q, 1);
    if (k == 1 || beta == 0 || !(seriesSum(beta, k) > 1)) {
      return 1;
    }
    double lo = 1;
    double hi = k; // c <= k = hi: p_res >= 0 there
    while (true) {
      double mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) {
        return hi;
      }
      if (seriesSum(beta(p, q, mid), k) > mid) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
  }

  /** Its acceptance probability averaged over the k i.i.d. drafts: 1 - (1 - beta(rho*))^k. */
  static double acceptance(double[] p, double[] q, int k) {
    return 1 - Math.pow(1 - beta(p, q, rho(p, q, k)), k);
  }

  /** sum_{j<k} (1 - beta)^j = (1 - (1 - beta)^k)/beta, without dividing by beta. */
  static double seriesSum(double beta, int k) {
    double sum = 0;
    double power = 1;
    for (int j = 0; j < k; j++) {
      sum += power;
      power *= 1 - beta;
    }
    return sum;
  }
}
