package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.fewstep.core.Rng;

/**
 * Random small instances (|V| <= 6, k <= 3, about a quarter of the entries zero and some tiny):
 * every verifier's exact output law equals p, the prefix scan equals the brute-force subset optimum
 * and an independent max-flow, and every acceptance respects the optimum of its scheme.
 */
class VerifierPropertiesTest {
  static final String[] NAMES = {"standard", "spectr", "rrs", "rrs-wor", "greedy-md"};

  /** A random instance: p, q over n tokens (q with at least k positive entries) and k. */
  record Instance(double[] p, double[] q, int k) {
    static Instance random(long seed) {
      Rng rng = new Rng(seed);
      int n = 2 + rng.nextInt(5);
      int k = 1 + rng.nextInt(3);
      return new Instance(Exact.randomLaw(rng, n, 1), Exact.randomLaw(rng, n, Math.min(k, n)), Math.min(k, n));
    }
  }

  @Property(seed = "20261127", tries = 300)
  void everyVerifierEmitsExactlyP(@ForAll long seed) {
    Instance in = Instance.random(seed);
    for (String name : NAMES) {
      if (name.equals("standard") && in.k() != 1) {
        continue;
      }
      double[] law = Exact.law(Verifiers.of(name), in.p(), in.q(), in.k());
      assertThat(Exact.maxAbsDifference(law, in.p())).as("%s, k = %d", name, in.k()).isLessThan(1e-12);
    }
  }

  @Property(seed = "20261127", tries = 300)
  void prefixScanIsTheSubsetOptimumAndTheMaxFlow(@ForAll long seed) {
    Instance in = Instance.random(seed);
    for (DraftScheme scheme : DraftScheme.values()) {
      double[] setLaw = Exact.setLaw(scheme, in.q(), in.k());
      double scan = OptimalAcceptance.optimal(in.p(), in.q(), in.k(), scheme);
      assertThat(Math.abs(scan - Exact.bruteForceOptimum(in.p(), setLaw))).as("%s brute force", scheme)
          .isLessThan(1e-12);
      assertThat(Math.abs(scan - Exact.maxFlow(in.p(), setLaw))).as("%s max-flow", scheme).isLessThan(1e-9);
    }
    double iid = OptimalAcceptance.optimal(in.p(), in.q(), in.k(), DraftScheme.IID);
    double wor = OptimalAcceptance.optimal(in.p(), in.q(), in.k(), DraftScheme.WITHOUT_REPLACEMENT);
    assertThat(wor).isGreaterThanOrEqualTo(iid - 1e-12);
  }

  @Property(seed = "20261127", tries = 300)
  void acceptanceIsBoundedByTheOptimumOfItsScheme(@ForAll long seed) {
    Instance in = Instance.random(seed);
    double[] p = in.p();
    double[] q = in.q();
    int k = in.k();
    for (String name : NAMES) {
      if (name.equals("standard") && k != 1) {
        continue;
      }
      Verifier v = Verifiers.of(name);
      double optimum = OptimalAcceptance.optimal(p, q, k, v.scheme());
      assertThat(Exact.acceptance(v, p, q, k)).as(name).isLessThanOrEqualTo(optimum + 1e-12);
    }
    Verifier greedy = Verifiers.of("greedy-md");
    double greedyOptimum = OptimalAcceptance.optimal(p, q, k, DraftScheme.GREEDY);
    assertThat(Exact.acceptance(greedy, p, q, k)).isCloseTo(greedyOptimum, offset(1e-12));
    assertThat(greedyOptimum).isEqualTo(OptimalAcceptance.expectedAcceptance(greedy, p, q, k));

    Verifier spectr = Verifiers.of("spectr");
    double kseq = Exact.acceptance(spectr, p, q, k);
    assertThat(kseq).isCloseTo(OptimalAcceptance.expectedAcceptance(spectr, p, q, k), offset(1e-12));
    double iid = OptimalAcceptance.optimal(p, q, k, DraftScheme.IID);
    assertThat(kseq).isGreaterThanOrEqualTo((1 - Math.exp(-1)) * iid - 1e-12);
    if (k == 1) {
      Verifier standard = Verifiers.of("standard");
      double closedForm = OptimalAcceptance.expectedAcceptance(standard, p, q, 1);
      assertThat(Exact.acceptance(standard, p, q, 1)).isCloseTo(closedForm, offset(1e-12));
    }
  }

  @Property(seed = "20261127", tries = 300)
  void rhoStarIsTheSmallestRhoWithANonNegativeResidual(@ForAll long seed) {
    Instance in = Instance.random(seed);
    double[] p = in.p();
    double[] q = in.q();
    int k = in.k();
    double rho = KSeqVerifier.rho(p, q, k);
    assertThat(rho).isBetween(1.0, (double) k);
    double beta = KSeqVerifier.beta(p, q, rho);
    double h = 1 - Math.pow(1 - beta, k) - rho * beta;
    assertThat(Math.abs(h)).isLessThan(1e-12);
    for (int i = 0; i < 8 && rho > 1; i++) {
      double below = 1 + (rho - 1) * i / 8.0; // h > 0 below rho*: some p_res entry would be negative
      double b = KSeqVerifier.beta(p, q, below);
      assertThat(1 - Math.pow(1 - b, k) - below * b).isGreaterThan(0);
    }
  }
}
