package org.fewstep.data.train;

import java.util.Objects;
import java.util.function.LongToDoubleFunction;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;

/**
 * Mini-batch SGD over rounds of selected examples, as RS2's training loop (Okanovic et al., ICLR 2024;
 * DeepCore {@code main.py}): each round's indices are shuffled into batches of {@code batch} with
 * {@code drop_last}, and the learning rate of the i-th mini-batch overall is {@code schedule(i)} (the
 * scheduler is stepped per mini-batch). An optional iteration cap stops training mid-round (the "full-data
 * schedule stopped at the budget" contrast).
 */
public final class SgdTrainer {
  /** RS2's mini-batch size. */
  public static final int DEFAULT_BATCH = 128;

  private final Classifier model;
  private final Dataset data;
  private final Sgd sgd;
  private final LongToDoubleFunction schedule;
  private final int batch;
  private final long maxIterations;
  private final double[] gradient;
  private long iterations;
  private double lastLoss = Double.NaN;

  /**
   * @param schedule      learning rate of mini-batch i (0-based), e.g. {@code CosineSchedule::at}
   * @param maxIterations stop after this many mini-batches ({@code Long.MAX_VALUE}: never)
   */
  public SgdTrainer(Classifier model, Dataset data, Sgd.Settings sgd, LongToDoubleFunction schedule, int batch,
      long maxIterations) {
    this.model = Objects.requireNonNull(model, "model");
    this.data = Objects.requireNonNull(data, "data");
    if (data.dim() != model.dim() || data.classes() != model.classes()) {
      throw BadInputException.of("data shape", data.dim() + " features, " + data.classes() + " classes",
          model.dim() + " features and " + model.classes() + " classes (the model's)");
    }
    this.sgd = new Sgd(model.parameters().length, sgd);
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    this.batch = BadInputException.requireAtLeast("batch", batch, 1);
    if (maxIterations < 0) {
      throw BadInputException.of("max iterations", maxIterations, "a number >= 0");
    }
    this.maxIterations = maxIterations;
    this.gradient = new double[model.parameters().length];
  }

  /**
   * Trains on one round: a shuffled copy of {@code indices} (order drawn from {@code rng}) in
   * {@code floor(length / batch)} mini-batches, fewer if the cap is reached. Returns the mini-batches run.
   */
  public int round(int[] indices, Rng rng) {
    int[] order = shuffled(indices, rng);
    return batches(order, 0, order.length / batch);
  }

  /**
   * A shuffled copy of a round's {@code indices} (Fisher-Yates with {@code rng}), to be trained on in pieces by
   * {@link #batches}; at least one batch long.
   */
  public int[] shuffled(int[] indices, Rng rng) {
    if (indices.length < batch) {
      throw BadInputException.of("round size", indices.length,
          "at least the batch size " + batch + " (drop_last would run no batch)");
    }
    int[] order = indices.clone();
    for (int i : order) {
      if (i < 0 || i >= data.size()) {
        throw BadInputException.of("index", i, "an example in [0, " + data.size() + ")");
      }
    }
    rng.shuffle(order);
    return order;
  }

  /**
   * Runs mini-batches {@code first .. first + count - 1} of {@code order} (batch b is
   * {@code order[b * batch .. (b + 1) * batch)}), fewer if the cap is reached; returns the number run.
   */
  public int batches(int[] order, int first, int count) {
    if (first < 0 || count < 0 || (long) (first + count) * batch > order.length) {
      throw BadInputException.of("batches", first + ".." + (first + count - 1),
          "whole batches inside the " + order.length + " indices (" + order.length / batch + " batches)");
    }
    int run = 0;
    for (int b = first; b < first + count && iterations < maxIterations; b++, run++) {
      lastLoss = model.lossAndGradient(data, order, b * batch, batch, gradient);
      sgd.step(model.parameters(), gradient, schedule.applyAsDouble(iterations));
      iterations++;
    }
    return run;
  }

  /** Mini-batches run so far. */
  public long iterations() {
    return iterations;
  }

  /** Whether the iteration cap is reached. */
  public boolean done() {
    return iterations >= maxIterations;
  }

  /** Loss of the last mini-batch (NaN before the first). */
  public double lastLoss() {
    return lastLoss;
  }

  /** The model trained. */
  public Classifier model() {
    return model;
  }
}
