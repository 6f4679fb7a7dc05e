package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.junit.jupiter.api.Test;

/** Names, the special cases each verifier must reduce to, and the errors for bad input. */
class VerifiersTest {
  static final double[] P = {0.4, 0.3, 0.2, 0.1};
  static final double[] Q = {0.1, 0.2, 0.3, 0.4};

  static double[] oneHot(int n, int i) {
    double[] v = new double[n];
    v[i] = 1;
    return v;
  }

  @Test
  void namesAndSchemes() {
    assertThat(Verifiers.names()).containsExactly("standard", "spectr", "rrs", "rrs-wor", "greedy-md");
    for (String name : Verifiers.names()) {
      assertThat(Verifiers.of(name).name()).isEqualTo(name);
    }
    assertThat(Verifiers.of("standard").scheme()).isEqualTo(DraftScheme.IID);
    assertThat(Verifiers.of("spectr").scheme()).isEqualTo(DraftScheme.IID);
    assertThat(Verifiers.of("rrs").scheme()).isEqualTo(DraftScheme.IID);
    assertThat(Verifiers.of("rrs-wor").scheme()).isEqualTo(DraftScheme.WITHOUT_REPLACEMENT);
    assertThat(Verifiers.of("greedy-md").scheme()).isEqualTo(DraftScheme.GREEDY);
  }

