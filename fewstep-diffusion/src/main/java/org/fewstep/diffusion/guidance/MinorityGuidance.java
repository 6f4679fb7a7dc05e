package org.fewstep.diffusion.guidance;

import java.util.ArrayList;
import java.util.List;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.diffusion.Denoiser;
import org.fewstep.diffusion.schedule.NoiseSchedule;

/**
 * Minority guidance (Um, Lee and Ye, "Don't Play Favorites: Minority Guidance for Diffusion Models",
 * ICLR 2024; diffusion.md 9): score every data point by its {@link MinorityScore}, label the points by
 * quantiles of the score (class 0 most common, the last class most unique), train a noisy classifier
 * of those labels ({@link MlpClassifier}) on 95 % of each class, and sample with classifier guidance
 * toward the most unique class: {@code score + w grad log p(l_target | x_t)}.
 */
public final class MinorityGuidance {
  private MinorityGuidance() {}

  /**
   * Settings of {@link #fit}.
   *
   * @param classes    number of minority classes L (official 100)
   * @param level      perturbation level of the score, a fraction of the time range (official 0.605)
   * @param draws      noise draws per point (official 5)
   * @param classifier the classifier's training settings
   */
  public record Settings(int classes, double level, int draws, MlpClassifier.Settings classifier) {
    public static final Settings DEFAULT = new Settings(100, MinorityScore.DEFAULT_LEVEL, MinorityScore.DEFAULT_DRAWS,
        MlpClassifier.Settings.DEFAULT);

    public Settings {
      BadInputException.requireAtLeast("number of classes", classes, 2);
      BadInputException.requireAtLeast("noise draws", draws, 1);
    }
  }

  /**
   * What {@link #fit} learned.
   *
   * @param scores             the minority score of every data point
   * @param labels             its class
   * @param classifier         the noisy classifier of the classes
   * @param validationAccuracy the classifier's accuracy on the held-out 5 % of each class, noised at
   *                           log-uniform levels of the schedule's range (1/L is chance)
   */
  public record Fitted(double[] scores, int[] labels, MlpClassifier classifier, double validationAccuracy) {}

  /** Scores, labels and the classifier for the data set {@code data} ({@code [n, item...]}, clean points). */
  public static Fitted fit(Denoiser model, NdArray data, Settings settings, Rng rng) {
    int n = data.items();
    if (data.itemSize() != model.itemSize()) {
      throw BadInputException.of("data item size", data.itemSize(), model.itemSize() + " (the model's)");
    }
    NoiseSchedule schedule = model.schedule();
    double[] scores = MinorityScore.of(model, data.data(), n, MinorityScore.level(schedule, settings.level()), settings.draws(), rng);
    int[] labels = MinorityScore.labels(scores, settings.classes());
    // stratified 95 / 5 split: every 20th point of each class (in index order) is held out
    int[] seen = new int[settings.classes()];
    List<Integer> train = new ArrayList<>();
    List<Integer> validation = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (seen[labels[i]]++ % 20 == 19 ? validation : train).add(i);
    }
    int d = data.itemSize();
    double[] trainData = new double[train.size() * d];
    int[] trainLabels = new int[train.size()];
    for (int k = 0; k < train.size(); k++) {
      System.arraycopy(data.data(), train.get(k) * d, trainData, k * d, d);
      trainLabels[k] = labels[train.get(k)];
    }
    double minNoise = schedule.at(schedule.tEnd()).noise();
    double maxNoise = schedule.at(schedule.tStart()).noise();
    MlpClassifier classifier = MlpClassifier.train(trainData, train.size(), trainLabels, settings.classes(), minNoise,
        maxNoise, settings.classifier(), rng);
    int correct = 0;
    double[] x = new double[d];
    for (int i : validation) {
      double noise = Math.exp(Math.log(minNoise) + rng.nextDouble() * (Math.log(maxNoise) - Math.log(minNoise)));
      for (int j = 0; j < d; j++) {
        x[j] = data.data()[i * d + j] + noise * rng.nextGaussian();
      }
      int best = 0;
      double bestLog = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < settings.classes(); l++) {
        double lp = classifier.logProbability(x, noise, l, null);
        if (lp > bestLog) {
          bestLog = lp;
          best = l;
        }
      }
      correct += best == labels[i] ? 1 : 0;
    }
    double accuracy = validation.isEmpty() ? Double.NaN : correct / (double) validation.size();
    return new Fitted(scores, labels, classifier, accuracy);
  }

  /** The denoiser guided toward the most unique class with scale {@code w}. */
  public static Denoiser guide(Denoiser model, NoisyClassifier classifier, double w) {
    return new ClassifierGuidance(model, classifier, w, classifier.classes() - 1);
  }
}
