package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Vectors;
import org.fewstep.data.select.CosineSchedule;
import org.fewstep.data.select.Rs2;
import org.fewstep.data.train.Classifier;
import org.fewstep.data.train.Dataset;
import org.fewstep.data.train.DigitsSplit;
import org.fewstep.data.train.Mlp;
import org.fewstep.data.train.Sgd;
import org.fewstep.data.train.SgdTrainer;
import org.fewstep.data.train.SoftmaxRegression;

/**
 * RS2's time-to-accuracy experiment (Okanovic et al., ICLR 2024, the CIFAR-10 time-to-accuracy figure;
 * discrete-and-data.md section 6 (c), (d)) on the bundled MNIST digits (8 000 train / 2 000 test): a classifier
 * trained by SGD (momentum 0.9, Nesterov, weight decay 5e-4, batch 128, {@code drop_last}, cosine learning rate
 * 0.1 to 1e-4 stepped per mini-batch) with a per-round budget of r = 10 % of the training set, five ways:
 * <ol>
 *   <li>{@code rs2-without}: RS2 without replacement, {@code rounds} rounds, schedule over its own iterations;
 *   <li>{@code rs2-with}: RS2 with replacement (independent rounds), same;
 *   <li>{@code static}: one fixed random r-subset every round, same schedule;
 *   <li>{@code full}: all the training data every round for {@code fullRounds} rounds, schedule over its own
 *       iterations;
 *   <li>{@code full-stopped}: full data under the schedule of {@code rounds} full-data rounds, stopped at the RS2
 *       budget of {@code rounds * floor(r N / 128)} iterations (the learning rate never decays).
 * </ol>
 * Within a seed all methods start from the same initial weights. Test accuracy is measured after every round,
 * and for the full-data methods after every {@code floor(r N / 128)} mini-batches inside a pass (so every method is
 * timed at the same resolution; rows of one pass share its round number); the recorded wall time counts selection and
 * training, not evaluation. Targets for time-to-accuracy: A, the static subset's final accuracy (the lowest over
 * the seeds, so every static run reaches it); B, 99 % of the full-data mean final accuracy; C, RS2-without's final
 * accuracy (lowest over seeds; the paper's measure: how long full data needs to match RS2).
 */
public final class Rs2Experiment {
  private Rs2Experiment() {}

  /** The classifier trained. */
  public enum Model { SOFTMAX, MLP }

  /** The five training regimes. */
  public enum Method {
    RS2_WITHOUT("rs2-without"), RS2_WITH("rs2-with"), STATIC("static"), FULL("full"), FULL_STOPPED("full-stopped");

    private final String label;

    Method(String label) {
      this.label = label;
    }

    /** Short name used in the tables. */
    public String label() {
      return label;
    }
  }

  /**
   * @param model      classifier
   * @param hidden     hidden units of the MLP (ignored for softmax regression)
   * @param fraction   per-round budget r in (0, 1]
   * @param rounds     rounds E of the r-budget methods (and of the schedule {@code full-stopped} runs under)
   * @param fullRounds rounds of the full-data method
   * @param trainSize  training examples used (the first ones of the 8 000; 0 for all)
   * @param splitSeed  seed of the train/test split
   * @param seeds      one run of every method per seed (initial weights, subsets, batch order)
   */
  public record Settings(Model model, int hidden, double fraction, int rounds, int fullRounds, int trainSize,
      long splitSeed, long[] seeds) {
    public Settings {
      Objects.requireNonNull(model, "model");
      if (model == Model.MLP) {
        BadInputException.requireAtLeast("hidden", hidden, 1);
      }
      if (!(fraction > 0 && fraction <= 1)) {
        throw BadInputException.of("fraction", fraction, "a number in (0, 1]");
      }
      BadInputException.requireAtLeast("rounds", rounds, 1);
      BadInputException.requireAtLeast("full rounds", fullRounds, 1);
      BadInputException.requireAtLeast("train size", trainSize, 0);
      if (seeds.length == 0) {
        throw BadInputException.of("seeds", 0, "at least one seed");
      }
      seeds = seeds.clone();
    }

    /**
     * The full run: MLP with 128 hidden units, r = 10 %, 200 rounds (the reference default), 200 full-data rounds,
     * seeds 1, 2, 3.
     */
    public static Settings defaults() {
      return new Settings(Model.MLP, Mlp.DEFAULT_HIDDEN, Rs2.Settings.DEFAULT_FRACTION, 200, 200, 0, 0,
          new long[] {1, 2, 3});
    }

    @Override
    public long[] seeds() {
      return seeds.clone();
    }
  }

  /** Test accuracy after a round, with the SGD iterations and training seconds up to it. */
  public record Row(Method method, long seed, int round, long iterations, double seconds, double accuracy) {}

  /** Time and iterations to a target accuracy, over the seeds that reached it. */
  public record TimeTo(int reached, int seeds, double meanSeconds, double sdSeconds, double meanIterations,
      double sdIterations) {}

