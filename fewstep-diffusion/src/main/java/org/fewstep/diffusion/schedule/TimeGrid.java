package org.fewstep.diffusion.schedule;

import java.util.Arrays;
import org.fewstep.core.BadInputException;

/**
 * The times a solver steps through, from noisiest to cleanest: t strictly decreasing and lambda
 * strictly increasing. A solver takes one step per interval. A grid may carry a per-step order
 * plan (DPM-Solver's "fast" singlestep allocation) for solvers whose steps cost several
 * evaluations.
 */
public final class TimeGrid {
  private final TimePoint[] points;
  private final int[] orders;

  private TimeGrid(TimePoint[] points, int[] orders) {
    this.points = points;
    this.orders = orders;
  }

  /** The grid through {@code times} (strictly decreasing) of {@code schedule}. */
  public static TimeGrid of(NoiseSchedule schedule, double... times) {
    TimePoint[] points = new TimePoint[times.length];
    for (int i = 0; i < times.length; i++) {
      points[i] = schedule.at(times[i]);
    }
    return of(points);
  }

  /** A grid of given points; checks the ordering. */
  public static TimeGrid of(TimePoint... points) {
    if (points.length < 2) {
      throw BadInputException.of("time grid", points.length + " point(s)", "at least 2 times (one step)");
    }
    for (int i = 0; i < points.length; i++) {
      TimePoint p = points[i];
      if (!Double.isFinite(p.t()) || Double.isNaN(p.lambda())) {
        throw BadInputException.of("time grid t[" + i + "]", p.t(), "a finite time inside the schedule");
      }
      if (i > 0) {
        TimePoint q = points[i - 1];
        if (!(p.t() < q.t())) {
          throw new BadInputException("time grid is not monotone: t[" + i + "] = " + p.t() + " >= t[" + (i - 1)
              + "] = " + q.t() + "; expected strictly decreasing times (noisiest first)");
        }
        if (!(p.lambda() > q.lambda())) {
          throw new BadInputException("time grid is not monotone in log-SNR: lambda[" + i + "] = " + p.lambda()
              + " <= lambda[" + (i - 1) + "] = " + q.lambda() + "; expected strictly increasing lambda");
        }
      }
    }
    return new TimeGrid(points.clone(), null);
  }

  /** This grid with a per-step order plan (one order per step, each >= 1). */
  public TimeGrid withOrders(int... stepOrders) {
    if (stepOrders.length != steps()) {
      throw new IllegalArgumentException(stepOrders.length + " orders for " + steps() + " steps");
    }
    return new TimeGrid(points, stepOrders.clone());
  }

  /** Number of steps (intervals). */
  public int steps() {
    return points.length - 1;
  }

  /** Point {@code i}, 0 = start. */
  public TimePoint point(int i) {
    return points[i];
  }

  public TimePoint first() {
    return points[0];
  }

  public TimePoint last() {
    return points[points.length - 1];
  }

  /** The per-step order plan, or null if none. */
  public int[] orders() {
    return orders == null ? null : orders.clone();
  }

  /** The order planned for step {@code i} (from 0), or {@code fallback} without a plan. */
  public int order(int i, int fallback) {
    return orders == null ? fallback : orders[i];
  }

  public double[] times() {
    return Arrays.stream(points).mapToDouble(TimePoint::t).toArray();
  }

  @Override
  public String toString() {
    return "TimeGrid" + Arrays.toString(times());
  }
}
