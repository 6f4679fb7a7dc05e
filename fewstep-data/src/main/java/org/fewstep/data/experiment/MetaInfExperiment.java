package org.fewstep.data.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fewstep.core.BadInputException;
import org.fewstep.core.io.Table;
import org.fewstep.data.meta.Choice;
import org.fewstep.data.meta.Learner;
import org.fewstep.data.meta.PerformanceTable;
import org.fewstep.data.meta.SamplerSelector;

/**
 * MetaInf's evaluation (discrete-and-data.md section 15(c), (f)) on held-out models: for each model
 * of the performance table, every learner is trained on the other models' situations and chooses a
 * sampler for each of the held-out model's situations and budgets; a choice is correct when it is
 * the measured best of that situation and budget, and its regret is {@code log10(rmse_chosen /
 * rmse_best)}. Every fixed candidate is scored the same way on the (situation, budget) pairs where
 * its NFE fits. {@code run(Settings.DEFAULT)} evaluates the bundled diffusion records,
 * {@code run(Settings.MASKED)} the bundled masked-decoder records (regret there: {@code log10(tv_chosen /
 * tv_best)} of the adjacent-pair TV); {@code fewstep bench data metainf} and {@code metainf-masked} print them.
 */
public final class MetaInfExperiment {
  /**
   * @param table    the performance records (null: the bundled ones)
   * @param learners the learners to evaluate
   */
  public record Settings(PerformanceTable table, List<Learner> learners, Learner.Settings learner) {
    public static final Settings DEFAULT = new Settings((PerformanceTable) null, List.of(Learner.values()), Learner.Settings.DEFAULT);
    /** The bundled masked-decoder records ({@link PerformanceTable#MASKED}), every learner. */
    public static final Settings MASKED = new Settings(PerformanceTable.MASKED, List.of(Learner.values()), Learner.Settings.DEFAULT);

    /** The bundled records of a domain. */
    public Settings(PerformanceTable.Domain domain, List<Learner> learners, Learner.Settings learner) {
      this(PerformanceTable.bundled(domain), learners, learner);
    }

    public Settings {
      if (learners.isEmpty()) {
        throw BadInputException.of("learners", "[]", "at least one learner");
      }
      learners = List.copyOf(learners);
    }
  }

  /**
   * One method's score.
   *
   * @param pairs      (situation, budget) pairs scored (for a fixed sampler: those where its NFE fits)
   * @param accuracy   fraction of pairs where the choice was the measured best
   * @param meanRegret mean {@code log10(rmse_chosen / rmse_best)}
   * @param p90Regret  90th percentile of the regret
   * @param maxRegret  largest regret
   */
  public record Score(String method, String kind, int pairs, double accuracy, double meanRegret, double p90Regret,
      double maxRegret) {}

  /**
   * The scores, learners first, then the fixed choices by mean regret; {@code byBudget} holds the
   * same scores per NFE budget (key: budget).
   */
  public record Result(List<Score> scores, Map<Integer, List<Score>> byBudget, int situations, int models, int totalPairs,
      PerformanceTable.Domain domain) {
    /** Mean regret per method (rows) and budget (columns), learners and the three best fixed choices. */
    public Table budgetTable() {
      List<Integer> budgets = List.copyOf(byBudget.keySet());
      String[] columns = new String[budgets.size() + 1];
      columns[0] = "mean regret (log10) at NFE budget";
      for (int b = 0; b < budgets.size(); b++) {
        columns[b + 1] = String.valueOf(budgets.get(b));
      }
      Table t = new Table(columns).doubleFormat("%.3f");
      int fixedShown = 0;
      for (Score overall : scores) {
        if (overall.kind().equals("fixed") && fixedShown++ >= 3) {
          break;
        }
        Object[] row = new Object[columns.length];
        row[0] = overall.method();
        for (int b = 0; b < budgets.size(); b++) {
          row[b + 1] = byBudget.get(budgets.get(b)).stream().filter(x -> x.method().equals(overall.method()))
              .mapToDouble(Score::meanRegret).findFirst().orElse(Double.NaN);
        }
        t.add(row);
      }
      return t;
    }

    public Table table() {
      Table t = new Table("method", "kind", "pairs", "accuracy", "mean regret (log10)", "p90 regret", "max regret")
          .doubleFormat("%.3f");
      for (Score s : scores) {
        t.add(s.method(), s.kind(), s.pairs(), s.accuracy(), s.meanRegret(), s.p90Regret(), s.maxRegret());
      }
      return t;
    }

    public String markdown() {
      String error = domain == PerformanceTable.MASKED ? "adjacent-pair TV" : "RMSE";
      return String.format(Locale.ROOT, "MetaInf %s choice, leave-one-model-out: %d situations of %d models, %d (situation, "
          + "budget) pairs. Regret = log10(%s of the choice / %s of the measured best).%n%n",
          domain == PerformanceTable.MASKED ? "masked-decoder" : "sampler", situations, models, totalPairs, error, error)
          + table().toMarkdown() + System.lineSeparator() + budgetTable().toMarkdown();
    }

    public String csv() {
      return table().toCsv();
    }
  }

