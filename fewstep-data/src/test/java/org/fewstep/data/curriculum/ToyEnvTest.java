package org.fewstep.data.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** Section 11 (d, f): the ToyEnv rules of teachDRL/toy_env/toy_env.py on hand cases. */
class ToyEnvTest {

  private static void repeat(ToyEnv env, double[] task, int times) {
    for (int i = 0; i < times; i++) {
      env.episode(task);
    }
  }

  @Test
  void cellsFollowNumpyEdges() {
    ToyEnv env = ToyEnv.paper();
    assertThat(env.cellIndex(0.0)).isZero();
    assertThat(env.cellIndex(0.0999)).isZero();
    assertThat(env.cellIndex(0.1)).isEqualTo(1); // an inner edge belongs to the upper cell
    assertThat(env.cellIndex(0.3)).isEqualTo(2); // the edge is 3 * 0.1 = 0.30000000000000004 > 0.3
    assertThat(env.cellIndex(0.30000000000000004)).isEqualTo(3);
    assertThat(env.cellIndex(0.95)).isEqualTo(9);
    assertThat(env.cellIndex(1.0)).isEqualTo(9); // the right end belongs to the last cell
  }

  @Test
  void onlyTheOriginCellLearnsFromScratch() {
    ToyEnv env = ToyEnv.paper();
    assertThat(env.episode(new double[] {0.55, 0.55})).isZero();
    assertThat(env.episode(new double[] {0.15, 0.05})).isZero();
    assertThat(env.competence(5, 5)).isZero();
    assertThat(env.competence(1, 0)).isZero();
    assertThat(env.episode(new double[] {0.05, 0.02})).isEqualTo(0.01);
    assertThat(env.episode(new double[] {0.0, 0.0999})).isEqualTo(0.02);
    assertThat(env.competence(0, 0)).isEqualTo(2);
  }

  @Test
  void aPreviousNeighbourAtSeventyFiveUnlocksAndMasteryNeedsMoreThanSeventyFive() {
    ToyEnv env = ToyEnv.paper();
    double[] origin = {0.05, 0.05};
    repeat(env, origin, 74);
    assertThat(env.episode(new double[] {0.15, 0.05})).isZero(); // (1, 0) locked: origin at 74
    assertThat(env.episode(origin)).isEqualTo(0.75);
    assertThat(env.masteredPercent()).isZero(); // 75 is not > 75
    assertThat(env.episode(new double[] {0.15, 0.05})).isEqualTo(0.01); // (1, 0): left neighbour at 75
    assertThat(env.episode(new double[] {0.05, 0.15})).isEqualTo(0.01); // (0, 1): lower neighbour
    assertThat(env.episode(new double[] {0.15, 0.15})).isEqualTo(0.01); // (1, 1): the diagonal counts
    assertThat(env.episode(new double[] {0.25, 0.05})).isZero(); // (2, 0): its predecessor (1, 0) is at 1
    assertThat(env.episode(new double[] {0.05, 0.25})).isZero(); // (0, 2)
    env.episode(origin);
    assertThat(env.masteredPercent()).isEqualTo(1.0); // one cell of 100 above 75
  }

  @Test
  void successorsAreNotNeighboursAndCompetenceCapsAtOneHundred() {
    ToyEnv env = ToyEnv.paper();
    double[] middle = {0.55, 0.55}; // cell (5, 5)
    // unlock a chain along the diagonal (0,0) -> (1,1) -> ... -> (5,5)
    for (int c = 0; c <= 5; c++) {
      repeat(env, new double[] {c / 10.0 + 0.05, c / 10.0 + 0.05}, 75);
      assertThat(env.competence(c, c)).isEqualTo(75);
    }
    // (4, 6) has predecessors (3,5), (4,5), (3,6): all 0, while its "successor" (5, 5)... is not its predecessor
    assertThat(env.episode(new double[] {0.45, 0.65})).isZero();
    // (6, 5) has predecessor (5, 5) at 75 and (5, 4) at 0: unlocked
    assertThat(env.episode(new double[] {0.65, 0.55})).isEqualTo(0.01);
    repeat(env, middle, 40);
    assertThat(env.competence(5, 5)).isEqualTo(100);
    assertThat(env.episode(middle)).isEqualTo(1.0);
    assertThat(env.masteredPercent()).isEqualTo(1.0); // only (5, 5) is above 75
    env.reset();
    assertThat(env.competence(5, 5)).isZero();
  }

  @Test
  void extraCoordinatesAreIgnoredAndThreeDimensionsWork() {
    ToyEnv env = new ToyEnv(10, 2);
    assertThat(env.episode(new double[] {0.01, 0.01, 0.99, 0.5})).isEqualTo(0.01);
    ToyEnv cube = new ToyEnv(4, 3); // cells of side 0.25
    repeat(cube, new double[] {0.1, 0.1, 0.1}, 75);
    assertThat(cube.episode(new double[] {0.3, 0.3, 0.3})).isEqualTo(0.01); // (1,1,1) via the diagonal
    assertThat(cube.episode(new double[] {0.3, 0.6, 0.1})).isZero(); // (1,2,0): predecessors all 0
    assertThat(cube.competence(0, 0, 0)).isEqualTo(75);
  }

  @Test
  void badInputIsAClearError() {
    ToyEnv env = ToyEnv.paper();
    assertThatThrownBy(() -> env.episode(new double[] {0.5, 1.01}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task[1] = 1.01");
    assertThatThrownBy(() -> env.episode(new double[] {Double.NaN, 0.2}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task[0] = NaN");
    assertThatThrownBy(() -> env.episode(new double[] {0.5}))
        .isInstanceOf(BadInputException.class).hasMessageContaining("task length = 1");
    assertThatThrownBy(() -> new ToyEnv(0, 2)).isInstanceOf(BadInputException.class).hasMessageContaining("cells-per-side");
    assertThatThrownBy(() -> env.competence(10, 0)).isInstanceOf(BadInputException.class);
  }
}
