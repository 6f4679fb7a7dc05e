package org.fewstep.text.speculative;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.junit.jupiter.api.Test;

/**
 * The sampling paths against exact laws, by Pearson's chi-square test with a fixed seed (p-value
 * above 1e-4; N = 200,000 draws each): the schemes' candidate tuples against their enumerated
 * probabilities, {@code verify}'s outcome against its plan's law, and the emitted token of drafting
 * plus verifying against p.
 */
class DraftsTest {
  static final double[] P = {0.35, 0.05, 0.3, 0, 0.3};
  static final double[] Q = {0.1, 0.25, 0, 0.4, 0.25};
  static final int N = 200_000;

  @Test
  void schemesDrawTheirExactLaws() {
    for (DraftScheme scheme : DraftScheme.values()) {
      int k = 3;
      List<Exact.Draw> draws = Exact.draws(scheme, Q, k);
      Map<Integer, Integer> cells = new HashMap<>();
      double[] expected = new double[draws.size()];
      for (Exact.Draw d : draws) {
        expected[cells.size()] = d.probability();
        cells.put(code(d.candidates()), cells.size());
      }
      long[] counts = new long[draws.size()];
      Rng rng = new Rng(scheme.ordinal() + 1);
      for (int i = 0; i < N; i++) {
        Integer cell = cells.get(code(scheme.draw(Q, k, rng)));
        assertThat(cell).as("%s drew a tuple of probability zero", scheme).isNotNull();
        counts[cell]++;
      }
      assertThat(GoodnessOfFit.chiSquarePValue(counts, expected)).as(scheme.toString()).isGreaterThan(1e-4);
    }
  }

  /** The tuple as a number in base |V|. */
  static int code(int[] tuple) {
    int code = 0;
    for (int x : tuple) {
      code = code * Q.length + x;
    }
    return code;
  }

  /** Outcome cells: "candidate i continues" for each i, then "residual token x" for each x. */
  @Test
  void verifyFollowsItsPlan() {
    int[][] candidates = {{3}, {3, 1, 3}, {3, 1, 3}, {4, 3, 0}, {3, 1, 0}};
    String[] names = {"standard", "spectr", "rrs", "rrs-wor", "greedy-md"};
    for (int v = 0; v < names.length; v++) {
      Verifier verifier = Verifiers.of(names[v]);
      int[] c = candidates[v];
      Plan plan = verifier.plan(P, Q, c);
      double[] expected = new double[c.length + P.length];
      double reach = 1;
      for (int j = 0; j < plan.order().length; j++) {
        expected[plan.order()[j]] += reach * plan.accept()[j];
        reach *= 1 - plan.accept()[j];
      }
      for (int x = 0; x < P.length && plan.residual() != null; x++) {
        expected[c.length + x] = reach * plan.residual()[x];
      }
      long[] counts = new long[expected.length];
      Rng rng = new Rng(100 + v);
      for (int i = 0; i < N; i++) {
        Verdict verdict = verifier.verify(P, Q, c, rng);
        if (verdict.accepted() >= 0) {
          assertThat(verdict.token()).isEqualTo(c[verdict.accepted()]);
        }
        counts[verdict.accepted() >= 0 ? verdict.accepted() : c.length + verdict.token()]++;
      }
      assertThat(GoodnessOfFit.chiSquarePValue(counts, expected)).as(names[v]).isGreaterThan(1e-4);
    }
  }

  @Test
  void draftingThenVerifyingEmitsP() {
    for (String name : Verifiers.names()) {
      Verifier verifier = Verifiers.of(name);
      int k = name.equals("standard") ? 1 : 3;
      long[] counts = new long[P.length];
      Rng rng = new Rng(name.hashCode());
      for (int i = 0; i < N; i++) {
        counts[verifier.verify(P, Q, verifier.scheme().draw(Q, k, rng), rng).token()]++;
      }
      assertThat(GoodnessOfFit.chiSquarePValue(counts, P)).as(name).isGreaterThan(1e-4);
    }
  }

  @Test
  void greedyDrawsTheLargestFirstWithTiesToTheLowerId() {
    double[] q = {0.2, 0.3, 0.2, 0.1, 0.2};
    int[] drawn = DraftScheme.GREEDY.draw(q, 3, new Rng(3));
    assertThat(drawn[0]).isEqualTo(1);
    assertThat(drawn[1]).isEqualTo(0);
    assertThat(drawn[2]).isIn(2, 3, 4);
    assertThat(Drafts.largest(q, 4)).containsExactly(1, 0, 2, 4);
    assertThat(Drafts.largest(q, 0)).isEmpty();
  }

  @Test
  void sameSeedSameDraws() {
    for (DraftScheme scheme : DraftScheme.values()) {
      assertThat(scheme.draw(Q, 3, new Rng(5))).containsExactly(scheme.draw(Q, 3, new Rng(5)));
    }
  }

  @Test
  void distinctDrawsNeedEnoughTokens() {
    assertThatThrownBy(() -> DraftScheme.WITHOUT_REPLACEMENT.draw(Q, 5, new Rng(1)))
        .isInstanceOf(BadInputException.class)
        .hasMessage("k = 5: expected at most 4, the number of tokens with q > 0 (the WITHOUT_REPLACEMENT scheme"
            + " draws distinct candidates)");
    assertThatThrownBy(() -> DraftScheme.GREEDY.draw(Q, 5, new Rng(1))).hasMessageContaining("GREEDY");
    assertThat(DraftScheme.IID.draw(Q, 5, new Rng(1))).hasSize(5);
    assertThatThrownBy(() -> DraftScheme.IID.draw(Q, 0, new Rng(1))).hasMessage("k = 0: expected an integer >= 1");
    assertThatThrownBy(() -> DraftScheme.IID.draw(new double[] {0.5, 0.4}, 1, new Rng(1)))
        .hasMessageStartingWith("sum of q = 0.9");
  }
}