  private MetaInfExperiment() {}

  public static Result run(Settings settings) {
    PerformanceTable table = settings.table() == null ? PerformanceTable.bundled() : settings.table();
    List<String> models = table.models();
    if (models.size() < 2) {
      throw BadInputException.of("performance table", models.size() + " model", "at least 2 models to hold one out");
    }
    Map<String, List<Double>> regrets = new LinkedHashMap<>();
    Map<Integer, Map<String, List<Double>>> perBudget = new java.util.TreeMap<>();
    Map<String, String> kinds = new LinkedHashMap<>();
    settings.learners().forEach(l -> {
      regrets.put("metainf-" + l.key(), new ArrayList<>());
      kinds.put("metainf-" + l.key(), "learned");
    });
    int total = 0;
    for (String held : models) {
      PerformanceTable train = table.filter(r -> !r.model().equals(held));
      PerformanceTable test = table.filter(r -> r.model().equals(held));
      List<SamplerSelector> selectors = settings.learners().stream()
          .map(l -> SamplerSelector.fit(train, l, settings.learner())).toList();
      for (int budget : test.budgets()) {
        PerformanceTable.Slice slice = test.slice(budget);
        for (int i = 0; i < slice.situations().size(); i++) {
          double[] logError = slice.logError()[i];
          double best = Arrays.stream(logError).min().orElseThrow();
          total++;
          for (SamplerSelector selector : selectors) {
            Choice choice = selector.choose(slice.features().get(i), budget);
            int c = slice.candidates().indexOf(choice.sampler());
            if (c < 0) {
              throw new BadInputException("held-out model " + held + " has no record of " + choice.sampler() + " at budget " + budget);
            }
            String method = "metainf-" + selector.learner().key();
            regrets.get(method).add(logError[c] - best);
            perBudget.computeIfAbsent(budget, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new ArrayList<>())
                .add(logError[c] - best);
          }
          for (int c = 0; c < slice.candidates().size(); c++) {
            String name = slice.candidates().get(c);
            kinds.putIfAbsent(name, "fixed");
            regrets.computeIfAbsent(name, k -> new ArrayList<>()).add(logError[c] - best);
            perBudget.computeIfAbsent(budget, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>())
                .add(logError[c] - best);
          }
        }
      }
    }
    List<Score> learned = new ArrayList<>();
    List<Score> fixed = new ArrayList<>();
    for (Map.Entry<String, List<Double>> e : regrets.entrySet()) {
      Score s = score(e.getKey(), kinds.get(e.getKey()), e.getValue());
      (s.kind().equals("learned") ? learned : fixed).add(s);
    }
    fixed.sort((a, b) -> Double.compare(a.meanRegret(), b.meanRegret()));
    learned.addAll(fixed);
    Map<Integer, List<Score>> byBudget = new java.util.TreeMap<>();
    perBudget.forEach((budget, m) -> byBudget.put(budget,
        m.entrySet().stream().map(e -> score(e.getKey(), kinds.get(e.getKey()), e.getValue())).toList()));
    return new Result(List.copyOf(learned), byBudget, table.situations().size(), models.size(), total, table.domain());
  }

  private static Score score(String method, String kind, List<Double> regret) {
    double[] r = regret.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    long exact = Arrays.stream(r).filter(x -> x <= 1e-12).count();
    double mean = Arrays.stream(r).average().orElse(Double.NaN);
    double p90 = r.length == 0 ? Double.NaN : r[Math.min(r.length - 1, (int) Math.ceil(0.9 * r.length) - 1)];
    return new Score(method, kind, r.length, r.length == 0 ? Double.NaN : (double) exact / r.length, mean, p90,
        r.length == 0 ? Double.NaN : r[r.length - 1]);
  }
}
