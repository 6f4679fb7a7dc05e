package org.fewstep.data.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.fewstep.data.rl.AdditionReasoner.Problem;
import org.fewstep.data.rl.AdditionReasoner.Response;
import org.junit.jupiter.api.Test;

/** The trainable reasoner of the GVM experiment: exact gradient, exact success probability, its law. */
class AdditionReasonerTest {

  private static AdditionReasoner random(Rng rng) {
    double[] t = new double[AdditionReasoner.PARAMETERS];
    for (int k = 0; k < t.length; k++) {
      t[k] = rng.nextGaussian();
    }
    return new AdditionReasoner(t);
  }

  @Test
  void featuresOfAHandExample() {
    Problem x = new Problem(new int[] {58, 47, 9, 30});
    // 58 + 47: units 8 + 7 carry, 47 ends in 7, 58 < 100; 105 + 9: 5 + 9 carry, 9 near ten, big; 114 + 30: no carry
    assertThat(x.features(0)).containsExactly(1, 1, 1, 0);
    assertThat(x.features(1)).containsExactly(1, 1, 1, 1);
    assertThat(x.features(2)).containsExactly(1, 0, 0, 1);
    assertThat(x.sum()).isEqualTo(144);
    assertThat(x.lines()).isEqualTo(3);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Rng rng = new Rng(3);
    List<Problem> problems = AdditionReasoner.problems(6, 17);
    for (int trial = 0; trial < 12; trial++) {
      AdditionReasoner policy = random(rng);
      Problem x = problems.get(trial % problems.size());
      Response y = policy.sample(x, rng);
      double[] g = policy.negLogProbabilityGradient(x, y);
      double h = 1e-5;
      for (int k = 0; k < AdditionReasoner.PARAMETERS; k++) {
        double[] e = new double[AdditionReasoner.PARAMETERS];
        e[k] = 1;
        double fd = -(policy.moved(h, e).logProbability(x, y) - policy.moved(-h, e).logProbability(x, y)) / (2 * h);
        assertThat(g[k]).as("trial %d parameter %d", trial, k).isCloseTo(fd, within(1e-7));
      }
    }
  }

  @Test
  void groupedPolicyGradientMatchesFiniteDifferencesAndStaysInItsBlock() {
    Rng rng = new Rng(21);
    int groups = 4;
    List<Problem> problems = AdditionReasoner.problems(8, 23, 2, 25, groups);
    for (int trial = 0; trial < 8; trial++) {
      double[] t = new double[groups * AdditionReasoner.PARAMETERS];
      for (int k = 0; k < t.length; k++) {
        t[k] = rng.nextGaussian();
      }
      AdditionReasoner policy = new AdditionReasoner(groups, t);
      Problem x = problems.get(trial);
      Response y = policy.sample(x, rng);
      double[] g = policy.negLogProbabilityGradient(x, y);
      assertThat(g).hasSize(policy.parameterCount());
      double h = 1e-5;
      for (int k = 0; k < t.length; k++) {
        double[] e = new double[t.length];
        e[k] = 1;
        double fd = -(policy.moved(h, e).logProbability(x, y) - policy.moved(-h, e).logProbability(x, y)) / (2 * h);
        assertThat(g[k]).as("trial %d parameter %d", trial, k).isCloseTo(fd, within(1e-7));
        if (k / AdditionReasoner.PARAMETERS != x.group()) {
          assertThat(g[k]).isEqualTo(0.0);
        }
      }
    }
  }

