package org.fewstep.data.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.fewstep.core.BadInputException;
import org.junit.jupiter.api.Test;

/** The compressed learning-rate schedules of RS2 (Okanovic et al., ICLR 2024). */
class CosineScheduleTest {

  @Test
  void iterationsUseDropLast() {
    assertThat(CosineSchedule.iterations(200, 5000, 128)).isEqualTo(200L * 39);
    assertThat(CosineSchedule.forRounds(3, 25, 10).totalIterations()).isEqualTo(6);
  }

  @Test
  void cosineMatchesClosedFormAndEndsAtMinLr() {
    CosineSchedule s = CosineSchedule.forRounds(200, 5000, 128);
    long t = 200L * 39;
    assertThat(s.at(0)).isEqualTo(0.1);
    assertThat(s.at(t / 2)).isCloseTo(0.1 / 2 + 1e-4 / 2, within(1e-12));
    for (long i : new long[] {1, 17, 1000, 4321, t - 1}) {
      double expected = 1e-4 + (0.1 - 1e-4) * 0.5 * (1 + Math.cos(Math.PI * i / t));
      assertThat(s.at(i)).isCloseTo(expected, within(1e-15));
    }
    assertThat(s.at(t)).isCloseTo(1e-4, within(1e-18));
    assertThat(s.at(t - 1) - 1e-4).isBetween(0.0, (0.1 - 1e-4) * Math.PI * Math.PI / (4.0 * t * t));
    for (long i = 1; i <= t; i++) {
      assertThat(s.at(i)).isLessThan(s.at(i - 1));
    }
  }

  @Test
  void cosineMatchesPyTorchRecursiveForm() {
    // CosineAnnealingLR's recursive update, as PyTorch applies it step by step
    CosineSchedule s = new CosineSchedule(0.1, 1e-4, 50);
    double lr = 0.1;
    for (int i = 1; i <= 50; i++) {
      lr = 1e-4 + (1 + Math.cos(Math.PI * i / 50)) / (1 + Math.cos(Math.PI * (i - 1) / 50)) * (lr - 1e-4);
      if (i < 50) {
        assertThat(s.at(i)).isCloseTo(lr, within(1e-12));
      }
    }
  }

  @Test
  void stepScheduleDecaysByGammaEveryStep() {
    StepSchedule s = StepSchedule.forRounds(2, 25, 10, 0.1, StepSchedule.DEFAULT_GAMMA);
    assertThat(s.stepIterations()).isEqualTo(4);
    assertThat(s.at(0)).isEqualTo(0.1);
    assertThat(s.at(3)).isEqualTo(0.1);
    assertThat(s.at(4)).isCloseTo(0.01, within(1e-15));
    assertThat(s.at(11)).isCloseTo(0.001, within(1e-16));
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(() -> CosineSchedule.forRounds(10, 100, 128)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("batch = 128").hasMessageContaining("round size 100");
    assertThatThrownBy(() -> CosineSchedule.forRounds(0, 100, 10)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("rounds = 0");
    assertThatThrownBy(() -> new CosineSchedule(0.1, 0.2, 10)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("minLr");
    assertThatThrownBy(() -> new CosineSchedule(0.1, 1e-4, 10).at(11)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("iteration = 11");
    assertThatThrownBy(() -> new StepSchedule(0.1, 0, 10)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("gamma");
  }
}
