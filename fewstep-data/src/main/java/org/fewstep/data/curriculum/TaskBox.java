package org.fewstep.data.curriculum;

import java.util.Arrays;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * The task space of a curriculum teacher: the box {@code [mins, maxs]} in R^d, each side of
 * positive finite length (Portelas et al., CoRL 2019, section 3: task parameters live in a bounded
 * continuous space). Immutable; the arrays are copied in and out.
 */
public final class TaskBox {
  private final double[] mins;
  private final double[] maxs;

  private TaskBox(double[] mins, double[] maxs) {
    this.mins = mins;
    this.maxs = maxs;
  }

  /** The box {@code [mins, maxs]}: equal lengths {@code >= 1}, finite bounds, {@code mins[i] < maxs[i]}. */
  public static TaskBox of(double[] mins, double[] maxs) {
    if (mins == null || mins.length == 0) {
      throw BadInputException.of("mins", mins == null ? "null" : "[]", "at least one coordinate");
    }
    if (maxs == null || maxs.length != mins.length) {
      throw BadInputException.of("maxs length", maxs == null ? "null" : maxs.length, mins.length + " (one per min)");
    }
    for (int i = 0; i < mins.length; i++) {
      BadInputException.requireFinite("mins[" + i + "]", mins[i]);
      BadInputException.requireFinite("maxs[" + i + "]", maxs[i]);
      if (!(mins[i] < maxs[i])) {
        throw BadInputException.of("maxs[" + i + "]", maxs[i], "a bound > mins[" + i + "] = " + mins[i]);
      }
    }
    return new TaskBox(mins.clone(), maxs.clone());
  }

  /** The unit cube {@code [0, 1]^d}. */
  public static TaskBox unit(int dimension) {
    BadInputException.requireAtLeast("dimension", dimension, 1);
    double[] ones = new double[dimension];
    Arrays.fill(ones, 1.0);
    return new TaskBox(new double[dimension], ones);
  }

  /** The number of task parameters d. */
  public int dimension() {
    return mins.length;
  }

  /** The lower corner (a copy). */
  public double[] mins() {
    return mins.clone();
  }

  /** The upper corner (a copy). */
  public double[] maxs() {
    return maxs.clone();
  }

  /** A uniform draw: {@code mins + u (maxs - mins)} with independent {@code u ~ U[0, 1)} per coordinate. */
  public double[] uniform(Rng rng) {
    double[] task = new double[mins.length];
    for (int i = 0; i < task.length; i++) {
      task[i] = mins[i] + rng.nextDouble() * (maxs[i] - mins[i]);
      if (task[i] >= maxs[i]) { // rounding of mins + u (maxs - mins) can reach maxs
        task[i] = Math.nextDown(maxs[i]);
      }
    }
    return task;
  }

  /** Clips the first d coordinates of {@code x} into the box, in place, and returns x. */
  public double[] clip(double[] x) {
    for (int i = 0; i < mins.length; i++) {
      x[i] = Math.min(maxs[i], Math.max(mins[i], x[i]));
    }
    return x;
  }

  /** Whether {@code task} has d coordinates, all inside the closed box. */
  public boolean contains(double[] task) {
    if (task == null || task.length != mins.length) {
      return false;
    }
    for (int i = 0; i < mins.length; i++) {
      if (!(task[i] >= mins[i] && task[i] <= maxs[i])) {
        return false;
      }
    }
    return true;
  }

  /** Requires {@code task} to lie in the box, else an error naming {@code parameter}. */
  public double[] requireInside(String parameter, double[] task) {
    if (task == null || task.length != mins.length) {
      throw BadInputException.of(parameter + " length", task == null ? "null" : task.length, mins.length + " (the box dimension)");
    }
    for (int i = 0; i < mins.length; i++) {
      if (!(task[i] >= mins[i] && task[i] <= maxs[i])) {
        throw BadInputException.of(parameter + "[" + i + "]", task[i], "a number in [" + mins[i] + ", " + maxs[i] + "]");
      }
    }
    return task;
  }

  @Override
  public String toString() {
    return "TaskBox" + Arrays.toString(mins) + ".." + Arrays.toString(maxs);
  }
}
