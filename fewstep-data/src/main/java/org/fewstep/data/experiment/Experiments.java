package org.fewstep.data.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.fewstep.core.BadInputException;

/**
 * The registry of issue 10's experiments, each at its documented default settings (the runs of
 * docs/benchmarks.md, "Training-data sampling"): {@code fewstep bench data NAME}.
 */
public final class Experiments {

  /** What an experiment reports: a Markdown table and its long-form CSV. */
  public record Report(String markdown, String csv) {}

  /** An experiment: its name, one line on what it measures, and how to run it. */
  public record Experiment(String name, String summary, Supplier<Report> run) {}

  private static final Map<String, Experiment> ALL = new LinkedHashMap<>();

  static {
    add("rs2", "RS2 vs a static 10 % subset vs full data: time and iterations to accuracy of an MLP on the bundled MNIST digits",
        () -> {
          var r = Rs2Experiment.run(Rs2Experiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("mig", "MIG vs random vs top quality on the fortune files (all-MiniLM-L6-v2): information, balance, nearest-centroid accuracy",
        () -> {
          var r = MigExperiment.runBoth(MigExperiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("aoi", "Add-One-In with the embedding chooser vs random selection on a clustered synthetic pool",
        () -> {
          var r = AoiExperiment.run(AoiExperiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("gvm", "GVM vs uniform allocation in a RAFT loop on sums (paper-scale and low-budget regimes): accuracy, gradient variance",
        () -> {
          var d = GvmExperiment.run(GvmExperiment.Settings.defaults());
          var low = GvmExperiment.run(GvmExperiment.Settings.lowBudget());
          String nl = System.lineSeparator();
          return new Report("Default regime (16 draws per prompt, 12 shared parameters, SFT fit)" + nl + nl + d.markdown() + nl
              + "Low-budget, noise-limited regime (4 draws per prompt, 96 parameters, one large step)" + nl + nl + low.markdown(),
              "regime," + d.csv().lines().findFirst().orElseThrow() + nl
                  + d.csv().lines().skip(1).map(l -> "default," + l + nl).reduce("", String::concat)
                  + low.csv().lines().skip(1).map(l -> "low-budget," + l + nl).reduce("", String::concat));
        });
    add("weighting", "trajectory weighting (RW, AW, Top-K) for behaviour cloning on a mixed data set; exact returns",
        () -> {
          var r = TrajectoryWeightingExperiment.run(TrajectoryWeightingExperiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("alp-gmm", "ALP-GMM vs random curriculum on teachDeepRL's ToyEnv, 20 000 episodes, seeds 1..5: % cells mastered",
        () -> {
          var r = AlpGmmExperiment.run(AlpGmmExperiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("snapshot", "SnapshotRL / S3RL start states for a Q-learning student in a corridor: steps to the threshold",
        () -> {
          var r = SnapshotExperiment.run(SnapshotExperiment.Settings.defaults());
          return new Report(r.markdown(), r.csv());
        });
    add("metainf", "MetaInf diffusion sampler choice on held-out models: accuracy and regret of each learner and fixed sampler",
        () -> {
          var r = MetaInfExperiment.run(MetaInfExperiment.Settings.DEFAULT);
          return new Report(r.markdown(), r.csv());
        });
    add("metainf-masked", "MetaInf masked-decoder choice on held-out HMMs: accuracy and pair-TV regret of each learner and fixed decoder",
        () -> {
          var r = MetaInfExperiment.run(MetaInfExperiment.Settings.MASKED);
          return new Report(r.markdown(), r.csv());
        });
  }

  private Experiments() {}

  private static void add(String name, String summary, Supplier<Report> run) {
    ALL.put(name, new Experiment(name, summary, run));
  }

  /** Every experiment, in documentation order. */
  public static List<Experiment> all() {
    return List.copyOf(ALL.values());
  }

  /** The experiment called {@code name}. */
  public static Experiment get(String name) {
    Experiment e = ALL.get(name);
    if (e == null) {
      throw BadInputException.of("experiment", name, "one of " + String.join(", ", ALL.keySet()));
    }
    return e;
  }
}