  @Test
  void groupedPolicyOfOneBlockIsTheSharedPolicyAndGroupsFollowLength() {
    Rng rng = new Rng(5);
    AdditionReasoner shared = random(rng);
    double[] two = new double[2 * AdditionReasoner.PARAMETERS];
    double[] block = shared.parameters();
    System.arraycopy(block, 0, two, AdditionReasoner.PARAMETERS, block.length);
    AdditionReasoner grouped = new AdditionReasoner(2, two);
    Problem x = new Problem(new int[] {58, 47, 9, 30});
    Problem x1 = new Problem(new int[] {58, 47, 9, 30}, 1);
    assertThat(grouped.successProbability(x1)).isCloseTo(shared.successProbability(x), within(1e-15));
    assertThat(AdditionReasoner.initial(3).successProbability(new Problem(x.terms(), 2)))
        .isCloseTo(AdditionReasoner.initial().successProbability(x), within(1e-15));
    // the default problem set is unchanged, and groups cut the term counts into equal ranges
    List<Problem> a = AdditionReasoner.problems(20, 9);
    List<Problem> b = AdditionReasoner.problems(20, 9, 3, 12, 1);
    for (int i = 0; i < 20; i++) {
      assertThat(a.get(i).terms()).containsExactly(b.get(i).terms());
    }
    for (Problem p : AdditionReasoner.problems(200, 9, 2, 25, 8)) {
      assertThat(p.group()).isEqualTo((p.terms().length - 2) / 3);
    }
    assertThatThrownBy(() -> grouped.successProbability(new Problem(x.terms(), 2))).isInstanceOf(BadInputException.class)
        .hasMessageContaining("group = 2");
    assertThatThrownBy(() -> AdditionReasoner.problems(4, 1, 3, 5, 4)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("groups = 4");
    assertThatThrownBy(() -> new AdditionReasoner(2, new double[AdditionReasoner.PARAMETERS]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("theta length");
  }

  @Test
  void twoLineSuccessProbabilityInClosedForm() {
    // right with probability r_l per line; wrong lines cancel when d2 = -d1: P = r1 r2 + (1-r1)(1-r2)/100
    Rng rng = new Rng(8);
    Problem x = new Problem(new int[] {38, 57, 66});
    for (int trial = 0; trial < 5; trial++) {
      AdditionReasoner policy = random(rng);
      double[] r = new double[2];
      for (int l = 0; l < 2; l++) {
        double[] phi = x.features(l);
        double[] pi = policy.methodProbabilities(phi);
        for (int m = 0; m < AdditionReasoner.METHODS; m++) {
          r[l] += pi[m] * (1 - AdditionReasoner.slipProbability(m, phi));
        }
      }
      assertThat(policy.successProbability(x)).isCloseTo(r[0] * r[1] + (1 - r[0]) * (1 - r[1]) / 100, within(1e-15));
    }
  }

  @Test
  void successProbabilityMatchesANaiveConvolution() {
    Rng rng = new Rng(4);
    for (Problem x : AdditionReasoner.problems(5, 99)) {
      AdditionReasoner policy = random(rng);
      int w = AdditionReasoner.MAX_SLIP;
      int size = 2 * w * x.lines() + 1;
      double[] dist = new double[size];
      dist[size / 2] = 1;
      for (int l = 0; l < x.lines(); l++) {
        double[] phi = x.features(l);
        double[] pi = policy.methodProbabilities(phi);
        double[] next = new double[size];
        for (int o = 0; o < size; o++) {
          if (dist[o] == 0) {
            continue;
          }
          for (int m = 0; m < AdditionReasoner.METHODS; m++) {
            double eps = AdditionReasoner.slipProbability(m, phi);
            next[o] += dist[o] * pi[m] * (1 - eps);
            for (int d = 1; d <= w; d++) {
              next[o + d] += dist[o] * pi[m] * eps / (2 * w);
              next[o - d] += dist[o] * pi[m] * eps / (2 * w);
            }
          }
        }
        dist = next;
      }
      assertThat(policy.successProbability(x)).as("%s", x).isCloseTo(dist[size / 2], within(1e-13));
    }
  }

  @Test
  void samplesFollowTheExactLaw() {
    // 200 000 draws of a 5-line sum at the starting policy: the first line's (method, slipped) by chi-square,
    // and the verified fraction against the exact success probability (binomial z-score)
    AdditionReasoner policy = AdditionReasoner.initial();
    Problem x = new Problem(new int[] {58, 47, 9, 30, 61, 25});
    Rng rng = new Rng(2026);
    int draws = 200_000;
    long[] cells = new long[2 * AdditionReasoner.METHODS];
    int correct = 0;
    for (int k = 0; k < draws; k++) {
      Response y = policy.sample(x, rng);
      cells[2 * y.methods()[0] + (y.errors()[0] != 0 ? 1 : 0)]++;
      correct += x.correct(y) ? 1 : 0;
      assertThat(y.answer() - x.sum()).isEqualTo(java.util.Arrays.stream(y.errors()).sum());
    }
    double[] phi = x.features(0);
    double[] pi = policy.methodProbabilities(phi);
    double[] expected = new double[cells.length];
    for (int m = 0; m < AdditionReasoner.METHODS; m++) {
      double eps = AdditionReasoner.slipProbability(m, phi);
      expected[2 * m] = pi[m] * (1 - eps);
      expected[2 * m + 1] = pi[m] * eps;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(cells, expected)).isGreaterThan(1e-3);
    double p = policy.successProbability(x);
    double z = (correct - draws * p) / Math.sqrt(draws * p * (1 - p));
    assertThat(Math.abs(z)).as("verified %d of %d, exact %s", correct, draws, p).isLessThan(4);
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> new AdditionReasoner(new double[5])).isInstanceOf(BadInputException.class)
        .hasMessageContaining("theta length = 5");
    double[] t = new double[AdditionReasoner.PARAMETERS];
    t[3] = Double.NaN;
    assertThatThrownBy(() -> new AdditionReasoner(t)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("theta[3] = NaN");
    assertThatThrownBy(() -> new Problem(new int[] {4})).isInstanceOf(BadInputException.class)
        .hasMessageContaining("number of terms = 1");
  }
}
