package org.fewstep.data.rl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.GoodnessOfFit;
import org.junit.jupiter.api.Test;

/** Oracles of discrete-and-data.md section 10 (f) for trajectory weighting (Hong et al., ICLR 2023). */
class TrajectoryWeightingTest {

  /** A trajectory of the given rewards starting in the 2-feature state {@code s0}. */
  private static Trajectory traj(double[] s0, double... rewards) {
    double[][] states = new double[rewards.length][];
    for (int t = 0; t < rewards.length; t++) {
      states[t] = t == 0 ? s0 : new double[] {t, -t};
    }
    return new Trajectory(states, new int[rewards.length], rewards);
  }

  /** Random data: n trajectories, lengths 1..6, rewards in [0, 1), initial states in [0, 1)^2. */
  private static TrajectoryDataset random(int n, long seed) {
    Rng rng = new Rng(seed);
    List<Trajectory> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] r = new double[1 + rng.nextInt(6)];
      for (int t = 0; t < r.length; t++) {
        r[t] = rng.nextDouble();
      }
      list.add(traj(new double[] {rng.nextDouble(), rng.nextDouble()}, r));
    }
    return TrajectoryDataset.of(list);
  }

  private static final List<TrajectoryWeighting> SCHEMES = List.of(TrajectoryWeighting.uniform(),
      TrajectoryWeighting.returnWeighted(0.1), TrajectoryWeighting.advantageWeighted(0.1),
      TrajectoryWeighting.topK(0.1), TrajectoryWeighting.returnWeighted(3), TrajectoryWeighting.topK(0.5));

  @Test
  void probabilitiesSumToOneAndAreEqualWithinATrajectory() {
    for (long seed = 1; seed <= 5; seed++) {
      TrajectoryDataset data = random(40, seed);
      for (TrajectoryWeighting w : SCHEMES) {
        TransitionWeights tw = w.weights(data);
        double[] p = tw.transitionProbabilities();
        assertThat(Arrays.stream(p).sum()).as("%s", w).isCloseTo(1, within(1e-12));
        for (int i = 0; i < data.trajectoryCount(); i++) {
          for (int t = 0; t < data.trajectory(i).length(); t++) {
            assertThat(p[data.start(i) + t]).isEqualTo(p[data.start(i)]);
            assertThat(data.trajectoryOf(data.start(i) + t)).isEqualTo(i);
            assertThat(data.stepOf(data.start(i) + t)).isEqualTo(t);
          }
        }
      }
    }
  }

  @Test
  void rwMatchesTheClosedFormOnAHandExample() {
    // returns 0, 1, 3 (normalised 0, 1/3, 1), lengths 1, 2, 1; alpha 0.5: w = 1, e^(2/3), e^2
    TrajectoryDataset data = TrajectoryDataset.of(List.of(traj(new double[] {0, 0}, 0.0),
        traj(new double[] {1, 0}, 0.5, 0.5), traj(new double[] {0, 1}, 3.0)));
    TransitionWeights tw = TrajectoryWeighting.returnWeighted(0.5).weights(data);
    double z = 1 + 2 * Math.exp(2.0 / 3) + Math.exp(2);
    assertThat(tw.perTransition(0)).isCloseTo(1 / z, within(1e-15));
    assertThat(tw.perTransition(1)).isCloseTo(Math.exp(2.0 / 3) / z, within(1e-15));
    assertThat(tw.trajectoryProbability(1)).isCloseTo(2 * Math.exp(2.0 / 3) / z, within(1e-15));
    assertThat(tw.perTransition(2)).isCloseTo(Math.exp(2) / z, within(1e-15));
  }

  @Test
  void largeTemperatureIsUniformOverTransitions() {
    TrajectoryDataset data = random(30, 7);
    double uniform = 1.0 / data.transitionCount();
    for (TrajectoryWeighting w : List.of(TrajectoryWeighting.returnWeighted(1e12), TrajectoryWeighting.advantageWeighted(1e12))) {
      for (double p : w.weights(data).transitionProbabilities()) {
        assertThat(p).isCloseTo(uniform, within(1e-9 * uniform));
      }
    }
    for (double p : TrajectoryWeighting.uniform().weights(data).transitionProbabilities()) {
      assertThat(p).isCloseTo(uniform, within(1e-15));
    }
  }

  @Test
  void smallTemperaturePutsAllMassOnTheBestTrajectoryAndSplitsTiesByLength() {
    TrajectoryDataset data = random(30, 8);
    double[] g = data.returns();
    int best = 0;
    for (int i = 1; i < g.length; i++) {
      best = g[i] > g[best] ? i : best;
    }
    TransitionWeights tw = TrajectoryWeighting.returnWeighted(1e-6).weights(data);
    assertThat(tw.trajectoryProbability(best)).isCloseTo(1, within(1e-12));
    // ties: returns 2 (length 1), 2 (length 3), 1, 0 -> the two best share the mass 1:3 by transitions
    TrajectoryDataset tied = TrajectoryDataset.of(List.of(traj(new double[] {0, 0}, 2.0), traj(new double[] {1, 1}, 1, 0.5, 0.5),
        traj(new double[] {2, 0}, 1.0), traj(new double[] {0, 3}, 0.0)));
    TransitionWeights tt = TrajectoryWeighting.returnWeighted(1e-6).weights(tied);
    assertThat(tt.trajectoryProbabilities()).containsExactly(new double[] {0.25, 0.75, 0, 0}, within(1e-12));
  }

  @Test
  void constantValueFitMakesAwEqualRw() {
    // every trajectory starts in the same state: V̂ is the mean return, A = G - mean normalises like G
    Rng rng = new Rng(3);
    List<Trajectory> list = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      double[] r = new double[1 + rng.nextInt(5)];
      for (int t = 0; t < r.length; t++) {
        r[t] = rng.nextGaussian();
      }
      list.add(traj(new double[] {0.7, -2}, r));
    }
    TrajectoryDataset data = TrajectoryDataset.of(list);
    double mean = Arrays.stream(data.returns()).average().orElseThrow();
    for (double v : TrajectoryWeighting.fittedValues(data.initialStates(), data.returns())) {
      assertThat(v).isCloseTo(mean, within(1e-12));
    }
    for (double alpha : new double[] {0.1, 1, 10}) {
      double[] aw = TrajectoryWeighting.advantageWeighted(alpha).weights(data).transitionProbabilities();
      double[] rw = TrajectoryWeighting.returnWeighted(alpha).weights(data).transitionProbabilities();
      assertThat(aw).containsExactly(rw, within(1e-12));
    }
  }

  @Test
  void awSubtractsTheLeastSquaresFitOfReturnsOnInitialStates() {
    // G = 1 + 2 x1 - x2 exactly for three trajectories, plus one off the plane by +1 at (1, 1)
    TrajectoryDataset data = TrajectoryDataset.of(List.of(traj(new double[] {0, 0}, 1.0), traj(new double[] {1, 0}, 3.0),
        traj(new double[] {0, 1}, 0.0), traj(new double[] {1, 1}, 3.0)));
    double[] v = TrajectoryWeighting.fittedValues(data.initialStates(), data.returns());
    // the least-squares plane through the 2x2 design with residual +1 at (1,1): residuals -1/4, 1/4, 1/4, -1/4 flipped
    double[] residual = new double[4];
    for (int i = 0; i < 4; i++) {
      residual[i] = data.returns()[i] - v[i];
    }
    assertThat(residual).containsExactly(new double[] {0.25, -0.25, -0.25, 0.25}, within(1e-12));
    // A normalised: 1, 0, 0, 1 -> two trajectories of length 1 with e^(1/alpha), two with 1
    TransitionWeights tw = TrajectoryWeighting.advantageWeighted(0.5).weights(data);
    double z = 2 + 2 * Math.exp(2);
    assertThat(tw.trajectoryProbabilities()).containsExactly(
        new double[] {Math.exp(2) / z, 1 / z, 1 / z, Math.exp(2) / z}, within(1e-12));
  }

  @Test
  void weightedMeanReturnIsNonIncreasingInAlphaAndAtLeastUniform() {
    for (long seed = 11; seed <= 15; seed++) {
      TrajectoryDataset data = random(50, seed);
      double uniform = TrajectoryWeighting.uniform().weights(data).meanReturn();
      double previous = Double.POSITIVE_INFINITY;
      for (double alpha : new double[] {0.01, 0.03, 0.1, 0.3, 1, 3, 10, 100, 1e4}) {
        double mean = TrajectoryWeighting.returnWeighted(alpha).weights(data).meanReturn();
        assertThat(mean).isLessThanOrEqualTo(previous + 1e-12).isGreaterThanOrEqualTo(uniform - 1e-12);
        previous = mean;
      }
      assertThat(TrajectoryWeighting.returnWeighted(0.1).weights(data).meanReturn()).isGreaterThan(uniform);
    }
  }

  @Test
  void topKKeepsExactlyFloorPnTrajectoriesOfHighestReturn() {
    for (int n : new int[] {10, 19, 37, 100}) {
      TrajectoryDataset data = random(n, n);
      double[] g = data.returns();
      for (double p : new double[] {0.1, 0.25, 0.5, 1}) {
        int m = (int) Math.floor(p * n);
        TransitionWeights tw = TrajectoryWeighting.topK(p).weights(data);
        double[] sorted = g.clone();
        Arrays.sort(sorted);
        double cutoff = sorted[n - m];
        int kept = 0;
        for (int i = 0; i < n; i++) {
          if (tw.perTransition(i) > 0) {
            kept++;
            assertThat(g[i]).isGreaterThanOrEqualTo(cutoff);
            assertThat(tw.perTransition(i)).isCloseTo(1.0 / keptTransitions(data, tw), within(1e-15));
          }
        }
        assertThat(kept).as("n=%d p=%s", n, p).isEqualTo(m);
      }
    }
  }

  private static int keptTransitions(TrajectoryDataset data, TransitionWeights tw) {
    int total = 0;
    for (int i = 0; i < data.trajectoryCount(); i++) {
      total += tw.perTransition(i) > 0 ? data.trajectory(i).length() : 0;
    }
    return total;
  }

  @Test
  void equalReturnsGiveUniformWeightsInsteadOfNaN() {
    TrajectoryDataset data = TrajectoryDataset.of(List.of(traj(new double[] {0, 0}, 1.0, 1.0), traj(new double[] {1, 0}, 2.0),
        traj(new double[] {0, 5}, 0.5, 0.5, 1.0)));
    for (TrajectoryWeighting w : List.of(TrajectoryWeighting.returnWeighted(0.1), TrajectoryWeighting.advantageWeighted(0.1))) {
      for (double p : w.weights(data).transitionProbabilities()) {
        assertThat(p).isCloseTo(1.0 / 6, within(1e-15));
      }
    }
  }

  @Test
  void poolDrawsTransitionsWithTheirProbabilities() {
    // chi-square at a fixed seed: 20 000 pooled draws over the 13 transitions of 4 trajectories
    TrajectoryDataset data = TrajectoryDataset.of(List.of(traj(new double[] {0, 0}, 0.0, 0.0, 0.0),
        traj(new double[] {1, 0}, 1.0), traj(new double[] {0, 1}, 0.5, 0.25, 0.25, 0.1, 0.0), traj(new double[] {1, 1}, 0.3, 0.3, 0.3, 0.3)));
    TransitionWeights tw = TrajectoryWeighting.returnWeighted(0.5).weights(data);
    TransitionWeights.Pool pool = tw.pool(200, 100, new Rng(5));
    long[] counts = new long[data.transitionCount()];
    for (int i : pool.indices()) {
      counts[i]++;
    }
    assertThat(GoodnessOfFit.chiSquarePValue(counts, tw.transitionProbabilities())).isGreaterThan(1e-3);
    // batches come from the pool only
    boolean[] inPool = new boolean[data.transitionCount()];
    for (int i : pool.indices()) {
      inPool[i] = true;
    }
    Rng rng = new Rng(6);
    for (int b = 0; b < 50; b++) {
      int[] batch = pool.nextBatch(rng);
      assertThat(batch).hasSize(100);
      for (int i : batch) {
        assertThat(inPool[i]).isTrue();
      }
    }
  }

  @Test
  void parsesTheReferenceSamplerNames() {
    assertThat(TrajectoryWeighting.parse("RW-0.1")).isEqualTo(TrajectoryWeighting.returnWeighted(0.1));
    assertThat(TrajectoryWeighting.parse("aw")).isEqualTo(TrajectoryWeighting.advantageWeighted(0.1));
    assertThat(TrajectoryWeighting.parse("Top-0.2")).isEqualTo(TrajectoryWeighting.topK(0.2));
    assertThat(TrajectoryWeighting.parse("uniform")).isEqualTo(TrajectoryWeighting.uniform());
  }

  @Test
  void badInputIsAClearError() {
    assertThatThrownBy(() -> TrajectoryDataset.of(List.of())).isInstanceOf(BadInputException.class)
        .hasMessageContaining("trajectories").hasMessageContaining("at least one trajectory");
    assertThatThrownBy(() -> TrajectoryWeighting.returnWeighted(0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("temperature alpha = 0.0");
    assertThatThrownBy(() -> TrajectoryWeighting.advantageWeighted(-1)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("temperature alpha = -1.0");
    assertThatThrownBy(() -> TrajectoryWeighting.topK(0)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("top-k fraction p = 0.0").hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> TrajectoryWeighting.topK(1.5)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("top-k fraction p = 1.5");
    TrajectoryDataset five = random(5, 1);
    assertThatThrownBy(() -> TrajectoryWeighting.topK(0.1).weights(five)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("floor(p * n) = 0");
    assertThatThrownBy(() -> TrajectoryWeighting.parse("XW-1")).isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> new Trajectory(new double[0][], new int[0], new double[0]))
        .isInstanceOf(BadInputException.class).hasMessageContaining("trajectory length");
    assertThatThrownBy(() -> new Trajectory(new double[][] {{0}}, new int[] {0}, new double[] {Double.NaN}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("rewards[0]");
  }
}
