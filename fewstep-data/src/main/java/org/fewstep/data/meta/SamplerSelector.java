package org.fewstep.data.meta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fewstep.core.BadInputException;

/**
 * MetaInf's online stage (section 15(b)): for a new situation and NFE budget, predict every
 * candidate's error and choose the lowest predicted error among the candidates whose NFE fits the
 * budget. One predictor per recorded budget; a budget between recorded ones uses the largest
 * recorded budget below it (whose candidates' NFE are at most that budget, so never over it).
 */
public final class SamplerSelector {
  private final Learner learner;
  private final TreeMap<Integer, Fitted> byBudget = new TreeMap<>();

  private record Fitted(PerformanceTable.Slice slice, Standardiser standardiser, Learner.Predictor predictor) {}

  private SamplerSelector(Learner learner) {
    this.learner = learner;
  }

  /** Trains {@code learner} on every budget of {@code table}. */
  public static SamplerSelector fit(PerformanceTable table, Learner learner, Learner.Settings settings) {
    SamplerSelector s = new SamplerSelector(learner);
    for (int budget : table.budgets()) {
      PerformanceTable.Slice slice = table.slice(budget);
      Standardiser standardiser = new Standardiser(slice.features());
      double[][] z = standardiser.apply(slice.features());
      s.byBudget.put(budget, new Fitted(slice, standardiser, learner.fit(z, slice.logError(), settings)));
    }
    return s;
  }

  public Learner learner() {
    return learner;
  }

  /** The recorded budgets, ascending. */
  public List<Integer> budgets() {
    return List.copyOf(byBudget.keySet());
  }

  /** The best predicted candidate for a situation within an NFE budget. */
  public Choice choose(MetaFeatures features, int budget) {
    return ranked(features, budget).get(0);
  }

  /**
   * Every candidate whose NFE fits the budget, lowest predicted error first (ties: table order).
   *
   * @throws BadInputException if the budget is below the smallest recorded budget
   */
  public List<Choice> ranked(MetaFeatures features, int budget) {
    Map.Entry<Integer, Fitted> e = byBudget.floorEntry(budget);
    if (e == null) {
      throw BadInputException.of("NFE budget", budget, "at least " + byBudget.firstKey() + ", the smallest budget in the performance records");
    }
    Fitted f = e.getValue();
    double[] predicted = f.predictor().predict(f.standardiser().apply(features));
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < predicted.length; c++) {
      if (f.slice().nfe()[c] <= budget) { // always so: a slice holds only NFE within its budget
        order.add(c);
      }
    }
    order.sort(Comparator.comparingDouble(c -> predicted[c]));
    List<Choice> out = new ArrayList<>();
    for (int c : order) {
      out.add(new Choice(f.slice().candidates().get(c), f.slice().steps()[c], f.slice().nfe()[c], budget, e.getKey(),
          Math.pow(10, predicted[c])));
    }
    return out;
  }

  /** The number of training situations behind the predictions at a recorded budget. */
  public int situations(int recordedBudget) {
    Fitted f = byBudget.get(recordedBudget);
    return f == null ? 0 : f.slice().situations().size();
  }
}
