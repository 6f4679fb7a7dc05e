package org.fewstep.text.masked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.text.model.HiddenMarkovModel;
import org.fewstep.text.model.HmmMaskedLm;
import org.fewstep.text.model.LanguageModels;
import org.junit.jupiter.api.Test;

class HmmMaskedLmTest {

  /** Brute force: p(x_i = v | the unmasked positions other than i), by summing the enumerated joint. */
  private static double[] bruteForce(HmmMaskedLm m, double[] joint, int[] x, int i) {
    int v = m.symbols();
    double[] out = new double[v];
    int[] y = new int[x.length];
    for (int k = 0; k < joint.length; k++) {
      for (int j = x.length - 1, rest = k; j >= 0; j--, rest /= v) {
        y[j] = rest % v;
      }
      boolean agrees = true;
      for (int j = 0; j < x.length; j++) {
        if (j != i && x[j] != m.maskId() && x[j] != y[j]) {
          agrees = false;
        }
      }
      if (agrees) {
        out[y[i]] += joint[k];
      }
    }
    double total = Arrays.stream(out).sum();
    for (int s = 0; s < v; s++) {
      out[s] /= total;
    }
    return out;
  }

  @Test
  void conditionalsEqualTheEnumeratedJointAtMaskedAndUnmaskedPositions() {
    HmmMaskedLm m = MaskedTestModels.motif();
    int length = 5;
    double[] joint = m.joint(length);
    assertThat(Arrays.stream(joint).sum()).isCloseTo(1, within(1e-12));
    Rng rng = new Rng(3);
    for (int trial = 0; trial < 20; trial++) {
      int[] x = m.sample(length, rng);
      for (int j = 0; j < length; j++) {
        if (rng.nextDouble() < 0.5) {
          x[j] = m.maskId();
        }
      }
      double[][] out = {new double[length * m.vocabSize()]};
      m.logits(new int[][] {x}, 0, length, out);
      for (int i = 0; i < length; i++) {
        double[] expected = bruteForce(m, joint, x, i);
        for (int v = 0; v < m.symbols(); v++) {
          assertThat(Math.exp(out[0][i * m.vocabSize() + v])).isCloseTo(expected[v], within(1e-12));
        }
      }
    }
  }

  @Test
  void aWindowGivesTheSameLogitsAsTheWholeSequence() {
    HmmMaskedLm m = MaskedTestModels.motif();
    int[] x = m.sample(12, new Rng(5));
    x[3] = x[4] = x[9] = m.maskId();
    int vocab = m.vocabSize();
    double[][] all = {new double[12 * vocab]};
    double[][] window = {new double[3 * vocab]};
    m.logits(new int[][] {x}, 0, 12, all);
    m.logits(new int[][] {x}, 4, 7, window);
    assertThat(window[0]).containsExactly(Arrays.copyOfRange(all[0], 4 * vocab, 7 * vocab));
  }

  @Test
  void samplesFollowTheJoint() {
    HmmMaskedLm m = MaskedTestModels.motif();
    double[] joint = m.joint(3);
    long[] counts = new long[joint.length];
    Rng rng = new Rng(11);
    for (int n = 0; n < 60_000; n++) {
      counts[m.index(m.sample(3, rng))]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, joint)).isGreaterThan(1e-3);
  }

  @Test
  void anHmmWithAnEndTokenConditionsOnGoingOnAndNeverPredictsTheEnd() {
    HiddenMarkovModel weather = (HiddenMarkovModel) LanguageModels.create("weather-hmm");
    HmmMaskedLm m = weather.masked();
    assertThat(m.vocabSize()).isEqualTo(4);
    double[] joint = m.joint(4);
    assertThat(Arrays.stream(joint).sum()).isCloseTo(1, within(1e-12));
    double[][] out = {new double[4 * 4]};
    m.logits(new int[][] {MaskedTestModels.masks(4, m.maskId())}, 0, 4, out);
    for (int i = 0; i < 4; i++) {
      assertThat(out[0][i * 4 + 3]).isEqualTo(Double.NEGATIVE_INFINITY);
    }
    // the first position's marginal from the enumerated joint
    double walk = 0;
    for (int k = 0; k < joint.length; k++) {
      if (k / 27 == 0) {
        walk += joint[k];
      }
    }
    assertThat(Math.exp(out[0][0])).isCloseTo(walk, within(1e-12));
  }

  @Test
  void impossibleEvidenceAndBadTokensAreClearErrors() {
    HmmMaskedLm m = HiddenMarkovModel.fromJson("""
        {"vocab": ["a", "b"], "initial": [1, 0], "transition": [[0, 1], [0, 1]],
         "emission": [[1, 0], [0, 1]]}""").masked();
    double[][] out = {new double[3 * 2]};
    assertThatThrownBy(() -> m.logits(new int[][] {{1, m.maskId(), m.maskId()}}, 0, 3, out))
        .isInstanceOf(BadInputException.class).hasMessageContaining("x[0]").hasMessageContaining("probability 0");
    assertThatThrownBy(() -> m.logits(new int[][] {{7, m.maskId(), m.maskId()}}, 0, 3, out))
        .isInstanceOf(BadInputException.class).hasMessageContaining("x[0][0]").hasMessageContaining("7");
    assertThatThrownBy(() -> m.logits(new int[][] {{0, 1, 1}}, 2, 5, out))
        .isInstanceOf(BadInputException.class).hasMessageContaining("positions");
    assertThatThrownBy(() -> m.joint(30)).isInstanceOf(BadInputException.class).hasMessageContaining("length");
  }
}