  @Test
  void unknownNamesSuggestTheClosest() {
    assertThatThrownBy(() -> Verifiers.of("spectre"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown verifier 'spectre' (did you mean 'spectr'?); valid verifiers: standard, spectr, rrs, "
            + "rrs-wor, greedy-md");
    assertThatThrownBy(() -> Verifiers.of("greedy")).hasMessageContaining("did you mean 'greedy-md'?");
    assertThatThrownBy(() -> Verifiers.of(null)).isInstanceOf(BadInputException.class);
  }

  /** Temperature 0: one-hot p and q. Accept iff the draft is argmax p, else emit argmax p. */
  @Test
  void oneHotLawsAreGreedyDecoding() {
    double[] p = oneHot(5, 2);
    Rng rng = new Rng(7);
    for (String name : new String[] {"standard", "spectr", "rrs"}) {
      Verifier v = Verifiers.of(name);
      for (int d = 0; d < 5; d++) {
        double[] q = oneHot(5, d);
        int[] candidates = name.equals("standard") ? new int[] {d} : new int[] {d, d, d};
        Verdict verdict = v.verify(p, q, candidates, rng);
        assertThat(verdict.token()).as("%s, draft %d", name, d).isEqualTo(2);
        assertThat(verdict.accepted()).as("%s, draft %d", name, d).isEqualTo(d == 2 ? 0 : -1);
        Plan plan = v.plan(p, q, candidates);
        assertThat(plan.accept()[0]).isEqualTo(d == 2 ? 1.0 : 0.0);
        if (d != 2) {
          assertThat(plan.residual()).containsExactly(p);
        }
      }
    }
  }

  /** q = delta_d (an n-gram draft): accept with p(d), else p without d, renormalized. */
  @Test
  void deterministicDraftFallsOutOfTheFormula() {
    Plan plan = Verifiers.of("standard").plan(P, oneHot(4, 1), new int[] {1});
    assertThat(plan.accept()[0]).isCloseTo(0.3, offset(1e-15));
    assertThat(plan.residual()).containsExactly(new double[] {0.4 / 0.7, 0, 0.2 / 0.7, 0.1 / 0.7}, offset(1e-15));
    Plan certain = Verifiers.of("standard").plan(oneHot(4, 1), oneHot(4, 1), new int[] {1});
    assertThat(certain.accept()).containsExactly(1);
    assertThat(certain.residual()).isNull();
  }

  @Test
  void equalLawsAcceptAlwaysAndDisjointOnesNever() {
    for (String name : Verifiers.names()) {
      Verifier v = Verifiers.of(name);
      int k = name.equals("standard") ? 1 : 3;
      assertThat(Exact.acceptance(v, P, P, k)).as(name).isCloseTo(1, offset(1e-15));
      double[] p = {0.5, 0.5, 0, 0, 0};
      double[] q = {0, 0, 0.2, 0.3, 0.5};
      assertThat(Exact.acceptance(v, p, q, k)).as(name).isZero();
      assertThat(Exact.maxAbsDifference(Exact.law(v, p, q, k), p)).as(name).isLessThan(1e-15);
    }
    assertThat(Verifiers.of("standard").plan(P, P, new int[] {2}).residual()).isNull();
  }

  /** k = 1: K-SEQ has rho* = 1 and is standard speculative sampling. */
  @Test
  void spectrWithOneDraftIsStandard() {
    assertThat(KSeqVerifier.rho(P, Q, 1)).isEqualTo(1);
    for (int d = 0; d < 4; d++) {
      Plan standard = Verifiers.of("standard").plan(P, Q, new int[] {d});
      Plan spectr = Verifiers.of("spectr").plan(P, Q, new int[] {d});
      assertThat(spectr.accept()).containsExactly(standard.accept());
      if (standard.accept()[0] < 1) {
        assertThat(spectr.residual()).containsExactly(standard.residual(), offset(1e-15));
      }
    }
  }

  /** greedy-md: a residual token among the deterministic candidates continues that candidate. */
  @Test
  void greedyResidualInTheTopContinuesThatCandidate() {
    double[] p = {0.1, 0.5, 0.1, 0.3};
    double[] q = {0.4, 0.1, 0.3, 0.2}; // T = {0, 2}, X ~ q' = (0, 1/3, 0, 2/3) on {1, 3}
    int[] candidates = {0, 2, 3};
    Plan plan = Verifiers.of("greedy-md").plan(p, q, candidates);
    // X = 3: accept min(1, 0.3 / (2/3)) = 0.45; w = (0.1, 0.5 - 1/3, 0.1, 0) sums to 0.3667
    assertThat(plan.order()).containsExactly(2, 0, 1);
    assertThat(plan.accept()).containsExactly(new double[] {0.45, 0.1 / (0.2 + 1.0 / 6), 0.1 / (0.1 + 1.0 / 6)},
        offset(1e-15));
    assertThat(plan.residual()).containsExactly(new double[] {0, 1, 0, 0}, offset(1e-15));
    double[] given = Exact.planLaw(plan, candidates, 4);
    double miss = 0.55 / (0.2 + 1.0 / 6);
    assertThat(given).containsExactly(new double[] {0.1 * miss, (1.0 / 6) * miss, 0.1 * miss, 0.45}, offset(1e-15));
    int continuedOnZero = 0;
    Rng rng = new Rng(11);
    for (int i = 0; i < 10_000; i++) {
      Verdict v = Verifiers.of("greedy-md").verify(p, q, candidates, rng);
      assertThat(v.accepted()).isEqualTo(v.token() == 1 ? -1 : v.token() == 3 ? 2 : v.token() == 0 ? 0 : 1);
      continuedOnZero += v.accepted() == 0 ? 1 : 0;
    }
    assertThat(continuedOnZero).isPositive();
  }

  @Test
  void badInputIsAnError() {
    Verifier spectr = Verifiers.of("spectr");
    assertThatThrownBy(() -> spectr.plan(P, new double[] {0.5, 0.5}, new int[] {0}))
        .isInstanceOf(BadInputException.class)
        .hasMessage("q length = 2: expected 4 (the vocabulary of p)");
    assertThatThrownBy(() -> spectr.plan(new double[] {0.5, 0.6, -0.1, 0}, Q, new int[] {0}))
        .hasMessage("p[2] = -0.1: expected a finite probability >= 0");
    assertThatThrownBy(() -> spectr.plan(P, new double[] {0.1, 0.2, 0.3, Double.NaN}, new int[] {0}))
        .hasMessage("q[3] = NaN: expected a finite probability >= 0");
    assertThatThrownBy(() -> spectr.plan(new double[] {0.5, 0.25, 0.25, 0.25}, Q, new int[] {0}))
        .hasMessage("sum of p = 1.25: expected 1 within 1.0E-9");
    assertThatThrownBy(() -> spectr.plan(P, Q, new int[] {4}))
        .hasMessage("candidates[0] = 4: expected a token id in [0, 4)");
    assertThatThrownBy(() -> spectr.plan(P, new double[] {0.5, 0.5, 0, 0}, new int[] {0, 2}))
        .hasMessage("candidates[1] = 2: expected a token with q > 0 (candidates are draws from q)");
    assertThatThrownBy(() -> spectr.plan(P, Q, new int[0]))
        .hasMessage("candidates = []: expected at least one draft token");
    assertThatThrownBy(() -> Verifiers.of("standard").plan(P, Q, new int[] {0, 1}))
        .hasMessageStartingWith("number of candidates = 2: expected 1");
    assertThatThrownBy(() -> Verifiers.of("rrs-wor").plan(P, Q, new int[] {0, 1, 0}))
        .hasMessage("candidates[2] = 0: expected a token not among the earlier candidates (the WITHOUT_REPLACEMENT"
            + " scheme draws distinct ones)");
    assertThatThrownBy(() -> Verifiers.of("greedy-md").plan(P, Q, new int[] {1, 3, 0}))
        .hasMessageStartingWith("candidates = [1, 3, 0]: expected the k - 1 tokens of largest q first"
            + " (token 2 has larger q");
    assertThatThrownBy(() -> Verifiers.of("greedy-md").plan(P, Q, new int[] {3, 3}))
        .hasMessageContaining("not among the earlier candidates");
  }

  @Test
  void plansStateTheirInvariants() {
    assertThatThrownBy(() -> new Plan(new int[] {0}, new double[] {0.5}, null))
        .isInstanceOf(BadInputException.class)
        .hasMessage("residual = null: expected a law for when every try fails (no try is certain)");
    assertThatThrownBy(() -> new Plan(new int[] {0}, new double[] {1.5}, P)).hasMessage("accept = 1.5: expected a"
        + " probability in [0, 1]");
    assertThatThrownBy(() -> new Plan(new int[] {0, 1}, new double[] {1}, null)).hasMessage("accept length = 1:"
        + " expected 2 (one per try)");
  }
}
