package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * decoding.md 16, test vectors A and B (to 1e-6): every column of table B, the verifiers'
 * acceptance by exact enumeration of the candidate draws, and every output law equal to p.
 */
class TestVectorsTest {
  static final double[] P_A = {0.5, 0.3, 0.2};
  static final double[] Q_A = {0.2, 0.5, 0.3};
  static final double[] P_B = {0.4, 0.3, 0.2, 0.1};
  static final double[] Q_B = {0.1, 0.2, 0.3, 0.4};

  @Test
  void vectorASingleDraft() {
    Verifier standard = Verifiers.of("standard");
    assertThat(Exact.acceptance(standard, P_A, Q_A, 1)).isCloseTo(0.7, offset(1e-12));
    assertThat(OptimalAcceptance.expectedAcceptance(standard, P_A, Q_A, 1)).isCloseTo(0.7, offset(1e-12));
    assertThat(OptimalAcceptance.optimal(P_A, Q_A, 1, DraftScheme.IID)).isCloseTo(0.7, offset(1e-12));
    Plan rejected = standard.plan(P_A, Q_A, new int[] {1});
    assertThat(rejected.accept()[0]).isCloseTo(0.6, offset(1e-12));
    assertThat(rejected.residual()).containsExactly(1, 0, 0);
    assertThat(standard.plan(P_A, Q_A, new int[] {0}).accept()).containsExactly(1);
    assertThat(Exact.maxAbsDifference(Exact.law(standard, P_A, Q_A, 1), P_A)).isLessThan(1e-15);
  }

  @ParameterizedTest(name = "n = {0}")
  @CsvSource({
    "2, 0.790000, 0.834524, 0.720000, 0.764286, 1.500000, 0.750000, 0.766667",
    "3, 0.871000, 1.000000, 0.768000, 0.840298, 1.939500, 0.793950, 0.933333"
  })
  void vectorBMultiDraft(int n, double optimalIid, double optimalWor, double rrs, double rrsWor, double rho,
      double kseq, double greedy) {
    assertThat(OptimalAcceptance.optimal(P_B, Q_B, n, DraftScheme.IID)).isCloseTo(optimalIid, offset(1e-6));
    assertThat(OptimalAcceptance.optimal(P_B, Q_B, n, DraftScheme.WITHOUT_REPLACEMENT))
        .isCloseTo(optimalWor, offset(1e-6));
    assertThat(Exact.acceptance(Verifiers.of("rrs"), P_B, Q_B, n)).isCloseTo(rrs, offset(1e-6));
    assertThat(Exact.acceptance(Verifiers.of("rrs-wor"), P_B, Q_B, n)).isCloseTo(rrsWor, offset(1e-6));
    assertThat(KSeqVerifier.rho(P_B, Q_B, n)).isCloseTo(rho, offset(1e-6));
    Verifier spectr = Verifiers.of("spectr");
    assertThat(Exact.acceptance(spectr, P_B, Q_B, n)).isCloseTo(kseq, offset(1e-6));
    assertThat(OptimalAcceptance.expectedAcceptance(spectr, P_B, Q_B, n)).isCloseTo(kseq, offset(1e-6));
    int[] threes = new int[n];
    Arrays.fill(threes, 3);
    assertThat(spectr.plan(P_B, Q_B, threes).residual()).containsExactly(new double[] {1, 0, 0, 0}, offset(1e-12));
    Verifier greedyMd = Verifiers.of("greedy-md");
    assertThat(Exact.acceptance(greedyMd, P_B, Q_B, n)).isCloseTo(greedy, offset(1e-6));
    assertThat(OptimalAcceptance.expectedAcceptance(greedyMd, P_B, Q_B, n)).isCloseTo(greedy, offset(1e-6));
    assertThat(OptimalAcceptance.optimal(P_B, Q_B, n, DraftScheme.GREEDY)).isCloseTo(greedy, offset(1e-6));
    for (String name : new String[] {"spectr", "rrs", "rrs-wor", "greedy-md"}) {
      double[] law = Exact.law(Verifiers.of(name), P_B, Q_B, n);
      assertThat(Exact.maxAbsDifference(law, P_B)).as(name).isLessThan(1e-12);
    }
  }

  @Test
  void vectorBSingleDraftAndTheMaximizingPrefix() {
    assertThat(Exact.acceptance(Verifiers.of("standard"), P_B, Q_B, 1)).isCloseTo(0.6, offset(1e-12));
    // ascending p/q: tokens 3, 2, 1, 0; without replacement (n = 2) the best prefix is {3, 2, 1}
    double[] contained = OptimalAcceptance.containedWithoutReplacement(Q_B, new int[] {3, 2, 1, 0}, 2);
    assertThat(contained[3]).isCloseTo(0.765476, offset(1e-6));
    assertThat(contained[3] - 0.6).isCloseTo(0.165476, offset(1e-6));
    assertThat(1 - (contained[3] - 0.6)).isCloseTo(0.834524, offset(1e-6));
  }
}
