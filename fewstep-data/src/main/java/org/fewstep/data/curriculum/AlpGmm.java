package org.fewstep.data.curriculum;

import java.util.Objects;
import org.fewstep.core.BadInputException;
import org.fewstep.core.Rng;
import org.fewstep.core.math.Categorical;
import org.fewstep.data.curriculum.GaussianMixture.Criterion;

/**
 * ALP-GMM, the Absolute-Learning-Progress Gaussian-Mixture teacher (Portelas, Colas, Hofmann, Oudeyer,
 * "Teacher algorithms for curriculum learning of Deep RL in continuously parameterized environments",
 * CoRL 2019, section 4.1 and Algorithm 1; reference {@code teachDRL/teachers/algos/alp_gmm.py}).
 *
 * <p>Feedback: every (task τ, reward r) gets its {@link AbsoluteLearningProgress} alp (against the nearest
 * earlier task over all of history) and the vector (τ, alp) in R^{d+1} is stored. Once at least
 * {@code fitRate} pairs have been seen, and then every {@code fitRate} pairs, mixtures with
 * k = {@code minComponents}..{@code maxComponents} full-covariance Gaussians are fitted by EM (one
 * k-means initialisation each, no warm start) to the last {@code fitRate} vectors and the one with the
 * lowest criterion (AIC by default) is kept.
 *
 * <p>Proposal: during the bootstrap (fewer than {@code fitRate} pairs seen) or with probability
 * {@code randomTaskRatio} a task uniform in the box; otherwise a component j chosen with probability
 * proportional to the ALP coordinate of its mean (uniformly if all are 0), a draw from N(μ_j, Σ_j) in
 * (task, alp) space, the alp coordinate dropped and the task clipped to the box.
 *
 * <p>Defaults ({@link Settings#defaults}): fit rate 250 (= the number of bootstrap tasks, as in the
 * reference), k = 2..10, AIC, random task ratio 0.2, scikit-learn's EM defaults. Differences from the
 * reference: its modified AIC counts the free parameters with the task dimension d although the
 * mixture lives in d + 1 dimensions; here AICc uses the mixture's own count
 * ({@link GaussianMixture#aicc}). Tasks are doubles (the reference casts them to float32). The
 * reference seeds every k-means initialisation with the same {@code random_state}; here the fit with
 * k components at any refit uses {@code Rng.stream(seed, k)}, also the same at every refit.
 */
public final class AlpGmm implements Teacher {

  /**
   * Settings: {@code fitRate} >= {@code maxComponents} episodes between fits (and bootstrap length and
   * fit window), component range {@code 1 <= minComponents <= maxComponents}, selection criterion,
   * {@code randomTaskRatio} in [0, 1], EM settings ({@code regCovar}, {@code tol}, {@code maxIterations},
   * {@code emInits}) and the {@code seed} of the k-means initialisations.
   */
  public record Settings(
      int fitRate,
      int minComponents,
      int maxComponents,
      Criterion criterion,
      double randomTaskRatio,
      double regCovar,
      double tol,
      int maxIterations,
      int emInits,
      long seed) {
    public Settings {
      BadInputException.requireAtLeast("min-components", minComponents, 1);
      BadInputException.requireAtLeast("max-components", maxComponents, minComponents);
      BadInputException.requireAtLeast("fit-rate", fitRate, maxComponents);
      Objects.requireNonNull(criterion, "criterion");
      if (!(randomTaskRatio >= 0 && randomTaskRatio <= 1)) {
        throw BadInputException.of("random-task-ratio", randomTaskRatio, "a probability in [0, 1]");
      }
      new GaussianMixture.Settings(minComponents, regCovar, tol, maxIterations, emInits); // validates the EM part
    }

    /** The reference defaults: fit rate 250, k = 2..10, AIC, random ratio 0.2, reg 1e-6, tol 1e-3, 100 iterations, 1 init. */
    public static Settings defaults(long seed) {
      return new Settings(250, 2, 10, Criterion.AIC, 0.2, 1e-6, 1e-3, 100, 1, seed);
    }

    /** These settings with another selection criterion. */
    public Settings withCriterion(Criterion other) {
      return new Settings(fitRate, minComponents, maxComponents, other, randomTaskRatio, regCovar, tol, maxIterations, emInits, seed);
    }

    GaussianMixture.Settings em(int k) {
      return new GaussianMixture.Settings(k, regCovar, tol, maxIterations, emInits);
    }
  }

