package org.fewstep.data.meta;

import java.util.List;
import java.util.Locale;
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
  public Choice choose(SituationFeatures features, int budget) {
    Map.Entry<Integer, Fitted> e = byBudget.floorEntry(budget);
    if (e == null) {
      throw BadInputException.of("NFE budget", budget, "at least " + byBudget.firstKey() + ", the smallest budget in the performance records");
    }
    Fitted f = e.getValue();
    double[] predicted = f.predictor().predict(f.standardiser().apply(features));
    int best = -1;
    for (int c = 0; c < predicted.length; c++) {
      if (f.slice().nfe()[c] <= budget && (best < 0 || predicted[c] < predicted[best])) {
        best = c;
      }
    }
    if (best < 0) {
      throw new IllegalStateException("no candidate fits budget " + budget); // slices only hold nfe <= their budget
    }
    return new Choice(f.slice().candidates().get(best), f.slice().steps()[best], f.slice().nfe()[best], budget, e.getKey(),
        Math.pow(10, predicted[best]));
  }

  /** Every candidate's predicted RMSE at a budget, for explanations: "spec=rmse; ...". */
  public String explain(SituationFeatures features, int budget) {
    Map.Entry<Integer, Fitted> e = byBudget.floorEntry(budget);
    if (e == null) {
      return "";
    }
    Fitted f = e.getValue();
    double[] predicted = f.predictor().predict(f.standardiser().apply(features));
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < predicted.length; c++) {
      sb.append(c == 0 ? "" : "; ").append(f.slice().candidates().get(c))
          .append(String.format(Locale.ROOT, "=%.2e", Math.pow(10, predicted[c])));
    }
    return sb.toString();
  }
}
