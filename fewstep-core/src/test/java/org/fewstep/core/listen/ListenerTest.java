package org.fewstep.core.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.NdArray;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link TrajectoryRecorder}, {@link StepListener#all} and {@link StepEvent}. Oracle: the
 * values fed in by hand (a recorder must keep copies, not the live arrays the sampler reuses) and the
 * exact order of forwarded calls.
 */
class ListenerTest {

  @Test
  void recorderKeepsCopiesOfTheLiveArrays() {
    TrajectoryRecorder recorder = new TrajectoryRecorder();
    StepEvent event = new StepEvent(); // reused for every step, as samplers do
    double[] state = {1, 2, 3};
    recorder.onStep(event.update(1, 2, 2, 0.5, 0.8, state, null));
    state[0] = 10; // sampler works in place
    state[2] = 30;
    recorder.onStep(event.update(2, 2, 4, 0.25, 0.3, state, null));
    state[1] = -99;

    assertThat(recorder.size()).isEqualTo(2);
    assertThat(recorder.state(0)).containsExactly(1, 2, 3);
    assertThat(recorder.state(1)).containsExactly(10, 2, 30);
    assertThat(recorder.time(0)).isEqualTo(0.5);
    assertThat(recorder.time(1)).isEqualTo(0.25);
    assertThat(recorder.noiseLevel(0)).isEqualTo(0.8);
    assertThat(recorder.noiseLevel(1)).isEqualTo(0.3);
    assertThat(recorder.nfe(0)).isEqualTo(2);
    assertThat(recorder.nfe(1)).isEqualTo(4);

    NdArray stacked = recorder.states();
    assertThat(stacked.shape()).containsExactly(2, 3);
    assertThat(stacked.data()).containsExactly(1, 2, 3, 10, 2, 30);
  }

  @Test
  void recorderKeepsCopiesOfEstimatesWhenAsked() {
    TrajectoryRecorder recorder = new TrajectoryRecorder(true);
    StepEvent event = new StepEvent();
    double[] state = {0, 0};
    double[] estimate = {5, 6};
    recorder.onStep(event.update(1, -1, 1, 0.9, Double.NaN, state, estimate));
    estimate[0] = 50;
    recorder.onStep(event.update(2, -1, 2, 0.1, Double.NaN, state, null));
    assertThat(recorder.estimate(0)).containsExactly(5, 6);
    assertThat(recorder.estimate(1)).isNull();
    assertThat(recorder.noiseLevel(0)).isNaN();
  }

  @Test
  void emptyRecorderStacksToAnEmptyArray() {
    NdArray none = new TrajectoryRecorder().states();
    assertThat(none.shape()).containsExactly(0, 0);
    assertThat(none.size()).isZero();
  }

  @Test
  void eventReturnsWhatWasSet() {
    double[] state = {1};
    double[] estimate = {2};
    StepEvent e = new StepEvent().update(3, 10, 7, 0.4, 1.5, state, estimate);
    assertThat(e.step()).isEqualTo(3);
    assertThat(e.steps()).isEqualTo(10);
    assertThat(e.nfe()).isEqualTo(7);
    assertThat(e.time()).isEqualTo(0.4);
    assertThat(e.noiseLevel()).isEqualTo(1.5);
    assertThat(e.state()).isSameAs(state);
    assertThat(e.estimate()).isSameAs(estimate);
  }

  /** Records every call as "name.method(argument)". */
  private static StepListener logging(String name, List<String> log) {
    return new StepListener() {
      @Override
      public void onStart(int steps) {
        log.add(name + ".start(" + steps + ")");
      }

      @Override
      public void onStep(StepEvent event) {
        log.add(name + ".step(" + event.step() + ")");
      }

      @Override
      public void onFinish(int nfe) {
        log.add(name + ".finish(" + nfe + ")");
      }
    };
  }

  @Test
  void allForwardsEveryCallToEachListenerInOrder() {
    List<String> log = new ArrayList<>();
    List<StepEvent> seen = new ArrayList<>();
    StepListener lambda = seen::add; // only onStep; the defaults ignore start and finish
    StepListener all = StepListener.all(logging("A", log), lambda, logging("B", log));
    StepEvent event = new StepEvent();
    all.onStart(2);
    all.onStep(event.update(1, 2, 1, 0.5, 0.5, new double[1], null));
    all.onStep(event.update(2, 2, 2, 0.0, 0.0, new double[1], null));
    all.onFinish(2);
    assertThat(log).containsExactly(
        "A.start(2)", "B.start(2)",
        "A.step(1)", "B.step(1)",
        "A.step(2)", "B.step(2)",
        "A.finish(2)", "B.finish(2)");
    assertThat(seen).hasSize(2).allSatisfy(e -> assertThat(e).isSameAs(event));
  }
}