  /** Per-method summary over seeds. */
  public record Summary(Method method, long iterations, double meanAccuracy, double sdAccuracy, double meanSeconds,
      double sdSeconds, TimeTo toStatic, TimeTo toFull, TimeTo toRs2) {}

  /** All rows, the two targets and the summaries. */
  public record Result(Settings settings, int trainSize, int testSize, int roundSize, List<Row> rows, double staticTarget,
      double fullTarget, double rs2Target, List<Summary> summaries) {

    /** The summary of {@code method}. */
    public Summary summary(Method method) {
      return summaries.stream().filter(s -> s.method() == method).findFirst().orElseThrow();
    }

    /**
     * Mean over seeds of the test accuracy of {@code method} at the end of round {@code round} (1-based; for the
     * full-data methods, the end of that pass).
     */
    public double meanAccuracyAt(Method method, int round) {
      java.util.Map<Long, Double> last = new java.util.HashMap<>();
      for (Row r : rows) {
        if (r.method() == method && r.round() == round) {
          last.put(r.seed(), r.accuracy());
        }
      }
      return last.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** A markdown table: final accuracy, time and time-to-accuracy per method, mean ± sd over seeds. */
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT,
          "RS2 time-to-accuracy: %s on MNIST digits (%d train / %d test), r = %s (%d examples per round), "
              + "%d rounds; full data %d rounds; %d seeds; mean ± sd over seeds. Targets: A = static subset's "
              + "final accuracy %.4f (lowest over seeds), B = 99%% of full data's mean final accuracy %.4f, "
              + "C = RS2-without's final accuracy %.4f (lowest over seeds).%n%n",
          settings.model() == Model.MLP ? "MLP 784-" + settings.hidden() + "-10" : "softmax regression", trainSize,
          testSize, fmt(settings.fraction()), roundSize, settings.rounds(),
          settings.fullRounds(), settings.seeds.length, staticTarget, fullTarget, rs2Target));
      sb.append("| method | iterations | final test accuracy | train seconds | seconds to A | iterations to A "
          + "| seconds to B | iterations to B | seconds to C | iterations to C |\n");
      sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Summary s : summaries) {
        sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f ± %.4f | %.2f ± %.2f | %s | %s | %s | %s | %s | %s |%n",
            s.method().label(), s.iterations(), s.meanAccuracy(), s.sdAccuracy(), s.meanSeconds(), s.sdSeconds(),
            seconds(s.toStatic()), iterations(s.toStatic()), seconds(s.toFull()), iterations(s.toFull()),
            seconds(s.toRs2()), iterations(s.toRs2())));
      }
      return sb.toString();
    }

    /** One line per round: {@code method,seed,round,iterations,seconds,accuracy}. */
    public String csv() {
      StringBuilder sb = new StringBuilder("method,seed,round,iterations,seconds,accuracy\n");
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%.4f%n", r.method().label(), r.seed(), r.round(),
            r.iterations(), r.seconds(), r.accuracy()));
      }
      return sb.toString();
    }

    private static String seconds(TimeTo t) {
      return t.reached() < t.seeds() ? "not reached (" + t.reached() + "/" + t.seeds() + ")"
          : String.format(Locale.ROOT, "%.2f ± %.2f", t.meanSeconds(), t.sdSeconds());
    }

    private static String iterations(TimeTo t) {
      return t.reached() < t.seeds() ? "—" : String.format(Locale.ROOT, "%.0f ± %.0f", t.meanIterations(),
          t.sdIterations());
    }

    private static String fmt(double v) {
      return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
  }

  /** Runs every method for every seed. */
  public static Result run(Settings settings) {
    DigitsSplit split = DigitsSplit.standard(settings.splitSeed());
    Dataset train = split.train();
    if (settings.trainSize() > train.size()) {
      throw BadInputException.of("train size", settings.trainSize(), "at most the " + train.size() + " training digits");
    }
    if (settings.trainSize() > 0) {
      int[] first = new int[settings.trainSize()];
      Arrays.setAll(first, i -> i);
      train = train.subset(first);
    }
    int n = train.size();
    int roundSize = Rs2.roundSize(n, settings.fraction());
    int batch = SgdTrainer.DEFAULT_BATCH;
    int perRound = CosineSchedule.batchesPerRound(roundSize, batch);
    CosineSchedule.batchesPerRound(n, batch); // the full-data methods need one batch too
    long budget = (long) settings.rounds() * perRound;
    List<Row> rows = new ArrayList<>();
    for (long seed : settings.seeds) {
      long samplerSeed = Rng.stream(seed, 1).nextLong();
      for (Method method : Method.values()) {
        Classifier model = settings.model() == Model.MLP
            ? new Mlp(DigitsSplit.DIM, settings.hidden(), 10, Rng.stream(seed, 0))
            : new SoftmaxRegression(DigitsSplit.DIM, 10);
        Rng order = Rng.stream(seed, 2);
        switch (method) {
          case RS2_WITHOUT, RS2_WITH, STATIC -> {
            Rs2.Mode mode = method == Method.RS2_WITHOUT ? Rs2.Mode.WITHOUT_REPLACEMENT
                : method == Method.RS2_WITH ? Rs2.Mode.WITH_REPLACEMENT : Rs2.Mode.STATIC;
            CosineSchedule lr = CosineSchedule.forRounds(settings.rounds(), roundSize, batch);
            SgdTrainer trainer = new SgdTrainer(model, train, Sgd.Settings.defaults(), lr::at, batch, Long.MAX_VALUE);
            long nanos = 0;
            long start = System.nanoTime();
            Rs2.Rounds cursor = Rs2.ofRoundSize(n, roundSize, mode, samplerSeed).rounds();
            nanos += System.nanoTime() - start;
            for (int k = 1; k <= settings.rounds(); k++) {
              start = System.nanoTime();
              trainer.round(cursor.next(), order);
              nanos += System.nanoTime() - start;
              rows.add(new Row(method, seed, k, trainer.iterations(), nanos / 1e9, model.accuracy(split.test())));
            }
          }
          case FULL, FULL_STOPPED -> {
            int fullRounds = method == Method.FULL ? settings.fullRounds() : settings.rounds();
            CosineSchedule lr = CosineSchedule.forRounds(fullRounds, n, batch);
            long cap = method == Method.FULL ? Long.MAX_VALUE : budget;
            SgdTrainer trainer = new SgdTrainer(model, train, Sgd.Settings.defaults(), lr::at, batch, cap);
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            int perEpoch = n / batch;
            long nanos = 0;
            for (int k = 1; k <= fullRounds && !trainer.done(); k++) {
              long start = System.nanoTime();
              int[] epoch = trainer.shuffled(all, order);
              nanos += System.nanoTime() - start;
              for (int b = 0; b < perEpoch && !trainer.done(); b += perRound) { // evaluated as often as RS2
                start = System.nanoTime();
                trainer.batches(epoch, b, Math.min(perRound, perEpoch - b));
                nanos += System.nanoTime() - start;
                rows.add(new Row(method, seed, k, trainer.iterations(), nanos / 1e9, model.accuracy(split.test())));
              }
            }
          }
          default -> throw new IllegalStateException(method.name());
        }
      }
    }
    double staticTarget = minFinal(rows, Method.STATIC, settings.seeds);
    double fullTarget = 0.99 * meanFinal(rows, Method.FULL, settings.seeds);
    double rs2Target = minFinal(rows, Method.RS2_WITHOUT, settings.seeds);
    List<Summary> summaries = new ArrayList<>();
    for (Method method : Method.values()) {
      summaries.add(summarise(rows, method, settings.seeds, staticTarget, fullTarget, rs2Target));
    }
    return new Result(settings, n, split.test().size(), roundSize, List.copyOf(rows), staticTarget, fullTarget, rs2Target,
        List.copyOf(summaries));
  }

  private static Row last(List<Row> rows, Method method, long seed) {
    Row last = null;
    for (Row r : rows) {
      if (r.method() == method && r.seed() == seed) {
        last = r;
      }
    }
    return last;
  }

  private static double meanFinal(List<Row> rows, Method method, long[] seeds) {
    double sum = 0;
    for (long seed : seeds) {
      sum += last(rows, method, seed).accuracy();
    }
    return sum / seeds.length;
  }

  private static double minFinal(List<Row> rows, Method method, long[] seeds) {
    double min = Double.POSITIVE_INFINITY;
    for (long seed : seeds) {
      min = Math.min(min, last(rows, method, seed).accuracy());
    }
    return min;
  }

  private static Summary summarise(List<Row> rows, Method method, long[] seeds, double staticTarget,
      double fullTarget, double rs2Target) {
    double[] acc = new double[seeds.length];
    double[] secs = new double[seeds.length];
    long iterations = 0;
    for (int s = 0; s < seeds.length; s++) {
      Row last = last(rows, method, seeds[s]);
      acc[s] = last.accuracy();
      secs[s] = last.seconds();
      iterations = last.iterations();
    }
    return new Summary(method, iterations, Vectors.mean(acc), Vectors.sampleSd(acc), Vectors.mean(secs), Vectors.sampleSd(secs),
        timeTo(rows, method, seeds, staticTarget), timeTo(rows, method, seeds, fullTarget),
        timeTo(rows, method, seeds, rs2Target));
  }

  private static TimeTo timeTo(List<Row> rows, Method method, long[] seeds, double target) {
    List<Double> secs = new ArrayList<>();
    List<Double> its = new ArrayList<>();
    for (long seed : seeds) {
      for (Row r : rows) {
        if (r.method() == method && r.seed() == seed && r.accuracy() >= target) {
          secs.add(r.seconds());
          its.add((double) r.iterations());
          break;
        }
      }
    }
    double[] s = secs.stream().mapToDouble(Double::doubleValue).toArray();
    double[] i = its.stream().mapToDouble(Double::doubleValue).toArray();
    return new TimeTo(s.length, seeds.length, Vectors.mean(s), Vectors.sampleSd(s), Vectors.mean(i), Vectors.sampleSd(i));
  }


}