  private final TaskBox box;
  private final Settings settings;
  private final AbsoluteLearningProgress alp;
  private final double[][] window; // the last fitRate (task, alp) vectors, circular
  private int seen;
  private GaussianMixture mixture;
  private int fits;

  public AlpGmm(TaskBox box, Settings settings) {
    this.box = Objects.requireNonNull(box, "box");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.alp = new AbsoluteLearningProgress(box.dimension());
    this.window = new double[settings.fitRate()][];
  }

  /** ALP-GMM with the reference defaults. */
  public static AlpGmm withDefaults(TaskBox box, long seed) {
    return new AlpGmm(box, Settings.defaults(seed));
  }

  @Override
  public TaskBox box() {
    return box;
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  @Override
  public double[] propose(Rng rng) {
    if (seen < settings.fitRate() || mixture == null || rng.nextDouble() < settings.randomTaskRatio()) {
      return box.uniform(rng);
    }
    return sampleTask(mixture, box, rng);
  }

  /**
   * The ALP-driven draw from a mixture over (task, alp): component j with probability ∝ the last
   * coordinate of μ_j (uniform when all are 0), a Gaussian draw from it, the last coordinate dropped,
   * the task clipped to the box.
   */
  public static double[] sampleTask(GaussianMixture tasksAndAlp, TaskBox box, Rng rng) {
    if (tasksAndAlp.dimension() != box.dimension() + 1) {
      throw BadInputException.of("mixture dimension", tasksAndAlp.dimension(), (box.dimension() + 1) + " (task dimension + 1 for the ALP)");
    }
    double[] draw = tasksAndAlp.sample(chooseComponent(tasksAndAlp, rng), rng);
    double[] task = new double[box.dimension()];
    System.arraycopy(draw, 0, task, 0, task.length);
    return box.clip(task);
  }

  /** Component j with probability ∝ the ALP (last) coordinate of its mean; uniform if they are all 0. */
  static int chooseComponent(GaussianMixture tasksAndAlp, Rng rng) {
    int k = tasksAndAlp.components();
    int last = tasksAndAlp.dimension() - 1;
    double[] alps = new double[k];
    double total = 0;
    for (int j = 0; j < k; j++) {
      alps[j] = tasksAndAlp.mean(j)[last];
      if (!(alps[j] >= 0)) {
        throw BadInputException.of("ALP coordinate of mean " + j, alps[j], "a mean ALP >= 0");
      }
      total += alps[j];
    }
    if (total == 0) {
      return rng.nextInt(k);
    }
    return new Categorical().setWeights("mean ALPs", alps, k).sample(rng);
  }

  @Override
  public void feedback(double[] task, double reward) {
    box.requireInside("task", task);
    Teacher.requireReward(reward);
    double progress = alp.add(task, reward);
    double[] vector = new double[task.length + 1];
    System.arraycopy(task, 0, vector, 0, task.length);
    vector[task.length] = progress;
    window[seen % settings.fitRate()] = vector;
    seen++;
    if (seen >= settings.fitRate() && seen % settings.fitRate() == 0) {
      refit();
    }
  }

  private void refit() {
    int n = settings.fitRate();
    double[][] data = new double[n][];
    for (int i = 0; i < n; i++) { // oldest first, as the reference's tasks_alps[-fit_rate:]
      data[i] = window[(seen + i) % n];
    }
    GaussianMixture best = null;
    double bestScore = Double.POSITIVE_INFINITY;
    for (int k = settings.minComponents(); k <= settings.maxComponents(); k++) {
      GaussianMixture candidate = GaussianMixture.fit(data, settings.em(k), Rng.stream(settings.seed(), k));
      double score = settings.criterion().of(candidate, data);
      if (best == null || score < bestScore) { // the first minimum, as numpy's argmin
        best = candidate;
        bestScore = score;
      }
    }
    mixture = best;
    fits++;
  }

  /** The number of (task, reward) pairs received. */
  public int episodes() {
    return seen;
  }

  /** The current mixture over (task, alp), or null before the first fit. */
  public GaussianMixture mixture() {
    return mixture;
  }

  /** How many times the mixtures have been refitted. */
  public int fits() {
    return fits;
  }

  /** Test hook: this teacher with its bootstrap over and {@code tasksAndAlp} as the current mixture. */
  void installMixture(GaussianMixture tasksAndAlp, int episodes) {
    if (tasksAndAlp.dimension() != box.dimension() + 1) {
      throw BadInputException.of("mixture dimension", tasksAndAlp.dimension(), (box.dimension() + 1) + " (task dimension + 1)");
    }
    this.mixture = tasksAndAlp;
    this.seen = episodes;
  }
}
