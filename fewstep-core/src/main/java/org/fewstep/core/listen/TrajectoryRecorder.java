package org.fewstep.core.listen;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.NdArray;

/**
 * Records a copy of the state (and optionally the model estimate) after every step, with the
 * step's time, noise level and evaluation count.
 */
public final class TrajectoryRecorder implements StepListener {
  private final boolean keepEstimates;
  private final List<double[]> states = new ArrayList<>();
  private final List<double[]> estimates = new ArrayList<>();
  private final List<double[]> stamps = new ArrayList<>();

  public TrajectoryRecorder() {
    this(false);
  }

  /** @param keepEstimates also keep the model's estimate after each step */
  public TrajectoryRecorder(boolean keepEstimates) {
    this.keepEstimates = keepEstimates;
  }

  @Override
  public void onStep(StepEvent event) {
    states.add(event.state().clone());
    if (keepEstimates) {
      estimates.add(event.estimate() == null ? null : event.estimate().clone());
    }
    stamps.add(new double[] {event.step(), event.time(), event.noiseLevel(), event.nfe()});
  }

  public int size() {
    return states.size();
  }

  /** The state after step {@code i + 1}. */
  public double[] state(int i) {
    return states.get(i);
  }

  /** The estimate after step {@code i + 1} (needs {@code keepEstimates}). */
  public double[] estimate(int i) {
    return estimates.get(i);
  }

  public double time(int i) {
    return stamps.get(i)[1];
  }

  public double noiseLevel(int i) {
    return stamps.get(i)[2];
  }

  public int nfe(int i) {
    return (int) stamps.get(i)[3];
  }

  /** All recorded states stacked as {@code [steps, stateLength]}. */
  public NdArray states() {
    int length = states.isEmpty() ? 0 : states.get(0).length;
    double[] all = new double[states.size() * length];
    for (int i = 0; i < states.size(); i++) {
      System.arraycopy(states.get(i), 0, all, i * length, length);
    }
    return NdArray.of(all, states.size(), length);
  }
}
